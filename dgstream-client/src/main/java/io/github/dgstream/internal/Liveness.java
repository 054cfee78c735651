package io.github.dgstream.internal;

import io.github.dgstream.DeepgramException;
import io.github.dgstream.DeepgramException.Kind;
import io.github.dgstream.LivenessConfig;
import java.util.concurrent.TimeUnit;

/**
 * The liveness rules, evaluated on every tick of a live connection: send deadline, pong deadline (any server message
 * also counts as the pong; see {@code Inbound}), receive watchdog ("audio sent, nothing received"), periodic ping,
 * idle-aware KeepAlive (only when the protocol has one). Pure decisions on the connection's timestamps; the engine
 * owns the timer.
 */
final class Liveness {
    private final LivenessConfig lc;
    private final String keepAliveMessage;

    Liveness(LivenessConfig lc, String keepAliveMessage) {
        this.lc = lc;
        this.keepAliveMessage = keepAliveMessage;
    }

    /** Tick period: a quarter of the shortest enabled interval, within [20, 500] ms. */
    long tickMs() {
        long m = Long.MAX_VALUE;
        for (long v : new long[] {
            lc.keepAliveIntervalMs(), lc.pingIntervalMs(), lc.pongTimeoutMs(), lc.receiveTimeoutMs(), lc.sendTimeoutMs()
        }) {
            if (v > 0) {
                m = Math.min(m, v);
            }
        }
        return m == Long.MAX_VALUE ? 500 : Math.max(20, Math.min(500, m / 4));
    }

    /**
     * Queues a ping or KeepAlive on {@code out} when due.
     *
     * @param expectsMessages whether the server owes us messages now (the receive watchdog applies only then)
     * @return the failure if the connection is dead, else {@code null}
     */
    DeepgramException check(Connection c, long now, Outbound out, String requestId, boolean expectsMessages) {
        DeepgramException stuck = out.sendOverdue(c, now, requestId);
        if (stuck != null) {
            return stuck; // the peer stopped reading (applies while we pause reading too)
        }
        if (!c.paused) { // while we hold back reading, pongs and messages cannot arrive: no verdicts
            if (c.pingOutstandingSince >= 0 && now - c.pingOutstandingSince > ms(lc.pongTimeoutMs())) {
                return Classifier.dead(
                        Kind.LIVENESS,
                        "No pong within " + lc.pongTimeoutMs() + " ms; connection considered dead",
                        requestId);
            }
            if (lc.receiveTimeoutMs() > 0
                    && expectsMessages
                    && c.firstUnansweredAudioAt >= 0
                    && now - c.firstUnansweredAudioAt > ms(lc.receiveTimeoutMs())) {
                return Classifier.dead(
                        Kind.LIVENESS,
                        "Audio sent but no server message for " + lc.receiveTimeoutMs() + " ms",
                        requestId);
            }
            if (lc.pingIntervalMs() > 0
                    && c.pingOutstandingSince < 0
                    && now - c.lastPingAt >= ms(lc.pingIntervalMs())) {
                c.lastPingAt = now;
                out.add(Outbound.ControlKind.PING, null, -1);
            }
        }
        if (keepAliveMessage != null
                && lc.keepAliveIntervalMs() > 0
                && !c.closeStreamSent
                && now - c.lastSendAt >= ms(lc.keepAliveIntervalMs())) {
            out.add(Outbound.ControlKind.KEEPALIVE, keepAliveMessage, -1);
        }
        return null;
    }

    private static long ms(long v) {
        return TimeUnit.MILLISECONDS.toNanos(v);
    }
}
