package io.github.dgstream;

/**
 * The {@code listen} namespace: {@code client.listen().stream(options)} (v1 pull API), {@code live().v("1")} and {@code
 * asyncLive().v("1")} (v1 callbacks), {@code v2()} (Flux, both shapes).
 */
public final class ListenClient {
    private final DeepgramClient client;

    ListenClient(DeepgramClient client) {
        this.client = client;
    }

    /** Blocking live clients. */
    public LiveClients<ListenWebSocketClient> live() {
        return new LiveClients<>(() -> new DefaultListenWebSocketClient(new LiveSession(client)));
    }

    /** CompletableFuture-based live clients. */
    public LiveClients<AsyncListenWebSocketClient> asyncLive() {
        return new LiveClients<>(() -> new DefaultAsyncListenWebSocketClient(new LiveSession(client)));
    }

    /** Flux ({@code /v2/listen}): callback connections and pull sessions. */
    public ListenV2Client v2() {
        return new ListenV2Client(client);
    }

    /**
     * Opens a v1 live session consumed by pulling events: iterate it, {@link StreamSession#poll poll} it, or
     * subscribe to {@link StreamSession#events()}. Returns once the first connection is open.
     *
     * @throws DeepgramException if the session failed before a connection opened (fatal handshake refusal, or
     *     reconnection disabled or exhausted)
     * @throws IllegalStateException if the client is closed
     */
    public StreamSession stream(StreamingOptions options) {
        return DefaultStreamSession.open(client, options);
    }

    /**
     * Picks the API version.
     *
     * @param <T> the client type
     */
    public static final class LiveClients<T> {
        private final java.util.function.Supplier<T> v1;

        LiveClients(java.util.function.Supplier<T> v1) {
            this.v1 = v1;
        }

        /**
         * A new, unstarted connection object for API version {@code version}. Only {@code "1"} ({@code /v1/listen})
         * is available here; Flux ({@code /v2/listen}) has its own client.
         *
         * @throws IllegalArgumentException for any other version
         */
        public T v(String version) {
            if (!"1".equals(version)) {
                throw new IllegalArgumentException(
                        "version must be \"1\" (v1 live); Flux /v2/listen is a separate client, was '" + version + "'");
            }
            return v1.get();
        }
    }
}
