package io.github.dgstream;

import java.util.Objects;

/**
 * Immutable reconnection settings. Build with {@link #builder()}; every setter validates at once and {@link
 * Builder#build()} checks cross-field rules, naming the offending field in the message.
 *
 * <p>Delay before attempt {@code n} (1-based): {@code min(maxDelayMs, initialDelayMs * backoffMultiplier^(n-1))};
 * with {@code jitter} the delay is uniform in {@code [0, that]} (full jitter). The first attempt after a connection
 * that stayed healthy for {@code healthyPeriodMs} (and received at least one server message) is immediate, and only
 * such a healthy connection resets the attempt counter. The period is counted from the open to the server's last sign
 * of life (a message, a pong or a close frame), not to the moment a loss is noticed: a connection that died silently
 * soon after opening is not healthy because the liveness checks found it dead later.
 */
public final class ReconnectionConfig {
    private final boolean enabled;
    private final int maxRetries;
    private final long initialDelayMs;
    private final long maxDelayMs;
    private final double backoffMultiplier;
    private final boolean jitter;
    private final long healthyPeriodMs;
    private final ReplayPolicy replay;
    private final double bufferSeconds;

    private ReconnectionConfig(Builder b) {
        this.enabled = b.enabled;
        this.maxRetries = b.maxRetries;
        this.initialDelayMs = b.initialDelayMs;
        this.maxDelayMs = b.maxDelayMs;
        this.backoffMultiplier = b.backoffMultiplier;
        this.jitter = b.jitter;
        this.healthyPeriodMs = b.healthyPeriodMs;
        this.replay = b.replay;
        this.bufferSeconds = b.bufferSeconds;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: reconnection disabled (opt-in), other fields as documented on the builder. */
    public static ReconnectionConfig defaults() {
        return builder().build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.enabled = enabled;
        b.maxRetries = maxRetries;
        b.initialDelayMs = initialDelayMs;
        b.maxDelayMs = maxDelayMs;
        b.backoffMultiplier = backoffMultiplier;
        b.jitter = jitter;
        b.healthyPeriodMs = healthyPeriodMs;
        b.replay = replay;
        b.bufferSeconds = bufferSeconds;
        return b;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Maximum reconnect attempts per outage; 0 means unlimited. */
    public int maxRetries() {
        return maxRetries;
    }

    public long initialDelayMs() {
        return initialDelayMs;
    }

    public long maxDelayMs() {
        return maxDelayMs;
    }

    public double backoffMultiplier() {
        return backoffMultiplier;
    }

    public boolean jitter() {
        return jitter;
    }

    /** How long a connection must stay up (with at least one server message) before the attempt counter resets. */
    public long healthyPeriodMs() {
        return healthyPeriodMs;
    }

    public ReplayPolicy replay() {
        return replay;
    }

    /** Bound of the audio journal (outage buffer plus replay window) in seconds of audio. */
    public double bufferSeconds() {
        return bufferSeconds;
    }

    @Override
    public String toString() {
        return "ReconnectionConfig{enabled=" + enabled + ", maxRetries=" + maxRetries + ", initialDelayMs="
                + initialDelayMs + ", maxDelayMs=" + maxDelayMs + ", backoffMultiplier=" + backoffMultiplier
                + ", jitter=" + jitter + ", healthyPeriodMs=" + healthyPeriodMs + ", replay=" + replay
                + ", bufferSeconds=" + bufferSeconds + '}';
    }

    /** Mutable, not thread-safe builder. */
    public static final class Builder {
        /** Upper bound of the delays: one day. */
        static final long MAX_MS = 86_400_000L;
        /** Upper bound of {@code bufferSeconds}: one hour (the journal holds that much audio in memory). */
        static final double MAX_BUFFER_SECONDS = 3600;

        private boolean enabled = false;
        private int maxRetries = 5;
        private long initialDelayMs = 1000;
        private long maxDelayMs = 30_000;
        private double backoffMultiplier = 2.0;
        private boolean jitter = true;
        private long healthyPeriodMs = 5000;
        private ReplayPolicy replay = ReplayPolicy.sinceLastFinal();
        private double bufferSeconds = 30.0;

        private Builder() {}

        /** Enable automatic reconnection (default {@code false}). */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** Attempts per outage before giving up (default 5; 0 = unlimited). */
        public Builder maxRetries(int maxRetries) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries must be >= 0 (0 = unlimited), was " + maxRetries);
            }
            this.maxRetries = maxRetries;
            return this;
        }

        /** Delay before the first (non-immediate) attempt (default 1000 ms). */
        public Builder initialDelayMs(long initialDelayMs) {
            if (initialDelayMs < 0 || initialDelayMs > MAX_MS) {
                throw new IllegalArgumentException(
                        "initialDelayMs must be between 0 and " + MAX_MS + " ms (one day), was " + initialDelayMs);
            }
            this.initialDelayMs = initialDelayMs;
            return this;
        }

        /** Cap on any delay (default 30000 ms). */
        public Builder maxDelayMs(long maxDelayMs) {
            if (maxDelayMs < 0 || maxDelayMs > MAX_MS) {
                throw new IllegalArgumentException(
                        "maxDelayMs must be between 0 and " + MAX_MS + " ms (one day), was " + maxDelayMs);
            }
            this.maxDelayMs = maxDelayMs;
            return this;
        }

        /** Growth factor per attempt (default 2.0, must be >= 1). */
        public Builder backoffMultiplier(double backoffMultiplier) {
            if (!(backoffMultiplier >= 1.0) || Double.isInfinite(backoffMultiplier)) {
                throw new IllegalArgumentException(
                        "backoffMultiplier must be a finite number >= 1, was " + backoffMultiplier);
            }
            this.backoffMultiplier = backoffMultiplier;
            return this;
        }

        /** Full jitter: each delay is uniform in [0, computed delay] (default {@code true}). */
        public Builder jitter(boolean jitter) {
            this.jitter = jitter;
            return this;
        }

        /**
         * Uptime (with at least one server message) after which the attempt counter resets (default 5000 ms); counted
         * to the server's last message, pong or close frame.
         */
        public Builder healthyPeriodMs(long healthyPeriodMs) {
            if (healthyPeriodMs < 0 || healthyPeriodMs > MAX_MS) {
                throw new IllegalArgumentException(
                        "healthyPeriodMs must be between 0 and " + MAX_MS + " ms (one day), was " + healthyPeriodMs);
            }
            this.healthyPeriodMs = healthyPeriodMs;
            return this;
        }

        /** Which already-sent audio to re-send after a reconnect (default {@link ReplayPolicy#sinceLastFinal()}). */
        public Builder replay(ReplayPolicy replay) {
            this.replay = Objects.requireNonNull(replay, "replay");
            return this;
        }

        /**
         * Bound of the audio journal in seconds of audio (default 30). When it is full the oldest audio is dropped;
         * dropped audio still advances the timeline and is reported as {@link Reconnected#lostSeconds()} if it was
         * needed for a reconnect.
         */
        public Builder bufferSeconds(double bufferSeconds) {
            if (!(bufferSeconds > 0) || !(bufferSeconds <= MAX_BUFFER_SECONDS)) {
                throw new IllegalArgumentException("bufferSeconds must be > 0 and <= " + MAX_BUFFER_SECONDS
                        + " (one hour of audio), was " + bufferSeconds);
            }
            this.bufferSeconds = bufferSeconds;
            return this;
        }

        /** Builds the config; checks cross-field rules. */
        public ReconnectionConfig build() {
            if (initialDelayMs > maxDelayMs) {
                throw new IllegalStateException(
                        "initialDelayMs (" + initialDelayMs + ") must be <= maxDelayMs (" + maxDelayMs + ")");
            }
            return new ReconnectionConfig(this);
        }
    }
}
