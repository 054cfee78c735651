package io.github.dgstream;

import io.github.dgstream.internal.FluxAdapter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/** The Flux pull API: a typed facade over the endpoint-neutral {@link PullSession}. */
final class DefaultFluxSession implements FluxSession {
    private final PullSession<FluxEvent> core;

    private DefaultFluxSession(PullSession<FluxEvent> core) {
        this.core = core;
    }

    static FluxSession open(
            DeepgramClient client,
            FluxOptions options,
            ReconnectionConfig reconnection,
            LivenessConfig liveness,
            int capacity,
            OverflowPolicy policy) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(reconnection, "reconnection");
        Objects.requireNonNull(liveness, "liveness");
        Objects.requireNonNull(policy, "policy");
        return new DefaultFluxSession(
                PullSession.open(client, new FluxAdapter(options), reconnection, liveness, capacity, policy, e -> {}));
    }

    @Override
    public void send(byte[] audio) {
        core.send(audio);
    }

    @Override
    public void send(byte[] audio, int offset, int length) {
        core.send(audio, offset, length);
    }

    @Override
    public void send(ByteBuffer audio) {
        core.send(audio);
    }

    @Override
    public CompletableFuture<FluxEvent.ConfigureSuccess> configure(FluxConfigure configure) {
        return LiveSession.configure(core.engine(), configure);
    }

    @Override
    public void forceEndTurn() {
        core.sendFinalize();
    }

    @Override
    public void finish() {
        core.finish();
    }

    @Override
    public Iterator<FluxEvent> iterator() {
        return core.iterator();
    }

    @Override
    public Optional<FluxEvent> poll(Duration timeout) {
        return core.poll(timeout);
    }

    @Override
    public Flow.Publisher<FluxEvent> events() {
        return core.events();
    }

    @Override
    public boolean isDone() {
        return core.isDone();
    }

    @Override
    public long droppedUpdates() {
        return core.droppedInterimResults();
    }

    @Override
    public SessionState state() {
        return core.state();
    }

    @Override
    public String requestId() {
        return core.requestId();
    }

    @Override
    public void close() {
        core.close();
    }
}
