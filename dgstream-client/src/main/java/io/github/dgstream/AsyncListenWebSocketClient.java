package io.github.dgstream;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The same session as {@link ListenWebSocketClient} with {@link CompletableFuture} methods ({@code
 * client.listen().asyncLive().v("1")}). Both are thin facades over one engine.
 */
public interface AsyncListenWebSocketClient extends AutoCloseable {

    void configureReconnection(ReconnectionConfig config);

    void configureLiveness(LivenessConfig config);

    <T extends StreamEvent> void on(EventKey<T> event, Consumer<? super T> handler);

    /** Connects; the future completes when the first connection is open, or fails with a {@link DeepgramException}. */
    CompletableFuture<Void> start(LiveOptions options);

    /** Queues audio; the future is already complete (the engine owns delivery from here on). */
    CompletableFuture<Void> send(byte[] audio);

    CompletableFuture<Void> send(ByteBuffer audio);

    CompletableFuture<Void> keepAlive();

    CompletableFuture<Void> sendFinalize();

    /** Like {@link ListenWebSocketClient#finish()}; the future completes once every event has been delivered. */
    CompletableFuture<Void> finish();

    /** Finishes with a bounded wait, then aborts. */
    @Override
    void close();

    SessionState state();

    boolean isConnected();

    String requestId();
}
