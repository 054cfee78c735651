package io.github.dgstream.internal;

import io.github.dgstream.DeepgramEvent;
import io.github.dgstream.DeepgramException;
import io.github.dgstream.OverflowPolicy;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The pull API's {@link EventSink}: a bounded buffer between the session actor (producer) and one consumer (an
 * iterator, {@code poll}, or a {@code Flow.Publisher}). The {@link OverflowPolicy} decides what happens at capacity:
 * {@code BLOCK} returns false from {@link #offer} so the engine stops reading the socket until the consumer has
 * taken half the buffer; {@code DROP_INTERIM} evicts interim transcripts first and blocks only when nothing may be
 * dropped; {@code FAIL} reports an overflow once through the failure callback and discards later server events.
 *
 * <p>Server events ({@code Transcript}, {@code SpeechStarted}, {@code UtteranceEnd}, {@code Metadata}, unhandled
 * messages) are what the capacity governs. Lifecycle events the session generates itself are always accepted, so
 * they are never lost; with the engine paused at capacity that adds at most one event per reconnect attempt (plus
 * one server message per new socket, which the transport reads before the engine can pause it) and the final
 * error and close.
 *
 * <p>Thread-safe. Events leave the buffer exactly once, either to the consumer or by {@link #discardAll()}; both
 * pass them to the {@code onTaken} observer, outside the lock, in order.
 */
public final class EventBuffer implements EventSink {
    private final int capacity;
    private final OverflowPolicy policy;
    private final Consumer<DeepgramException> overflowFailure;
    private final Consumer<DeepgramEvent> onTaken;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    // ---- guarded by lock ----
    private final PolicyQueue queue;
    private boolean full;
    private boolean completed;
    private boolean discarding;
    private Runnable drained;
    private Runnable spaceCallback = () -> {};
    private Runnable listener = () -> {};
    private long offered;
    private long pauses;

    /**
     * @param overflowFailure called once (on the offering thread, outside the lock) when a {@code FAIL} buffer
     *     overflows
     * @param onTaken sees every event that leaves the buffer, consumed or discarded
     */
    public EventBuffer(
            int capacity,
            OverflowPolicy policy,
            Consumer<DeepgramException> overflowFailure,
            Consumer<DeepgramEvent> onTaken) {
        if (capacity < 1) {
            throw new IllegalArgumentException("eventBufferCapacity must be >= 1, was " + capacity);
        }
        this.capacity = capacity;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.overflowFailure = Objects.requireNonNull(overflowFailure, "overflowFailure");
        this.onTaken = Objects.requireNonNull(onTaken, "onTaken");
        this.queue = new PolicyQueue(capacity, policy);
    }

    /** True for events that come from the server and are governed by the capacity. */
    static boolean isServerEvent(DeepgramEvent e) {
        return switch (e.type()) {
            case TRANSCRIPT, SPEECH_STARTED, UTTERANCE_END, METADATA, UNHANDLED -> true;
            case CONNECTED,
                    START_OF_TURN,
                    UPDATE,
                    EAGER_END_OF_TURN,
                    TURN_RESUMED,
                    END_OF_TURN,
                    CONFIGURE_SUCCESS,
                    CONFIGURE_FAILURE,
                    WARNING -> true;
            default -> false;
        };
    }

    // ================= producer side (the session actor) =================

    @Override
    public boolean offer(DeepgramEvent e) {
        Objects.requireNonNull(e, "event");
        boolean room;
        DeepgramException overflow = null;
        DeepgramEvent discarded = null;
        Runnable l;
        lock.lock();
        try {
            offered++;
            l = listener;
            if (discarding) {
                discarded = e;
                room = true;
            } else if (!isServerEvent(e)) {
                room = queue.admitLifecycle(e);
            } else {
                PolicyQueue.Admission a = queue.admitServer(e);
                room = a.room();
                overflow = a.overflow();
            }
            if (!room && !full) {
                full = true;
                pauses++;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (discarded != null) {
            onTaken.accept(discarded);
        }
        if (overflow != null) {
            overflowFailure.accept(overflow);
        }
        l.run();
        return room;
    }

    @Override
    public void onSpace(Runnable callback) {
        lock.lock();
        try {
            spaceCallback = Objects.requireNonNull(callback);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void complete(Runnable drained) {
        Runnable d;
        Runnable l;
        lock.lock();
        try {
            completed = true;
            this.drained = drained;
            d = takeDrainedIfDone();
            l = listener;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (d != null) {
            d.run();
        }
        l.run();
    }

    private Runnable takeDrainedIfDone() {
        if (completed && queue.isEmpty() && drained != null) {
            Runnable d = drained;
            drained = null;
            return d;
        }
        return null;
    }

    // ================= consumer side =================

    /** Registers the one consumer-side listener, run (on any thread, outside the lock) after every change. */
    public void setListener(Runnable listener) {
        lock.lock();
        try {
            this.listener = Objects.requireNonNull(listener);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the next event, waiting up to {@code timeoutNanos} (0: do not wait).
     *
     * @return the event, or null on timeout, when the stream has ended, or after {@link #discardAll()}
     */
    public DeepgramEvent poll(long timeoutNanos) throws InterruptedException {
        DeepgramEvent e;
        Runnable resume = null;
        Runnable d;
        lock.lock();
        try {
            long left = timeoutNanos;
            while (queue.isEmpty() && !completed && !discarding) {
                if (left <= 0) {
                    return null;
                }
                left = changed.awaitNanos(left);
            }
            e = queue.poll();
            if (e == null) {
                return null;
            }
            if (full && queue.size() <= capacity / 2) {
                full = false;
                resume = spaceCallback;
            }
            d = takeDrainedIfDone();
        } finally {
            lock.unlock();
        }
        onTaken.accept(e);
        if (resume != null) {
            resume.run();
        }
        if (d != null) {
            d.run();
        }
        return e;
    }

    /** Takes the next event without waiting, or returns null. */
    public DeepgramEvent tryPoll() {
        try {
            return poll(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // poll(0) never waits; keep the flag if it was set
            return null;
        }
    }

    /** True when the producer completed and every event was taken (or discarded). */
    public boolean isEnded() {
        return locked(() -> (completed || discarding) && queue.isEmpty());
    }

    /**
     * The consumer is gone: discard what is buffered and everything offered from now on (each still passes through
     * {@code onTaken}), never block the producer again, and wake any waiting consumer. Idempotent.
     */
    public void discardAll() {
        List<DeepgramEvent> dropped;
        Runnable resume = null;
        Runnable d;
        Runnable l;
        lock.lock();
        try {
            discarding = true;
            dropped = queue.drain();
            if (full) {
                full = false;
                resume = spaceCallback;
            }
            d = takeDrainedIfDone();
            l = listener;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        dropped.forEach(onTaken);
        if (resume != null) {
            resume.run();
        }
        if (d != null) {
            d.run();
        }
        l.run();
    }

    public boolean isDiscarding() {
        return locked(() -> discarding);
    }

    // ================= metrics (tests, diagnostics) =================

    public int capacity() {
        return capacity;
    }

    public int size() {
        return locked(queue::size);
    }

    /** The most events the buffer ever held. */
    public int highWaterMark() {
        return locked(queue::highWater);
    }

    /** Events the producer offered (including dropped and discarded ones). */
    public long offered() {
        return locked(() -> offered);
    }

    /** True once the producer said no more events will come. */
    public boolean isCompleted() {
        return locked(() -> completed);
    }

    /** Times the buffer told the engine to stop reading. */
    public long pauses() {
        return locked(() -> pauses);
    }

    /** True while the engine has been told to stop reading and not yet told to resume. */
    public boolean isPaused() {
        return locked(() -> full);
    }

    public long droppedInterims() {
        return locked(queue::droppedInterims);
    }

    private <T> T locked(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }
}
