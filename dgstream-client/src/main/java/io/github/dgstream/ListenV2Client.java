package io.github.dgstream;

/**
 * Flux ({@code /v2/listen}): {@code client.listen().v2()}. Two shapes over the same resilient engine: a callback
 * connection ({@link #live()}) and a pull session ({@link #stream}).
 */
public final class ListenV2Client {
    private final DeepgramClient client;

    ListenV2Client(DeepgramClient client) {
        this.client = client;
    }

    /** A new, unstarted callback connection. */
    public FluxWebSocketClient live() {
        client.checkOpen();
        return new DefaultFluxWebSocketClient(new LiveSession(client));
    }

    /** A pull session with reconnection disabled (opt-in, as everywhere) and the client's defaults. */
    public FluxSession stream(FluxOptions options) {
        return stream(options, ReconnectionConfig.defaults(), client.liveness(), OverflowPolicy.BLOCK);
    }

    /** A pull session with the client's liveness settings and {@link OverflowPolicy#BLOCK}. */
    public FluxSession stream(FluxOptions options, ReconnectionConfig reconnection) {
        return stream(options, reconnection, client.liveness(), OverflowPolicy.BLOCK);
    }

    /**
     * Connects and returns a started pull session; blocks until the first connection is open. Its event buffer holds
     * the client's {@code eventQueueCapacity} events; {@code policy} says what happens when the consumer falls that
     * far behind ({@code DROP_INTERIM} drops {@link FluxEvent.Update}s, never turn boundaries).
     *
     * @throws DeepgramException if the session failed before a connection opened
     * @throws IllegalStateException if the client is closed
     */
    public FluxSession stream(
            FluxOptions options, ReconnectionConfig reconnection, LivenessConfig liveness, OverflowPolicy policy) {
        return DefaultFluxSession.open(client, options, reconnection, liveness, client.eventQueueCapacity(), policy);
    }
}
