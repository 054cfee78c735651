package io.github.dgstream.emulator;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A connection's idle timer: expires once no activity was seen for the timeout. Activity only notes the time; the one
 * pending check moves itself forward when it comes due, so a busy connection costs no rescheduling per frame. Not
 * thread-safe: the owning connection calls every method under its lock, and its scheduled check takes that lock
 * before asking {@link #expired()}.
 */
final class IdleTimer {
    private final ScheduledExecutorService scheduler;
    private final long timeoutNanos;
    /** The owner's check, run on the scheduler when a check comes due. */
    private final Runnable check;

    private long lastActivityNanos = System.nanoTime();
    private ScheduledFuture<?> pending;

    IdleTimer(ScheduledExecutorService scheduler, Duration timeout, Runnable check) {
        this.scheduler = scheduler;
        this.timeoutNanos = timeout.toNanos();
        this.check = check;
    }

    /** Arms the timer for the full timeout. */
    void start() {
        schedule(timeoutNanos);
    }

    /** Activity: the timeout counts from now. */
    void touch() {
        lastActivityNanos = System.nanoTime();
    }

    /** Stops the timer for good. */
    void cancel() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    /**
     * For the owner's check: true if the timeout has passed since the last activity (the timer is then stopped);
     * otherwise re-arms for the time left and returns false, as it does once cancelled.
     */
    boolean expired() {
        if (pending == null) {
            return false;
        }
        long remaining = lastActivityNanos + timeoutNanos - System.nanoTime();
        if (remaining > 0) {
            schedule(remaining);
            return false;
        }
        pending = null;
        return true;
    }

    private void schedule(long delayNanos) {
        pending = scheduler.schedule(check, Math.max(delayNanos, 1), TimeUnit.NANOSECONDS);
    }
}
