package io.github.dgstream.emulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The emulator's recordings: the newest {@code limit} of them, and a queue of those not yet taken, bounded the same
 * way, so a long-running emulator's memory stays bounded. Thread-safe.
 */
final class Recordings {
    private final int limit;
    private final ArrayDeque<RecordedConnection> kept = new ArrayDeque<>(); // guarded by itself
    private final BlockingQueue<RecordedConnection> untaken = new LinkedBlockingQueue<>();
    /** Highest index of a recording dropped beyond the limit, or -1 (guarded by {@code kept}). */
    private int droppedIndex = -1;

    Recordings(int limit) {
        this.limit = limit;
    }

    void add(RecordedConnection r) {
        synchronized (kept) {
            kept.addLast(r);
            while (kept.size() > limit) {
                droppedIndex = Math.max(droppedIndex, kept.removeFirst().index());
            }
            kept.notifyAll();
        }
        untaken.add(r);
        while (untaken.size() > limit) {
            untaken.poll();
        }
    }

    RecordedConnection take(Duration timeout) throws InterruptedException {
        return untaken.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    List<RecordedConnection> all() {
        synchronized (kept) {
            return List.copyOf(kept);
        }
    }

    /** Waits up to {@code timeout} for the recording with this index; null on timeout. */
    RecordedConnection get(int index, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (kept) {
            while (true) {
                for (RecordedConnection r : kept) {
                    if (r.index() == index) {
                        return r;
                    }
                }
                if (index <= droppedIndex) {
                    throw new IllegalStateException("the recording of connection " + index
                            + " was dropped: the emulator keeps the newest " + limit
                            + " (Builder.maxRecordedConnections)");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                TimeUnit.NANOSECONDS.timedWait(kept, left);
            }
        }
    }
}
