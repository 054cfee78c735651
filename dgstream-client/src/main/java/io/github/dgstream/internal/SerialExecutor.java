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
 *
 * <p>{@link #executeInline} runs a task on the calling thread when the actor is idle. The hot paths use it (an audio
 * frame from {@code send}, a message from the transport): a pool hand-off per frame costs a queue insertion and
 * usually a thread wake-up, and at 1,000 streams the results waited behind every stream's audio in the pool's
 * queue. Only engine code runs inline, never user code, and it never blocks.
 */
public final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);
    private static final int BATCH = 256;

    private final Executor pool;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /**
     * The id of the thread that last ran tasks (kept after it stops; see {@link #enter}) and whether it is running
     * now. An id, not the {@code Thread}: a reference stored into this long-lived object costs G1 a dirty card to
     * refine whenever the running thread changes, which on the hot paths (sends from several threads, messages on
     * the HttpClient pool) is nearly every time. Thread ids are never reused while the JVM runs.
     */
    private volatile long runner = -1;

    private volatile boolean running;

    /** The running task's follow-up ({@link #executeNext}); touched only by the thread running this actor. */
    private Runnable next;

    public SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        queue.add(task);
        trySchedule();
    }

    /**
     * Runs {@code task} now on the calling thread if no task of this actor is running or queued; otherwise queues it
     * like {@link #execute}. Either way tasks keep their order. Must not be called while holding a lock that
     * another task of this actor takes.
     */
    public void executeInline(Runnable task) {
        if (!queue.isEmpty() || poolClosed() || !scheduled.compareAndSet(false, true)) {
            execute(task);
            return;
        }
        if (!queue.isEmpty()) { // a task slipped in between the check and the claim: it goes first
            queue.add(task);
            submitDrain();
            return;
        }
        enter();
        try {
            runWithFollowUp(task);
        } finally {
            exit(); // tasks queued while this one ran go to the pool, not to the caller
        }
    }

    /**
     * From a task of this actor: runs {@code task} right after it, on the same thread, if no other task is queued by
     * then; otherwise queues it behind them, as {@link #execute} would. Unlike {@code execute}, a follow-up of a task
     * that runs inline ({@link #executeInline}) stays on the caller's thread instead of waiting for a pool thread. So
     * it may run on a transport or timer thread: only for engine code that never blocks and runs no user code.
     * Two follow-ups of one task run back to back, in order. Called from any other thread, it is {@code execute}.
     */
    public void executeNext(Runnable task) {
        if (!inExecutor()) {
            execute(task);
            return;
        }
        Runnable first = next;
        next = first == null
                ? task
                : () -> {
                    runSafely(first);
                    runSafely(task);
                };
    }

    private void runWithFollowUp(Runnable task) {
        runSafely(task);
        Runnable n;
        while ((n = next) != null) {
            next = null;
            if (!queue.isEmpty()) { // tasks that came meanwhile go first: order is kept
                queue.add(n);
                return;
            }
            runSafely(n);
        }
    }

    private boolean poolClosed() {
        return pool instanceof java.util.concurrent.ExecutorService es && es.isShutdown();
    }

    /** True when called from a task of this executor. */
    public boolean inExecutor() {
        return running && runner == Thread.currentThread().getId();
    }

    private void trySchedule() {
        if (scheduled.compareAndSet(false, true)) {
            submitDrain();
        }
    }

    /** Hands the drain to the pool; the caller holds {@code scheduled}. */
    private void submitDrain() {
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) {
            scheduled.set(false);
            queue.clear(); // the client was closed: nothing may run any more
        }
    }

    /** Marks the calling thread as this actor's runner (stored only when it changes: a volatile store is a fence). */
    private void enter() {
        long me = Thread.currentThread().getId();
        if (runner != me) {
            runner = me;
        }
        running = true;
    }

    /** Releases the actor and hands any queued tasks to the pool. */
    private void exit() {
        running = false;
        scheduled.set(false);
        if (!queue.isEmpty()) {
            trySchedule();
        }
    }

    static void runSafely(Runnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            LOG.error("dgstream internal task failed", t);
        }
    }

    private void drain() {
        enter();
        try {
            for (int i = 0; i < BATCH; i++) {
                Runnable r = queue.poll();
                if (r == null) {
                    break;
                }
                runWithFollowUp(r);
            }
        } finally {
            exit();
        }
    }
}
