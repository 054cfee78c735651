package io.github.dgstream.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An actor: runs tasks one at a time, in submission order, on a shared pool. At most one drain task of this executor
 * is in the pool at any time, so many sessions share a few threads and no session owns one.
 */
public final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);
    private static final int BATCH = 256;

    private final Executor pool;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile Thread runner;

    public SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        queue.add(task);
        trySchedule();
    }

    /** True when called from a task of this executor. */
    public boolean inExecutor() {
        return runner == Thread.currentThread();
    }

    private void trySchedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                queue.clear(); // the client was closed: nothing may run any more
            }
        }
    }

    private void drain() {
        runner = Thread.currentThread();
        try {
            for (int i = 0; i < BATCH; i++) {
                Runnable r = queue.poll();
                if (r == null) {
                    break;
                }
                try {
                    r.run();
                } catch (Throwable t) {
                    LOG.error("dgstream internal task failed", t);
                }
            }
        } finally {
            runner = null;
            scheduled.set(false);
        }
        if (!queue.isEmpty()) {
            trySchedule();
        }
    }
}
