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

/**
 * The queue behind an {@link EventBuffer} and its {@link OverflowPolicy}: which event is admitted, evicted or
 * dropped at capacity, and whether the producer may go on. Not thread-safe: guarded by the buffer's lock.
 */
final class PolicyQueue {
    /** Whether the producer may go on, and the overflow to report (once, for {@code FAIL}). */
    record Admission(boolean room, DeepgramException overflow) {
        static final Admission ROOM = new Admission(true, null);
        static final Admission NO_ROOM = new Admission(false, null);
    }

    private final int capacity;
    private final OverflowPolicy policy;
    private final ArrayDeque<DeepgramEvent> queue = new ArrayDeque<>();
    private int interims;
    private boolean overflowed;
    private int highWater;
    private long droppedInterims;

    PolicyQueue(int capacity, OverflowPolicy policy) {
        this.capacity = capacity;
        this.policy = policy;
    }

    /** v1 interim transcripts and Flux turn Updates: superseded by a later event of the same kind. */
    static boolean isInterim(DeepgramEvent e) {
        return (e instanceof StreamEvent.Transcript t && !t.isFinal()) || e instanceof FluxEvent.Update;
    }

    /** A lifecycle event the session generated: never dropped; under {@code DROP_INTERIM} an interim makes room. */
    boolean admitLifecycle(DeepgramEvent e) {
        if (policy == OverflowPolicy.DROP_INTERIM && queue.size() >= capacity && interims > 0) {
            evictOldestInterim();
        }
        add(e);
        return hasRoom();
    }

    /** A server event: governed by the capacity and the policy. */
    Admission admitServer(DeepgramEvent e) {
        if (overflowed) {
            return Admission.ROOM; // FAIL already reported: the session is ending, later server events are discarded
        }
        if (queue.size() < capacity) {
            add(e);
            return room();
        }
        switch (policy) {
            case FAIL -> {
                overflowed = true;
                return new Admission(
                        true,
                        DeepgramException.builder(
                                        DeepgramException.Kind.OVERFLOW,
                                        "Event buffer overflow: the consumer fell " + capacity
                                                + " events behind (eventBufferCapacity=" + capacity
                                                + ", overflowPolicy=FAIL); the session was failed")
                                .retryable(false)
                                .build());
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
                return room();
            }
            default -> {
                add(e); // BLOCK: the engine was already told to pause; an event of the same message or a new socket
                return room();
            }
        }
    }

    private Admission room() {
        return hasRoom() ? Admission.ROOM : Admission.NO_ROOM;
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

    /** The oldest event, or null. */
    DeepgramEvent poll() {
        DeepgramEvent e = queue.pollFirst();
        if (e != null && isInterim(e)) {
            interims--;
        }
        return e;
    }

    /** Removes and returns everything, oldest first. */
    List<DeepgramEvent> drain() {
        List<DeepgramEvent> all = new ArrayList<>(queue);
        queue.clear();
        interims = 0;
        return all;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int size() {
        return queue.size();
    }

    int highWater() {
        return highWater;
    }

    long droppedInterims() {
        return droppedInterims;
    }
}
