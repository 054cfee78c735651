package io.github.dgstream;

import io.github.dgstream.internal.PullSink;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Pull facade over {@link LiveSession} and a {@link PullSink}. */
final class DefaultFluxSession implements FluxSession {
    private final LiveSession s;
    private final PullSink sink;
    private final AtomicBoolean iterated = new AtomicBoolean();

    DefaultFluxSession(LiveSession s, PullSink sink) {
        this.s = s;
        this.sink = sink;
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
    public CompletableFuture<Void> finish() {
        return s.finish();
    }

    @Override
    public FluxEvent poll(Duration timeout) throws InterruptedException {
        return (FluxEvent) sink.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public Iterator<FluxEvent> iterator() {
        if (!iterated.compareAndSet(false, true)) {
            throw new IllegalStateException("a FluxSession can be iterated once");
        }
        return new Iterator<>() {
            private FluxEvent next;

            @Override
            public boolean hasNext() {
                while (next == null) {
                    if (sink.exhausted()) {
                        return false;
                    }
                    try {
                        next = (FluxEvent) sink.poll(1, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for the next event", e);
                    }
                }
                return true;
            }

            @Override
            public FluxEvent next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                FluxEvent e = next;
                next = null;
                return e;
            }
        };
    }

    @Override
    public SessionState state() {
        return s.state();
    }

    @Override
    public String requestId() {
        return s.requestId();
    }

    @Override
    public void close() {
        s.finishAndWait();
        s.abort();
    }
}
