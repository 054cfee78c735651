package io.github.dgstream;

import java.time.Duration;

/**
 * Reconnect attempt {@code attempt} succeeded; streaming continues on a new connection.
 *
 * @param attempt the attempt number that succeeded
 * @param downtime time from the first sign that the previous connection was lost (a failed write, a close, an error,
 *     a liveness verdict) to this one opening
 * @param replayedSeconds seconds of audio that had been sent on the old connection without a final result and are
 *     re-sent on this one (billed again)
 * @param lostSeconds seconds of audio after the last final result that will never be transcribed (outage buffer
 *     overflow, or replay disabled/capped); the timeline still advances by this amount
 * @param requestId the new connection's request id if known at open time, else {@code null} (v1)
 */
public record Reconnected(int attempt, Duration downtime, double replayedSeconds, double lostSeconds, String requestId)
        implements StreamEvent, FluxEvent {
    @Override
    public EventType type() {
        return EventType.RECONNECTED;
    }
}
