package io.github.dgstream;

import io.github.dgstream.internal.Clock;
import io.github.dgstream.internal.Scheduler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Virtual time: a clock plus a timer queue that only fires when the test advances time. Thread-safe. */
final class FakeScheduler implements Scheduler, Clock {
    /** One scheduled timer. */
    static final class Entry {
        final Kind kind;
        final long delayNanos;
        final long due;
        final Runnable task;
        boolean cancelled;
        boolean ran;

        Entry(Kind kind, long delayNanos, long due, Runnable task) {
            this.kind = kind;
            this.delayNanos = delayNanos;
            this.due = due;
            this.task = task;
        }

        long delayMs() {
            return TimeUnit.NANOSECONDS.toMillis(delayNanos);
        }
    }

    private long now = 1_000_000_000L;
    private final List<Entry> entries = new ArrayList<>();
    private final List<Entry> history = new ArrayList<>();

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Kind kind, long delayNanos, Runnable task) {
        Entry e = new Entry(kind, delayNanos, now + Math.max(0, delayNanos), task);
        entries.add(e);
        history.add(e);
        return () -> {
            synchronized (FakeScheduler.this) {
                e.cancelled = true;
                entries.remove(e);
            }
        };
    }

    /** The earliest pending timer of this kind. */
    synchronized Optional<Entry> pending(Kind kind) {
        return entries.stream()
                .filter(e -> e.kind == kind && !e.cancelled && !e.ran)
                .min(Comparator.comparingLong(e -> e.due));
    }

    /** Every timer of this kind ever scheduled. */
    synchronized List<Entry> history(Kind kind) {
        return history.stream().filter(e -> e.kind == kind).toList();
    }

    /** Advances time to {@code e}'s due time and fires everything due by then (on the calling thread). */
    void fire(Entry e) {
        advanceTo(e.due, null);
    }

    void advance(long ms) {
        advanceTo(targetAfter(ms), null);
    }

    /**
     * Advances time by up to {@code ms} like {@link #advance}, but stops while a timer of {@code kind} is pending, and
     * never fires one. The check and each step are atomic with {@link #schedule}, so a caller waiting for such a timer
     * cannot skip past one scheduled while it was looking (a check-then-advance in the test could).
     */
    void advanceUnlessPending(Kind kind, long ms) {
        advanceTo(targetAfter(ms), kind);
    }

    private synchronized long targetAfter(long ms) {
        return now + TimeUnit.MILLISECONDS.toNanos(ms);
    }

    private void advanceTo(long target, Kind stopAt) {
        while (true) {
            Entry next;
            synchronized (this) {
                if (stopAt != null && pending(stopAt).isPresent()) {
                    return;
                }
                next = entries.stream()
                        .filter(e -> e.due <= target)
                        .min(Comparator.comparingLong(e -> e.due))
                        .orElse(null);
                if (next == null) {
                    now = Math.max(now, target);
                    return;
                }
                entries.remove(next);
                next.ran = true;
                now = Math.max(now, next.due);
            }
            next.task.run();
        }
    }
}
