package io.github.dgstream;

import io.github.dgstream.internal.PullSink;
import java.util.Objects;

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

    /** A pull session with reconnection disabled and the client's liveness settings; see {@link #stream(FluxOptions, ReconnectionConfig, LivenessConfig)}. */
    public FluxSession stream(FluxOptions options) {
        return stream(options, ReconnectionConfig.defaults(), client.liveness());
    }

    /** A pull session with the client's liveness settings. */
    public FluxSession stream(FluxOptions options, ReconnectionConfig reconnection) {
        return stream(options, reconnection, client.liveness());
    }

    /**
     * Connects and returns a started pull session; blocks until the first connection is open. Its event buffer holds
     * the client's {@code eventQueueCapacity} events.
     *
     * @throws DeepgramException if the session failed before a connection opened
     */
    public FluxSession stream(FluxOptions options, ReconnectionConfig reconnection, LivenessConfig liveness) {
        Objects.requireNonNull(options, "options");
        client.checkOpen();
        PullSink sink = new PullSink(client.eventQueueCapacity());
        LiveSession s = new LiveSession(client, sink);
        s.configureReconnection(reconnection);
        s.configureLiveness(liveness);
        try {
            s.start(options).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.abort();
            throw new IllegalStateException("interrupted while connecting", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw LiveSession.unwrap(e);
        }
        return new DefaultFluxSession(s, sink);
    }
}
