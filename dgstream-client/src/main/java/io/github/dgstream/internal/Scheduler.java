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
}
