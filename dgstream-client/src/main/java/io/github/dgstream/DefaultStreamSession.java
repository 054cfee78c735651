package io.github.dgstream;

import io.github.dgstream.internal.BufferPublisher;
import io.github.dgstream.internal.EventBuffer;
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

/** The pull API: a {@link SessionEngine} delivering into an {@link EventBuffer}, consumed by one consumer. */
final class DefaultStreamSession implements StreamSession {
    /** Extra time close() gives a consumer on another thread after the engine's finish timeout, then again to abort. */
    static final long CLOSE_MARGIN_MS = 2000;

    private enum Mode {
        NONE,
        PULL,
        PUBLISHER
    }

    private final EventBuffer buffer;
    private final SessionEngine engine;
    private final BufferPublisher publisher;
    private final long finishTimeoutMs;
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.NONE);
    private final AtomicReference<Thread> consuming = new AtomicReference<>();
    private final AtomicBoolean iteratorCreated = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final StringBuilder transcript = new StringBuilder();
    private volatile Thread pullThread;
    private volatile boolean closed;

    private DefaultStreamSession(DeepgramClient client, StreamingOptions o) {
        LivenessConfig liveness = o.effectiveLiveness(client.liveness());
        this.finishTimeoutMs = liveness.finishTimeoutMs();
        int capacity = o.eventBufferCapacity() > 0 ? o.eventBufferCapacity() : client.eventQueueCapacity();
        this.buffer = new EventBuffer(capacity, o.overflowPolicy(), this::overflowed, this::taken);
        this.engine = client.newV1Engine(o.query(), o.reconnection(), liveness, buffer);
        this.publisher = new BufferPublisher(
                buffer, client.resources().handlerPool(), this::admitSubscriber, this::cancelledBySubscriber);
    }

    /** Opens a session: connects and returns once the first connection is open. */
    static StreamSession open(DeepgramClient client, StreamingOptions options) {
        Objects.requireNonNull(options, "options");
        DefaultStreamSession s = new DefaultStreamSession(client, options);
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

    @Override
    public void send(byte[] audio) {
        engine.send(ByteBuffer.wrap(Objects.requireNonNull(audio, "audio")));
    }

    @Override
    public void send(byte[] audio, int offset, int length) {
        engine.send(ByteBuffer.wrap(Objects.requireNonNull(audio, "audio"), offset, length));
    }

    @Override
    public void send(ByteBuffer audio) {
        engine.send(Objects.requireNonNull(audio, "audio"));
    }

    @Override
    public void sendFinalize() {
        engine.sendFinalize();
    }

    @Override
    public void finish() {
        engine.finish();
    }

    // ================= consuming =================

    @Override
    public Iterator<StreamEvent> iterator() {
        checkOpen("iterator()");
        claimPull("iterator()");
        if (!iteratorCreated.compareAndSet(false, true)) {
            throw new IllegalStateException("iterator() was already called: a StreamSession can be iterated once, by"
                    + " one thread (use poll() on that thread to mix in other work)");
        }
        pullThread = Thread.currentThread();
        return new Iterator<>() {
            private StreamEvent next;
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
            public StreamEvent next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the session has ended: no more events");
                }
                StreamEvent e = next;
                next = null;
                return e;
            }
        };
    }

    @Override
    public Optional<StreamEvent> poll(Duration timeout) {
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

    private StreamEvent take(long nanos, String op) throws InterruptedException {
        Thread me = Thread.currentThread();
        if (!consuming.compareAndSet(null, me)) {
            Thread other = consuming.get();
            throw new IllegalStateException(op + " called on thread '" + me.getName() + "' while thread '"
                    + (other == null ? "?" : other.getName())
                    + "' is consuming this session: consume a StreamSession from one thread at a time");
        }
        try {
            return buffer.poll(nanos);
        } finally {
            consuming.set(null);
        }
    }

    @Override
    public Flow.Publisher<StreamEvent> events() {
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

    private void taken(StreamEvent e) {
        if (e instanceof StreamEvent.Transcript t && t.isFinal() && !t.text().isBlank()) {
            synchronized (transcript) {
                if (transcript.length() > 0) {
                    transcript.append(' ');
                }
                transcript.append(t.text().strip());
            }
        }
    }

    private void overflowed(DeepgramException cause) {
        engine.failNow(cause);
    }

    @Override
    public String accumulatedTranscript() {
        synchronized (transcript) {
            return transcript.toString();
        }
    }

    @Override
    public boolean isDone() {
        return buffer.isEnded();
    }

    @Override
    public long droppedInterimResults() {
        return buffer.droppedInterims();
    }

    @Override
    public SessionState state() {
        return engine.state();
    }

    @Override
    public String requestId() {
        return engine.requestId();
    }

    // ================= closing =================

    @Override
    public void close() {
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
}
