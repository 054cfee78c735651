package io.github.dgstream;

/**
 * Immutable timers that keep a connection alive and detect dead ones. Every value is validated by its setter; 0
 * disables the optional timers where documented.
 *
 * <p>With the defaults a dead (e.g. half-open) connection is detected within about 10 s: a ping is sent after 5 s
 * without one and the pong must arrive within 5 s; independently, audio sent with no server message for 10 s also
 * counts as dead.
 */
public final class LivenessConfig {
    private final long keepAliveIntervalMs;
    private final long pingIntervalMs;
    private final long pongTimeoutMs;
    private final long receiveTimeoutMs;
    private final long connectTimeoutMs;
    private final long sendTimeoutMs;
    private final long finishTimeoutMs;

    private LivenessConfig(Builder b) {
        keepAliveIntervalMs = b.keepAliveIntervalMs;
        pingIntervalMs = b.pingIntervalMs;
        pongTimeoutMs = b.pongTimeoutMs;
        receiveTimeoutMs = b.receiveTimeoutMs;
        connectTimeoutMs = b.connectTimeoutMs;
        sendTimeoutMs = b.sendTimeoutMs;
        finishTimeoutMs = b.finishTimeoutMs;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static LivenessConfig defaults() {
        return builder().build();
    }

    public Builder toBuilder() {
        return new Builder()
                .keepAliveIntervalMs(keepAliveIntervalMs)
                .pingIntervalMs(pingIntervalMs)
                .pongTimeoutMs(pongTimeoutMs)
                .receiveTimeoutMs(receiveTimeoutMs)
                .connectTimeoutMs(connectTimeoutMs)
                .sendTimeoutMs(sendTimeoutMs)
                .finishTimeoutMs(finishTimeoutMs);
    }

    /** Idle time after which a v1 {@code KeepAlive} is sent (default 4000 ms; 0 disables; ignored by Flux). */
    public long keepAliveIntervalMs() {
        return keepAliveIntervalMs;
    }

    /** Time between WebSocket pings (default 5000 ms; 0 disables pings). */
    public long pingIntervalMs() {
        return pingIntervalMs;
    }

    /**
     * Deadline for the pong after a ping (default 5000 ms). Any server message received meanwhile counts as the pong:
     * a server that is slow to answer pings but still sending results is alive.
     */
    public long pongTimeoutMs() {
        return pongTimeoutMs;
    }

    /** Audio sent but no server message for this long means the connection is dead (default 10000; 0 disables). */
    public long receiveTimeoutMs() {
        return receiveTimeoutMs;
    }

    /** Bound on TCP connect plus WebSocket handshake (default 10000 ms). */
    public long connectTimeoutMs() {
        return connectTimeoutMs;
    }

    /**
     * Bound on every single frame send; on expiry the socket is aborted (default 10000 ms). Checked by the liveness
     * tick (a quarter of the shortest enabled interval, at most 500 ms), so the cut-off may come up to one tick late.
     */
    public long sendTimeoutMs() {
        return sendTimeoutMs;
    }

    /** Bound on {@code finish()}: flush, CloseStream, last results, server close (default 30000 ms). */
    public long finishTimeoutMs() {
        return finishTimeoutMs;
    }

    @Override
    public String toString() {
        return "LivenessConfig{keepAliveIntervalMs=" + keepAliveIntervalMs + ", pingIntervalMs=" + pingIntervalMs
                + ", pongTimeoutMs=" + pongTimeoutMs + ", receiveTimeoutMs=" + receiveTimeoutMs
                + ", connectTimeoutMs=" + connectTimeoutMs + ", sendTimeoutMs=" + sendTimeoutMs
                + ", finishTimeoutMs=" + finishTimeoutMs + '}';
    }

    /** Mutable, not thread-safe builder. */
    public static final class Builder {
        private long keepAliveIntervalMs = 4000;
        private long pingIntervalMs = 5000;
        private long pongTimeoutMs = 5000;
        private long receiveTimeoutMs = 10_000;
        private long connectTimeoutMs = 10_000;
        private long sendTimeoutMs = 10_000;
        private long finishTimeoutMs = 30_000;

        private Builder() {}

        /** Upper bound of every timer: one day (larger values would overflow deadline arithmetic). */
        static final long MAX_MS = 86_400_000L;

        private static long check(String field, long value, long min) {
            if (value < min || value > MAX_MS) {
                throw new IllegalArgumentException(
                        field + " must be between " + min + " and " + MAX_MS + " ms (one day), was " + value);
            }
            return value;
        }

        public Builder keepAliveIntervalMs(long v) {
            keepAliveIntervalMs = check("keepAliveIntervalMs", v, 0);
            return this;
        }

        public Builder pingIntervalMs(long v) {
            pingIntervalMs = check("pingIntervalMs", v, 0);
            return this;
        }

        public Builder pongTimeoutMs(long v) {
            pongTimeoutMs = check("pongTimeoutMs", v, 1);
            return this;
        }

        public Builder receiveTimeoutMs(long v) {
            receiveTimeoutMs = check("receiveTimeoutMs", v, 0);
            return this;
        }

        public Builder connectTimeoutMs(long v) {
            connectTimeoutMs = check("connectTimeoutMs", v, 1);
            return this;
        }

        public Builder sendTimeoutMs(long v) {
            sendTimeoutMs = check("sendTimeoutMs", v, 1);
            return this;
        }

        public Builder finishTimeoutMs(long v) {
            finishTimeoutMs = check("finishTimeoutMs", v, 1);
            return this;
        }

        public LivenessConfig build() {
            return new LivenessConfig(this);
        }
    }
}
