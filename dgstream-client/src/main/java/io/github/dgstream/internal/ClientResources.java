package io.github.dgstream.internal;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * The per-client shared resources: one {@link HttpClient} (strongly referenced, small fixed non-rejecting
 * executor), the engine pool that runs session actors, the handler pool that runs user callbacks, and one timer
 * thread. All threads are daemon threads named {@code dgstream-*}; idle pool threads exit after a few seconds.
 * Sessions never own threads.
 *
 * <p>The {@code HttpClient} executor is a fixed pool of {@code max(8, min(16, cpus))} threads
 * ({@code dgstream-http-*}) with an <em>unbounded</em> {@link LinkedBlockingQueue}: it never rejects a task, so
 * JDK-8277969 (a rejecting executor loses WebSocket callbacks and hangs the socket) cannot happen, and its size no
 * longer follows CPU contention the way a cached pool does (one new thread whenever all are busy: 45-61 threads at
 * 1,000 streams, 216 in a CPU-starved run). The JDK only runs short, non-blocking work on it (frame delivery to our
 * listener, which hops onto the session actor at once; handshake completions), so a queue is the right shape.
 *
 * <p>Not inline ({@code Runnable::run}, {@link #HTTP_INLINE}), although that saves every inbound message one thread
 * hand-off (the selector thread would deliver it to our listener itself): measured at 1,000 streams on 2 cores it
 * used about 0.06 cores less in steady streaming, but with a fault every ~30 s per stream every reconnect's handshake
 * ran on the one selector thread, and the tails grew: message p99 28 and 64 ms in two runs (pooled: 19-24), recovery
 * max 315 ms (pooled: 162-228), recovery p99 73 and 184 ms (pooled: 84-102). A TLS handshake's delegated tasks would
 * run there too (docs/bench).
 */
public final class ClientResources implements AutoCloseable {
    /** {@code httpThreads} for the benchmarks' comparison: the {@code HttpClient} runs its tasks inline. */
    public static final int HTTP_INLINE = -1;

    /** Null only when a benchmark asks for {@link #HTTP_INLINE}. */
    private final ThreadPoolExecutor httpExecutor;

    private final HttpClient http;
    private final ThreadPoolExecutor enginePool;
    private final ThreadPoolExecutor handlerPool;
    private final ScheduledThreadPoolExecutor timer;
    private final Clock clock;
    private final Scheduler scheduler;
    private final DoubleSupplier random;
    private final Transport transport;

    public ClientResources(EngineHooks hooks) {
        this(hooks, null);
    }

    /** @param ssl the TLS context for {@code wss://}, or {@code null} for the JDK default (verifying) context */
    public ClientResources(EngineHooks hooks, javax.net.ssl.SSLContext ssl) {
        this(hooks, ssl, 0);
    }

    /**
     * @param httpThreads the {@code HttpClient} executor's size, or 0 for the default; benchmarks compare sizes and
     *     {@link #HTTP_INLINE}
     */
    public ClientResources(EngineHooks hooks, javax.net.ssl.SSLContext ssl, int httpThreads) {
        int cpus = Runtime.getRuntime().availableProcessors();
        // Fixed size, unbounded queue, never rejects (see the class comment; stack.md rule 1).
        // 8-16 threads: with 2, inbound frames and pongs queued for seconds at 1,000 streams on 2 busy cores.
        httpExecutor = httpThreads == HTTP_INLINE
                ? null
                : fixed(httpThreads > 0 ? httpThreads : Math.max(8, Math.min(16, cpus)), "http");
        HttpClient.Builder hb = HttpClient.newBuilder()
                .executor(httpExecutor != null ? httpExecutor : Runnable::run)
                .connectTimeout(Duration.ofSeconds(10));
        if (ssl != null) {
            hb.sslContext(ssl);
        }
        http = hb.build();
        enginePool = fixed(Math.max(2, Math.min(4, cpus)), "engine");
        handlerPool = fixed(Math.max(2, Math.min(8, cpus)), "handler");
        timer = new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("timer"));
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(5, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        clock = hooks.clock() != null ? hooks.clock() : Clock.SYSTEM;
        scheduler = hooks.scheduler() != null ? hooks.scheduler() : new TimerScheduler(timer);
        random = hooks.random() != null
                ? hooks.random()
                : () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble();
        transport = hooks.transport() != null ? hooks.transport() : new JdkTransport(http);
    }

    private static ThreadPoolExecutor fixed(int n, String role) {
        ThreadPoolExecutor p = new ThreadPoolExecutor(
                n, n, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), new NamedThreadFactory(role));
        p.allowCoreThreadTimeOut(true);
        return p;
    }

    /**
     * The real {@link Scheduler}: the client's one timer thread. Tasks only hop onto an actor or run a tick. Repeating
     * tasks (the liveness ticks) share one {@link TickWheel} per period instead of a timer entry each.
     */
    private static final class TimerScheduler implements Scheduler {
        private final ScheduledThreadPoolExecutor timer;
        /** By period; bounded: liveness tick periods are whole milliseconds in [20, 500]. */
        private final java.util.concurrent.ConcurrentHashMap<Long, TickWheel> wheels =
                new java.util.concurrent.ConcurrentHashMap<>();

        TimerScheduler(ScheduledThreadPoolExecutor timer) {
            this.timer = timer;
        }

        @Override
        public Cancellable schedule(Kind kind, long delayNanos, Runnable task) {
            try {
                var f = timer.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
                return () -> f.cancel(false);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return () -> {}; // the client was closed
            }
        }

        @Override
        public Cancellable scheduleRepeating(Kind kind, long periodNanos, Runnable task) {
            return wheels.computeIfAbsent(periodNanos, p -> new TickWheel(p, this::startEntry))
                    .add(task);
        }

        private Cancellable startEntry(long periodNanos, Runnable run) {
            try {
                // fixed delay, not fixed rate: a timer that fell behind (CPU starvation) must not burst ticks
                var f = timer.scheduleWithFixedDelay(run, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
                return () -> f.cancel(false);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return () -> {}; // the client was closed
            }
        }
    }

    public Clock clock() {
        return clock;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public DoubleSupplier random() {
        return random;
    }

    public Transport transport() {
        return transport;
    }

    /** Pool for session actors (wrap in a {@link SerialExecutor}). Unbounded queue: at most one task per actor. */
    public ExecutorService enginePool() {
        return enginePool;
    }

    /** Pool for user callbacks (wrap in a {@link SerialExecutor} per session). */
    public ExecutorService handlerPool() {
        return handlerPool;
    }

    public HttpClient httpClient() {
        return http;
    }

    /** Stops all pools. Sessions still running are aborted by their owner first. */
    @Override
    public void close() {
        timer.shutdownNow();
        enginePool.shutdown();
        handlerPool.shutdown();
        if (httpExecutor != null) {
            httpExecutor.shutdown();
        }
    }
}
