package io.github.dgstream.internal;

import io.github.dgstream.DeepgramEvent;
import io.github.dgstream.DeepgramException;
import io.github.dgstream.FluxEvent;
import io.github.dgstream.OverflowPolicy;
import io.github.dgstream.StreamEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

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
    private final ArrayDeque<DeepgramEvent> queue = new ArrayDeque<>();

    // ---- guarded by lock ----
    private int interims;
    private boolean full;
    private boolean completed;
    private boolean discarding;
    private boolean overflowed;
    private Runnable drained;
    private Runnable spaceCallback = () -> {};
    private Runnable listener = () -> {};
    private int highWater;
    private long offered;
    private long droppedInterims;
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

    /** v1 interim transcripts and Flux turn Updates: superseded by a later event of the same kind. */
    private static boolean isInterim(DeepgramEvent e) {
        return (e instanceof StreamEvent.Transcript t && !t.isFinal()) || e instanceof FluxEvent.Update;
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
                if (policy == OverflowPolicy.DROP_INTERIM && queue.size() >= capacity && interims > 0) {
                    evictOldestInterim(); // lifecycle events are never dropped, but interims make room for them
                }
                add(e);
                room = hasRoom();
            } else if (overflowed) {
                room = true; // FAIL already reported: the session is ending, later server events are discarded
            } else if (queue.size() < capacity) {
                add(e);
                room = hasRoom();
            } else {
                switch (policy) {
                    case FAIL -> {
                        overflowed = true;
                        overflow = DeepgramException.builder(
                                        DeepgramException.Kind.OVERFLOW,
                                        "Event buffer overflow: the consumer fell " + capacity
                                                + " events behind (eventBufferCapacity=" + capacity
                                                + ", overflowPolicy=FAIL); the session was failed")
                                .retryable(false)
                                .build();
                        room = true;
                    }
                    case DROP_INTERIM -> {
                        if (interims > 0) {
                            evictOldestInterim();
                            add(e);
                        } else if (isInterim(e)) {
                            droppedInterims++;
                        } else {
                            add(e); // only finals and other undroppable events are buffered: block
                        }
                        room = hasRoom();
                    }
                    default -> {
                        add(e); // BLOCK: the engine was already told to pause; an event of the same message or a
                        // new socket
                        room = hasRoom();
                    }
                }
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

    private void add(DeepgramEvent e) {
        queue.addLast(e);
        if (isInterim(e)) {
            interims++;
        }
        highWater = Math.max(highWater, queue.size());
    }

    private boolean hasRoom() {
        return switch (policy) {
            case FAIL -> true;
            case DROP_INTERIM -> queue.size() < capacity || interims > 0;
            case BLOCK -> queue.size() < capacity;
        };
    }

    private void evictOldestInterim() {
        for (Iterator<DeepgramEvent> it = queue.iterator(); it.hasNext(); ) {
            if (isInterim(it.next())) {
                it.remove();
                interims--;
                droppedInterims++;
                return;
            }
        }
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
            e = queue.pollFirst();
            if (e == null) {
                return null;
            }
            if (isInterim(e)) {
                interims--;
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
        lock.lock();
        try {
            return (completed || discarding) && queue.isEmpty();
        } finally {
            lock.unlock();
        }
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
            dropped = new ArrayList<>(queue);
            queue.clear();
            interims = 0;
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
        lock.lock();
        try {
            return discarding;
        } finally {
            lock.unlock();
        }
    }

    // ================= metrics (tests, diagnostics) =================

    public int capacity() {
        return capacity;
    }

    public int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** The most events the buffer ever held. */
    public int highWaterMark() {
        lock.lock();
        try {
            return highWater;
        } finally {
            lock.unlock();
        }
    }

    /** Events the producer offered (including dropped and discarded ones). */
    public long offered() {
        lock.lock();
        try {
            return offered;
        } finally {
            lock.unlock();
        }
    }

    /** True once the producer said no more events will come. */
    public boolean isCompleted() {
        lock.lock();
        try {
            return completed;
        } finally {
            lock.unlock();
        }
    }

    /** Times the buffer told the engine to stop reading. */
    public long pauses() {
        lock.lock();
        try {
            return pauses;
        } finally {
            lock.unlock();
        }
    }

    /** True while the engine has been told to stop reading and not yet told to resume. */
    public boolean isPaused() {
        lock.lock();
        try {
            return full;
        } finally {
            lock.unlock();
        }
    }

    public long droppedInterims() {
        lock.lock();
        try {
            return droppedInterims;
        } finally {
            lock.unlock();
        }
    }
}
