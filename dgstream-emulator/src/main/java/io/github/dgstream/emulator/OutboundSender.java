package io.github.dgstream.emulator;

import java.util.ArrayDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs one connection's outbound actions (sends, the close frame) in submission order, each delayed by a fixed
 * latency. With zero latency an action runs at once on the caller's thread (callers hold the connection lock, so
 * order is preserved).
 */
final class OutboundSender {
    private record Pending(long dueNanos, Runnable action) {}

    private final ScheduledExecutorService scheduler;
    private final long latencyNanos;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean scheduled;
    private boolean discarded;

    OutboundSender(ScheduledExecutorService scheduler, long latencyNanos) {
        this.scheduler = scheduler;
        this.latencyNanos = latencyNanos;
    }

    void submit(Runnable action) {
        if (latencyNanos <= 0) {
            synchronized (this) {
                if (discarded) {
                    return;
                }
            }
            action.run();
            return;
        }
        synchronized (this) {
            if (discarded) {
                return;
            }
            queue.add(new Pending(System.nanoTime() + latencyNanos, action));
            if (!scheduled) {
                scheduled = true;
                scheduler.schedule(this::drain, latencyNanos, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** Drops everything queued and everything submitted later. */
    synchronized void discard() {
        discarded = true;
        queue.clear();
    }

    private void drain() {
        while (true) {
            Pending next;
            synchronized (this) {
                next = queue.peek();
                if (next == null) {
                    scheduled = false;
                    return;
                }
                long wait = next.dueNanos() - System.nanoTime();
                if (wait > 0) {
                    scheduler.schedule(this::drain, wait, TimeUnit.NANOSECONDS);
                    return;
                }
                queue.poll();
            }
            try {
                next.action().run();
            } catch (RuntimeException e) {
                // a send on a closed session; nothing to do
            }
        }
    }
}
