package io.github.dgstream;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable options of a pull-API session ({@link ListenClient#stream(StreamingOptions)}): the v1 query options
 * ({@link LiveOptions}, the very same setters and validation) plus the session settings: reconnection, liveness, the
 * event buffer's capacity and {@link OverflowPolicy}, and the bound on {@link StreamSession#close()}.
 *
 * <pre>{@code
 * StreamingOptions.builder().model("nova-3").smartFormat(true).diarize(true)   // query options
 *         .reconnection(ReconnectionConfig.builder().enabled(true).build())  // session settings
 *         .eventBufferCapacity(256).overflowPolicy(OverflowPolicy.DROP_INTERIM)
 *         .build();
 * }</pre>
 */
public final class StreamingOptions {
    private final LiveOptions query;
    private final ReconnectionConfig reconnection;
    private final LivenessConfig liveness;
    private final int eventBufferCapacity;
    private final OverflowPolicy overflowPolicy;
    private final Duration finishTimeout;

    private StreamingOptions(Builder b, LiveOptions query) {
        this.query = query;
        this.reconnection = b.reconnection;
        this.liveness = b.liveness;
        this.eventBufferCapacity = b.eventBufferCapacity;
        this.overflowPolicy = b.overflowPolicy;
        this.finishTimeout = b.finishTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options with these query options and default session settings. */
    public static StreamingOptions of(LiveOptions query) {
        return builder().options(query).build();
    }

    public Builder toBuilder() {
        Builder b = new Builder().options(query);
        b.reconnection = reconnection;
        b.liveness = liveness;
        b.eventBufferCapacity = eventBufferCapacity;
        b.overflowPolicy = overflowPolicy;
        b.finishTimeout = finishTimeout;
        return b;
    }

    /** The query options sent to Deepgram. */
    public LiveOptions query() {
        return query;
    }

    /** Reconnection settings (default {@link ReconnectionConfig#defaults()}: disabled, as for the live clients). */
    public ReconnectionConfig reconnection() {
        return reconnection;
    }

    /** Liveness settings, or {@code null} for the client's ({@link DeepgramClient.Builder#liveness}). */
    public LivenessConfig liveness() {
        return liveness;
    }

    /** Bound of undelivered events, or 0 for the client's {@code eventQueueCapacity} (default 1024). */
    public int eventBufferCapacity() {
        return eventBufferCapacity;
    }

    /** What happens when the buffer is full (default {@link OverflowPolicy#BLOCK}). */
    public OverflowPolicy overflowPolicy() {
        return overflowPolicy;
    }

    /**
     * Bound on the graceful part of {@link StreamSession#close()} (flush, CloseStream, last results, server close), or
     * {@code null} for the liveness settings' {@link LivenessConfig#finishTimeoutMs()}.
     */
    public Duration finishTimeout() {
        return finishTimeout;
    }

    /** The liveness settings a session uses, given the client's defaults. */
    LivenessConfig effectiveLiveness(LivenessConfig clientDefault) {
        LivenessConfig l = liveness != null ? liveness : clientDefault;
        return finishTimeout == null
                ? l
                : l.toBuilder().finishTimeoutMs(finishTimeout.toMillis()).build();
    }

    @Override
    public String toString() {
        return "StreamingOptions{query=" + query + ", reconnection=" + reconnection + ", liveness=" + liveness
                + ", eventBufferCapacity=" + eventBufferCapacity + ", overflowPolicy=" + overflowPolicy
                + ", finishTimeout=" + finishTimeout + '}';
    }

    /**
     * Mutable, not thread-safe builder: every {@link LiveOptions.QueryBuilder} setter ({@code model}, {@code
     * encoding}, {@code smartFormat}, ...) plus the session settings.
     */
    public static final class Builder extends LiveOptions.QueryBuilder<Builder> {
        private ReconnectionConfig reconnection = ReconnectionConfig.defaults();
        private LivenessConfig liveness;
        private int eventBufferCapacity;
        private OverflowPolicy overflowPolicy = OverflowPolicy.BLOCK;
        private Duration finishTimeout;

        private Builder() {}

        @Override
        Builder self() {
            return this;
        }

        /** Reconnection settings, the same object the live clients take (default: disabled). */
        public Builder reconnection(ReconnectionConfig reconnection) {
            this.reconnection = Objects.requireNonNull(reconnection, "reconnection");
            return this;
        }

        /** Overrides the client's liveness settings (keepalive, pings, timeouts) for this session. */
        public Builder liveness(LivenessConfig liveness) {
            this.liveness = Objects.requireNonNull(liveness, "liveness");
            return this;
        }

        /**
         * Maximum number of events buffered for the consumer (default: the client's {@code eventQueueCapacity},
         * 1024). See {@link OverflowPolicy} for what happens when it is reached.
         */
        public Builder eventBufferCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("eventBufferCapacity must be >= 1, was " + capacity);
            }
            this.eventBufferCapacity = capacity;
            return this;
        }

        /** What happens when the consumer falls {@code eventBufferCapacity} events behind (default BLOCK). */
        public Builder overflowPolicy(OverflowPolicy policy) {
            this.overflowPolicy = Objects.requireNonNull(policy, "overflowPolicy");
            return this;
        }

        /**
         * Bound on the graceful part of {@link StreamSession#close()} (default: {@link
         * LivenessConfig#finishTimeoutMs()}, 30 s). When it expires the session is aborted.
         */
        public Builder finishTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "finishTimeout");
            LivenessConfig.builder().finishTimeoutMs(timeout.toMillis()); // the one place this value is validated
            this.finishTimeout = timeout;
            return this;
        }

        /** Builds the options, checking the query options' cross-field rules. */
        public StreamingOptions build() {
            return new StreamingOptions(this, buildQuery());
        }
    }
}
