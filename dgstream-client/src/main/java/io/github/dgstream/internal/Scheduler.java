package io.github.dgstream.internal;

/** Timer service of the engine; injectable so tests can drive timers with virtual time. */
public interface Scheduler {
    /** What a timer is for (lets tests find, e.g., the backoff timer among liveness ticks). */
    enum Kind {
        BACKOFF,
        CONNECT_TIMEOUT,
        LIVENESS,
        FINISH
    }

    /** A scheduled task that can be cancelled. */
    interface Cancellable {
        void cancel();
    }

    /** Runs {@code task} after {@code delayNanos}. The task must be short: the engine only hops onto an actor. */
    Cancellable schedule(Kind kind, long delayNanos, Runnable task);

    /**
     * Runs {@code task} every {@code periodNanos} until cancelled. This default (used by virtual-time test
     * schedulers) is a chain of {@link #schedule} calls, the first run one period from now. The real timer puts all
     * series of one period on one {@link TickWheel}, at most 16 timer entries however many series: the first run
     * comes within one period, and a run stores nothing into long-lived objects.
     */
    default Cancellable scheduleRepeating(Kind kind, long periodNanos, Runnable task) {
        Repeating r = new Repeating(this, kind, periodNanos, task);
        r.scheduleNext();
        return r;
    }

    /** A series of one-shot timers; see {@link #scheduleRepeating}. */
    final class Repeating implements Cancellable, Runnable {
        private final Scheduler scheduler;
        private final Kind kind;
        private final long periodNanos;
        private final Runnable task;
        private volatile boolean cancelled;
        private volatile Cancellable next;

        private Repeating(Scheduler scheduler, Kind kind, long periodNanos, Runnable task) {
            this.scheduler = scheduler;
            this.kind = kind;
            this.periodNanos = periodNanos;
            this.task = task;
        }

        private void scheduleNext() {
            next = scheduler.schedule(kind, periodNanos, this);
            if (cancelled) { // cancelled while scheduling: the timer just made must not outlive the series
                next.cancel();
            }
        }

        @Override
        public void run() {
            if (cancelled) {
                return;
            }
            task.run();
            if (!cancelled) {
                scheduleNext();
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            Cancellable n = next;
            if (n != null) {
                n.cancel();
            }
        }
    }
}
