package io.github.dgstream;

import java.time.Duration;

/**
 * A connection was lost (or a connect attempt failed) and reconnect attempt {@code attempt} is scheduled.
 *
 * @param attempt 1-based attempt number within the current outage
 * @param delay the delay before the attempt (zero for the fast first retry after a healthy connection)
 * @param cause why the previous connection or attempt failed
 */
public record Reconnecting(int attempt, Duration delay, DeepgramException cause) implements StreamEvent, FluxEvent {
    @Override
    public EventType type() {
        return EventType.RECONNECTING;
    }
}
