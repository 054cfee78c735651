package io.github.dgstream.internal;

import io.github.dgstream.DeepgramEvent;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The pull API's {@link EventSink}: a bounded buffer the consumer takes events from (on its own thread). Policy:
 * block the reader. When {@code capacity} events wait, {@link #offer} returns false and the engine stops reading the
 * socket (TCP back-pressure) until the consumer has taken the buffer down to half. Lifecycle events are always
 * accepted (the engine stops reading, so only a handful can exceed the bound). Endpoint-neutral: v1 and Flux.
 */
public final class PullSink implements EventSink {
    private final int capacity;
    private final ArrayDeque<DeepgramEvent> queue = new ArrayDeque<>();
    private boolean full;
    private boolean completed;
    private Runnable spaceCallback = () -> {};

    public PullSink(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public synchronized boolean offer(DeepgramEvent event) {
        queue.addLast(event);
        notifyAll();
        if (queue.size() >= capacity) {
            full = true;
            return false;
        }
        return true;
    }

    @Override
    public synchronized void onSpace(Runnable callback) {
        this.spaceCallback = callback;
    }

    /** The session is terminal once everything is queued; the consumer drains at its own pace. */
    @Override
    public void complete(Runnable drained) {
        synchronized (this) {
            completed = true;
            notifyAll();
        }
        drained.run();
    }

    /**
     * The next event, waiting up to {@code timeout}; {@code null} on timeout or when the stream is exhausted (see
     * {@link #exhausted()}).
     */
    public DeepgramEvent poll(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        DeepgramEvent e;
        Runnable resume = null;
        synchronized (this) {
            while (queue.isEmpty() && !completed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            e = queue.pollFirst();
            if (e != null && full && queue.size() <= capacity / 2) {
                full = false;
                resume = spaceCallback;
            }
        }
        if (resume != null) {
            resume.run();
        }
        return e;
    }

    /** No event is left and none will come. */
    public synchronized boolean exhausted() {
        return completed && queue.isEmpty();
    }
}
