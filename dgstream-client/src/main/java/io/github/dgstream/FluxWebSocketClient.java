package io.github.dgstream;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A Flux connection with callbacks ({@code client.listen().v2().live()}), the counterpart of {@link
 * ListenWebSocketClient}. One object is one session: configure, register handlers, {@link #start} once, stream with
 * {@link #send}, end with {@link #finish()} or {@link #close()}. Handlers run on the client's handler pool, serially
 * per connection, never on network threads.
 */
public interface FluxWebSocketClient extends AutoCloseable {

    /** Sets reconnection; only before {@link #start}. */
    void configureReconnection(ReconnectionConfig config);

    /** Overrides the client's liveness settings; only before {@link #start}. */
    void configureLiveness(LivenessConfig config);

    /** Registers a typed handler ({@link FluxEvents}); any time, effective for later events. */
    <T extends FluxEvent> void on(FluxEventKey<T> event, Consumer<? super T> handler);

    /**
     * Connects; blocks until the first connection is open (retryable connect failures are retried first when
     * reconnection is enabled).
     *
     * @throws DeepgramException if the session failed before a connection opened
     */
    void start(FluxOptions options);

    void send(byte[] audio);

    void send(byte[] audio, int offset, int length);

    void send(ByteBuffer audio);

    /** See {@link FluxSession#configure(FluxConfigure)}. */
    CompletableFuture<FluxEvent.ConfigureSuccess> configure(FluxConfigure configure);

    /** Sends ForceEndTurn behind the audio queued so far. */
    void forceEndTurn();

    /** See {@link FluxSession#finish()}; blocks (bounded) until every event was delivered. */
    void finish();

    @Override
    void close();

    SessionState state();

    boolean isConnected();

    String requestId();
}
