package io.github.dgstream;

import io.github.dgstream.internal.BufferPublisher;
import io.github.dgstream.internal.EventBuffer;
import io.github.dgstream.internal.ProtocolAdapter;
import io.github.dgstream.internal.SessionEngine;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The pull API's core for every endpoint: a {@link SessionEngine} delivering into an {@link EventBuffer}, consumed by
 * one consumer (iterator, poll or a single-subscriber {@code Flow.Publisher}). {@link DefaultStreamSession} (v1) and
 * {@link DefaultFluxSession} (Flux) are thin typed facades over it.
 *
 * @param <E> the endpoint's event family ({@link E} or {@link FluxEvent}); the engine's adapter only
 *     produces events of that family
 */
final class PullSession<E extends DeepgramEvent> {
    /** Extra time close() gives a consumer on another thread after the engine's finish timeout, then again to abort. */
    static final long CLOSE_MARGIN_MS = 2000; // see DefaultStreamSession.CLOSE_MARGIN_MS

    private enum Mode {
        NONE,
        PULL,
        PUBLISHER
    }

    private final EventBuffer buffer;
    private final SessionEngine engine;
    private final BufferPublisher<E> publisher;
    private final Consumer<E> onTaken;
    private final long finishTimeoutMs;
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.NONE);
    private final AtomicReference<Thread> consuming = new AtomicReference<>();
    private final AtomicBoolean iteratorCreated = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile Thread pullThread;
    private volatile boolean closed;

    private PullSession(
            DeepgramClient client,
            ProtocolAdapter adapter,
            ReconnectionConfig reconnection,
            LivenessConfig liveness,
            int capacity,
            OverflowPolicy policy,
            Consumer<E> onTaken) {
        this.finishTimeoutMs = liveness.finishTimeoutMs();
        this.onTaken = onTaken;
        this.buffer = new EventBuffer(capacity, policy, this::overflowed, this::taken);
        this.engine = client.newEngine(adapter, reconnection, liveness, buffer);
        this.publisher = new BufferPublisher<>(
                buffer, client.resources().handlerPool(), this::admitSubscriber, this::cancelledBySubscriber);
    }

    /** Opens a session: connects and returns once the first connection is open. */
    static <E extends DeepgramEvent> PullSession<E> open(
            DeepgramClient client,
            ProtocolAdapter adapter,
            ReconnectionConfig reconnection,
            LivenessConfig liveness,
            int capacity,
            OverflowPolicy policy,
            Consumer<E> onTaken) {
        PullSession<E> s = new PullSession<>(client, adapter, reconnection, liveness, capacity, policy, onTaken);
        s.engine.start();
        try {
            s.engine.opened().get();
        } catch (InterruptedException e) {
            s.engine.abort();
            s.buffer.discardAll();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting", e);
        } catch (ExecutionException e) {
            s.buffer.discardAll(); // the engine already ended the session; nobody will consume its events
            s.closed = true;
            throw LiveSession.unwrap(e);
        }
        return s;
    }

    // ================= sending =================

    void send(byte[] audio) {
        engine.send(ByteBuffer.wrap(Objects.requireNonNull(audio, "audio")));
    }

    void send(byte[] audio, int offset, int length) {
        engine.send(ByteBuffer.wrap(Objects.requireNonNull(audio, "audio"), offset, length));
    }

    void send(ByteBuffer audio) {
        engine.send(Objects.requireNonNull(audio, "audio"));
    }

    void sendFinalize() {
        engine.sendFinalize();
    }

    CompletableFuture<Void> finish() {
        return engine.finish();
    }

    // ================= consuming =================

    Iterator<E> iterator() {
        checkOpen("iterator()");
        claimPull("iterator()");
        if (!iteratorCreated.compareAndSet(false, true)) {
            throw new IllegalStateException("iterator() was already called: a pull session can be iterated once, by"
                    + " one thread (use poll() on that thread to mix in other work)");
        }
        pullThread = Thread.currentThread();
        return new Iterator<>() {
            private E next;
            private boolean ended;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (ended) {
                    return false;
                }
                try {
                    next = take(Long.MAX_VALUE, "hasNext()");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the next event", e);
                }
                if (next == null) {
                    ended = true;
                    pullThread = null;
                    return false;
                }
                return true;
            }

            @Override
            public E next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the session has ended: no more events");
                }
                E e = next;
                next = null;
                return e;
            }
        };
    }

    Optional<E> poll(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        checkOpen("poll()");
        claimPull("poll()");
        pullThread = Thread.currentThread();
        try {
            long nanos = timeout.isNegative() ? 0 : saturatedNanos(timeout);
            return Optional.ofNullable(take(nanos, "poll()"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private E take(long nanos, String op) throws InterruptedException {
        Thread me = Thread.currentThread();
        if (!consuming.compareAndSet(null, me)) {
            Thread other = consuming.get();
            throw new IllegalStateException(op + " called on thread '" + me.getName() + "' while thread '"
                    + (other == null ? "?" : other.getName())
                    + "' is consuming this session: consume a pull session from one thread at a time");
        }
        try {
            @SuppressWarnings("unchecked")
            E e = (E) buffer.poll(nanos);
            return e;
        } finally {
            consuming.set(null);
        }
    }

    Flow.Publisher<E> events() {
        if (mode.get() == Mode.PULL) {
            throw new IllegalStateException("events(): this session is already consumed through iterator()/poll();"
                    + " the Flow.Publisher and the Iterable are mutually exclusive");
        }
        return publisher;
    }

    private String admitSubscriber() {
        if (closed || closing.get()) {
            return "the session is closed: subscribe to events() before close()";
        }
        if (!mode.compareAndSet(Mode.NONE, Mode.PUBLISHER)) {
            return "this session is already consumed through iterator()/poll(); the Flow.Publisher and the Iterable"
                    + " are mutually exclusive";
        }
        return null;
    }

    private void cancelledBySubscriber() {
        // Asynchronous close: the subscriber is gone, so nothing else will consume. The engine's finish timer bounds
        // the graceful end; discarding keeps the engine reading so it can see the server's close.
        closing.set(true);
        buffer.discardAll();
        engine.finish();
    }

    private void claimPull(String op) {
        if (!mode.compareAndSet(Mode.NONE, Mode.PULL) && mode.get() != Mode.PULL) {
            throw new IllegalStateException(op + ": this session is consumed through events() (a Flow.Publisher);"
                    + " the Flow.Publisher and the Iterable/poll() are mutually exclusive");
        }
    }

    private void checkOpen(String op) {
        if (closed || closing.get()) {
            throw new IllegalStateException(op + " called after close(): the session is closed");
        }
    }

    @SuppressWarnings("unchecked") // the adapter only produces this family's events
    private void taken(DeepgramEvent e) {
        onTaken.accept((E) e);
    }

    private void overflowed(DeepgramException cause) {
        engine.failNow(cause);
    }

    boolean isDone() {
        return buffer.isEnded();
    }

    long droppedInterimResults() {
        return buffer.droppedInterims();
    }

    SessionState state() {
        return engine.state();
    }

    String requestId() {
        return engine.requestId();
    }

    // ================= closing =================

    void close() {
        if (!closing.compareAndSet(false, true)) {
            if (!closed) {
                awaitQuietly(engine.terminated(), finishTimeoutMs + 2 * CLOSE_MARGIN_MS); // a concurrent close()
            }
            return;
        }
        boolean interrupted = Thread.interrupted(); // close() is bounded; an interrupt must not skip the cleanup
        try {
            if (!anotherThreadIsConsuming()) {
                buffer.discardAll();
            }
            engine.finish();
            if (!awaitQuietly(engine.terminated(), finishTimeoutMs + CLOSE_MARGIN_MS)) {
                engine.abort();
                buffer.discardAll();
                awaitQuietly(engine.terminated(), CLOSE_MARGIN_MS);
            }
        } finally {
            closed = true;
            buffer.discardAll(); // nothing is left; wakes a consumer still waiting
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean anotherThreadIsConsuming() {
        Mode m = mode.get();
        if (m == Mode.PUBLISHER) {
            return !buffer.isDiscarding() && !publisher.isSignalThread();
        }
        if (m == Mode.PULL) {
            Thread t = consuming.get();
            if (t == null) {
                t = pullThread;
            }
            return t != null && t != Thread.currentThread() && t.isAlive() && !buffer.isEnded();
        }
        return false;
    }

    private static boolean awaitQuietly(CompletableFuture<Void> f, long ms) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    return true;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    return true;
                } catch (TimeoutException e) {
                    return false;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Test access to the buffer's metrics. */
    EventBuffer buffer() {
        return buffer;
    }

    SessionEngine engine() {
        return engine;
    }
}
