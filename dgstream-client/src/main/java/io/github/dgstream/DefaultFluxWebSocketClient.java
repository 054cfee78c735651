package io.github.dgstream;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/** Callback facade over {@link LiveSession} for Flux. */
final class DefaultFluxWebSocketClient implements FluxWebSocketClient {
    private final LiveSession s;

    DefaultFluxWebSocketClient(LiveSession s) {
        this.s = s;
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
    public <T extends FluxEvent> void on(FluxEventKey<T> event, Consumer<? super T> handler) {
        s.on(event.type(), event.payloadType(), handler);
    }

    @Override
    public void start(FluxOptions options) {
        try {
            s.start(options).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting", e);
        } catch (ExecutionException e) {
            throw LiveSession.unwrap(e);
        }
    }

    @Override
    public void send(byte[] audio) {
        s.send(ByteBuffer.wrap(Objects.requireNonNull(audio, "audio")));
    }

    @Override
    public void send(byte[] audio, int offset, int length) {
        s.send(ByteBuffer.wrap(Objects.requireNonNull(audio, "audio"), offset, length));
    }

    @Override
    public void send(ByteBuffer audio) {
        s.send(audio);
    }

    @Override
    public CompletableFuture<FluxEvent.ConfigureSuccess> configure(FluxConfigure configure) {
        return s.configure(configure);
    }

    @Override
    public void forceEndTurn() {
        s.sendFinalize();
    }

    @Override
    public void finish() {
        s.finishAndWait();
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
