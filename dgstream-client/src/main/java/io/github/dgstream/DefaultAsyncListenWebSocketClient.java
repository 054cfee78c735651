package io.github.dgstream;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** Async facade over {@link LiveSession}. */
final class DefaultAsyncListenWebSocketClient implements AsyncListenWebSocketClient {
    private final LiveSession s;

    DefaultAsyncListenWebSocketClient(LiveSession s) {
        this.s = s;
    }

    /** Misuse (null audio, send after finish, ...) throws at once, as in the blocking client. */
    private static CompletableFuture<Void> run(Runnable r) {
        r.run();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void configureReconnection(ReconnectionConfig config) {
        s.configureReconnection(config);
    }

    @Override
    public void configureLiveness(LivenessConfig config) {
        s.configureLiveness(config);
    }

    @Override
    public <T extends StreamEvent> void on(EventKey<T> event, Consumer<? super T> handler) {
        s.on(event, handler);
    }

    @Override
    public CompletableFuture<Void> start(LiveOptions options) {
        return s.startAsync(options).exceptionallyCompose(t -> CompletableFuture.failedFuture(LiveSession.unwrap(t)));
    }

    @Override
    public CompletableFuture<Void> send(byte[] audio) {
        return run(() -> s.send(ByteBuffer.wrap(java.util.Objects.requireNonNull(audio, "audio"))));
    }

    @Override
    public CompletableFuture<Void> send(ByteBuffer audio) {
        return run(() -> s.send(audio));
    }

    @Override
    public CompletableFuture<Void> keepAlive() {
        return run(s::keepAlive);
    }

    @Override
    public CompletableFuture<Void> sendFinalize() {
        return run(s::sendFinalize);
    }

    @Override
    public CompletableFuture<Void> finish() {
        return s.finish();
    }

    @Override
    public void close() {
        s.finishAndWait();
    }

    @Override
    public SessionState state() {
        return s.state();
    }

    @Override
    public boolean isConnected() {
        return s.state() == SessionState.STREAMING;
    }

    @Override
    public String requestId() {
        return s.requestId();
    }
}
