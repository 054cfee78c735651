package io.github.dgstream.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Repeating tasks of one period, grouped into at most {@value #SLOTS} slots. Each slot runs all its tasks, one after
 * another on the timer thread, from a single repeating timer entry, which exists only while the slot has tasks; a new
 * task joins the slot with the fewest. So the timer holds at most {@value #SLOTS} entries per period however many
 * tasks there are, and with fewer tasks than slots each task has an entry of its own, as without the wheel.
 *
 * <p>It replaces one timer entry per task: at 1,000 streams the liveness ticks were 2,000 timer-queue insertions a
 * second, each a sift through a 1,000-entry heap and a store into it. With the wheel the timer wakes at most
 * {@value #SLOTS} times per period, and a slot's run allocates one array and stores nothing into long-lived objects.
 * A slot's batch is a 16th of the tasks, so other timers (backoff, connect timeouts) wait behind it for well under a
 * millisecond at 1,000 streams.
 *
 * <p>A task's first run comes when its slot's entry next fires: within one period of {@link #add} (exactly one
 * period when the slot was empty), and each later run one period after the previous one. Thread-safe.
 */
final class TickWheel {
    static final int SLOTS = 16;

    /** Starts a repeating timer entry whose first run is one period from now (the real one: the client's timer). */
    interface Timer {
        Scheduler.Cancellable start(long periodNanos, Runnable run);
    }

    private final Timer timer;
    private final long periodNanos;
    /** Guarded by {@code this}, as is everything in them. */
    private final Slot[] slots = new Slot[SLOTS];

    TickWheel(long periodNanos, Timer timer) {
        this.timer = timer;
        this.periodNanos = periodNanos;
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = new Slot();
        }
    }

    /** Adds {@code task}, to run once per period until the returned handle is cancelled. */
    Scheduler.Cancellable add(Runnable task) {
        Member m = new Member(task);
        synchronized (this) {
            Slot least = slots[0];
            for (Slot s : slots) {
                if (s.members.size() < least.members.size()) {
                    least = s;
                }
            }
            m.slot = least;
            least.members.add(m);
            if (least.entry == null) {
                least.entry = timer.start(periodNanos, least);
            }
        }
        return m;
    }

    /** Number of tasks on the wheel. */
    synchronized int size() {
        int n = 0;
        for (Slot s : slots) {
            n += s.members.size();
        }
        return n;
    }

    /** Number of timer entries the wheel holds now. */
    synchronized int entries() {
        int n = 0;
        for (Slot s : slots) {
            n += s.entry != null ? 1 : 0;
        }
        return n;
    }

    private synchronized void remove(Member m) {
        Slot s = m.slot;
        if (s.members.remove(m) && s.members.isEmpty()) {
            s.entry.cancel(); // an idle client's timer thread can then exit
            s.entry = null;
        }
    }

    private final class Slot implements Runnable {
        final List<Member> members = new ArrayList<>();
        Scheduler.Cancellable entry;

        @Override
        public void run() {
            Member[] due;
            synchronized (TickWheel.this) {
                if (members.isEmpty()) {
                    return;
                }
                due = members.toArray(new Member[0]); // tasks may cancel (or add) members while they run
            }
            for (Member m : due) {
                if (!m.cancelled) {
                    SerialExecutor.runSafely(m.task);
                }
            }
        }
    }

    private final class Member implements Scheduler.Cancellable {
        final Runnable task;
        /** Guarded by the wheel. */
        Slot slot;

        volatile boolean cancelled;

        Member(Runnable task) {
            this.task = task;
        }

        @Override
        public void cancel() {
            if (!cancelled) {
                cancelled = true;
                remove(this);
            }
        }
    }
}
