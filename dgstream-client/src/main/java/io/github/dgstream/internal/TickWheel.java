package io.github.dgstream.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Repeating tasks of one period, run by a single timer task that steps through {@value #SLOTS} slots, one slot every
 * period / {@value #SLOTS}. Each task sits in one slot (assigned in turn) and runs once per period when its slot
 * comes round, on the timer thread. It replaces one timer entry per task: at 1,000 streams the liveness ticks were
 * 2,000 timer-queue insertions a second, each a sift through a 1,000-entry heap and a store into it; with the wheel
 * the timer wakes {@value #SLOTS} times per period whatever the number of tasks, and a step allocates one array and
 * stores nothing into long-lived objects. The slots keep each step's batch small (a 16th of the tasks), so other
 * timers (backoff, connect timeouts) wait behind it for well under a millisecond at 1,000 streams.
 *
 * <p>A task's first run comes when its slot next comes round: within one period of {@link #add}, not exactly one
 * period after it; each later run one period after the previous one. The timer task exists only while the wheel has
 * tasks, so an idle client's timer thread can still exit. Thread-safe.
 */
final class TickWheel {
    static final int SLOTS = 16;

    /** Starts the repeating timer task that steps the wheel (the real one: the client's timer thread). */
    interface Stepper {
        Scheduler.Cancellable start(long stepNanos, Runnable step);
    }

    private final Stepper stepper;
    private final long stepNanos;
    /** Guarded by {@code this}. */
    private final List<Member>[] slots;
    /** Guarded by {@code this}. */
    private int nextSlot;
    /** Guarded by {@code this}. */
    private int dueSlot;
    /** Guarded by {@code this}. */
    private int members;
    /** The timer task while the wheel has members; guarded by {@code this}. */
    private Scheduler.Cancellable stepping;

    @SuppressWarnings("unchecked")
    TickWheel(long periodNanos, Stepper stepper) {
        this.stepper = stepper;
        this.stepNanos = Math.max(1, periodNanos / SLOTS);
        this.slots = new List[SLOTS];
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = new ArrayList<>();
        }
    }

    /** Adds {@code task}, to run once per period until the returned handle is cancelled. */
    Scheduler.Cancellable add(Runnable task) {
        Member m = new Member(task);
        synchronized (this) {
            m.slot = nextSlot;
            nextSlot = (nextSlot + 1) % SLOTS;
            slots[m.slot].add(m);
            if (members++ == 0) {
                stepping = stepper.start(stepNanos, this::step);
            }
        }
        return m;
    }

    /** Runs the tasks of the slot that is due and moves to the next one. */
    void step() {
        Member[] due;
        synchronized (this) {
            List<Member> slot = slots[dueSlot];
            dueSlot = (dueSlot + 1) % SLOTS;
            if (slot.isEmpty()) {
                return;
            }
            due = slot.toArray(new Member[0]); // tasks may cancel (or add) members while they run
        }
        for (Member m : due) {
            if (!m.cancelled) {
                SerialExecutor.runSafely(m.task);
            }
        }
    }

    /** Number of tasks on the wheel. */
    synchronized int size() {
        return members;
    }

    private synchronized void remove(Member m) {
        if (slots[m.slot].remove(m) && --members == 0) {
            stepping.cancel();
            stepping = null;
        }
    }

    private final class Member implements Scheduler.Cancellable {
        final Runnable task;
        int slot;
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
