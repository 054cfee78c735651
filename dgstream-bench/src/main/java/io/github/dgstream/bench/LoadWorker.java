package io.github.dgstream.bench;

import io.github.dgstream.emulator.speech.AudioFormat;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One measured client JVM (started by {@link LoadHarness}): N concurrent streams of synthetic speech at real-time
 * pace against an emulator URL, in mode {@code engine} (dgstream), {@code bare} (plain JDK WebSocket + Jackson) or
 * {@code bare-handoff} (the same, with the handler on a pool the size of dgstream's handler pool), on {@code --api v1}
 * ({@code /v1/listen}, words from final Results) or {@code flux} ({@code /v2/listen}, words from EndOfTurn).
 * Prints one line {@code RESULT key=value ...}. Stops by itself: every stream sends a fixed amount of audio, then
 * finishes; a watchdog exits the JVM if anything hangs.
 *
 * <p>Timeline: streams open at {@code --ramp} per second, each starting its own audio when open (so chunk times are
 * spread, not in lockstep). The steady window runs from {@code --warmup} seconds after the last stream opened to
 * 1 s before the first stream runs out of audio; CPU, thread counts and latency are taken in it, heap right after it.
 */
public final class LoadWorker {
    private final Map<String, String> opt;
    private final String mode;
    private final String api;
    private final int n;
    private final double duration;
    private final int chunkMs;
    private final StreamRecorder recorder = new StreamRecorder();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final ThreadSampler threadSampler = new ThreadSampler();

    private LoadWorker(Map<String, String> opt) {
        this.opt = opt;
        this.mode = opt.getOrDefault("mode", "engine");
        this.api = opt.getOrDefault("api", "v1");
        if (!api.equals("v1") && !api.equals("flux")) {
            throw new IllegalArgumentException("--api must be v1 or flux: " + api);
        }
        this.n = Integer.parseInt(opt.getOrDefault("streams", "10"));
        this.duration = Double.parseDouble(opt.getOrDefault("duration", "30"));
        this.chunkMs = Integer.parseInt(opt.getOrDefault("chunk-ms", "50"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = LoadHarness.parse(args);
        LoadWorker w = new LoadWorker(opt);
        double hard = w.duration + w.n / Double.parseDouble(opt.getOrDefault("ramp", "100")) + 120;
        Thread watchdog = new Thread(
                () -> {
                    try {
                        Thread.sleep((long) (hard * 1000));
                        System.out.println("RESULT error=watchdog-timeout");
                        System.out.flush();
                        Runtime.getRuntime().halt(3);
                    } catch (InterruptedException e) {
                        // done in time
                    }
                },
                "bench-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Map<String, Object> r = w.run();
        StringBuilder sb = new StringBuilder("RESULT");
        r.forEach((k, v) -> sb.append(' ').append(k).append('=').append(format(v)));
        System.out.println(sb);
        System.out.flush();
        System.exit(0);
    }

    private static String format(Object v) {
        if (v instanceof Double d) {
            return Double.isNaN(d) ? "NaN" : String.format(Locale.ROOT, "%.6g", d);
        }
        return String.valueOf(v).replace(' ', '_');
    }

    private Map<String, Object> run() throws Exception {
        URI base = URI.create(opt.get("url"));
        String encoding = opt.getOrDefault("encoding", "mulaw");
        AudioFormat format = encoding.equals("mulaw") ? AudioFormat.mulaw8k() : AudioFormat.linear16(8000);
        SpeechScript script = new SpeechScript(duration, format, Long.parseLong(opt.getOrDefault("seed", "1")));
        int rate = format.bytesPerSecond();
        int chunkBytes = rate * chunkMs / 1000;
        int totalChunks = (script.audio.length + chunkBytes - 1) / chunkBytes;
        double ramp = Double.parseDouble(opt.getOrDefault("ramp", "100"));
        double warmup = Double.parseDouble(opt.getOrDefault("warmup", "5"));
        int threadsBefore = threads.getThreadCount();

        LoadClients clients = LoadClients.create(opt, mode, api, n, base, encoding, script, recorder);
        List<LoadStream> streams = clients.streams;
        JvmProbes.gc();
        long heapBase = memory.getHeapMemoryUsage().getUsed();

        ScheduledExecutorService pacer = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "bench-pacer");
            t.setDaemon(true);
            return t;
        });
        long chunkNanos = chunkMs * 1_000_000L;
        List<CompletableFuture<Void>> finished = new ArrayList<>();
        AtomicInteger openFailures = new AtomicInteger();
        CompletableFuture<?>[] opened = new CompletableFuture<?>[n];
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(
                () -> {
                    long now = System.nanoTime();
                    threadSampler.sample(recorder.inWindow(now, now));
                },
                0,
                500,
                TimeUnit.MILLISECONDS);
        for (int i = 0; i < n; i++) {
            LoadStream s = streams.get(i);
            CompletableFuture<Void> f = new CompletableFuture<>();
            opened[i] = f;
            long at = (long) (i * 1e9 / ramp);
            pacer.schedule(
                    () -> s.open().whenComplete((v, err) -> {
                        if (err != null) {
                            s.fail("open: " + err);
                            openFailures.incrementAndGet();
                        } else {
                            s.t0 = System.nanoTime();
                        }
                        f.complete(null);
                    }),
                    at,
                    TimeUnit.NANOSECONDS);
        }
        Runnable tick = () -> {
            long now = System.nanoTime();
            for (LoadStream s : streams) {
                long t0 = s.t0;
                if (t0 == 0 || s.chunksSent >= totalChunks) {
                    continue;
                }
                long due = Math.min(totalChunks, (now - t0) / chunkNanos + 1);
                while (s.chunksSent < due) {
                    int off = s.chunksSent * chunkBytes;
                    int len = Math.min(chunkBytes, script.audio.length - off);
                    try {
                        s.send(script.audio, off, len);
                    } catch (RuntimeException e) {
                        s.fail("send: " + e);
                        s.chunksSent = totalChunks;
                        break;
                    }
                    s.chunksSent++;
                    if (s.chunksSent == totalChunks) {
                        synchronized (finished) {
                            finished.add(s.finish().exceptionally(e -> null));
                        }
                    }
                }
            }
        };
        pacer.scheduleAtFixedRate(
                tick, 0, Long.parseLong(opt.getOrDefault("tick-ms", "5")) * 1_000_000L, TimeUnit.NANOSECONDS);

        CompletableFuture.allOf(opened).get((long) (n / ramp + 60), TimeUnit.SECONDS);
        long allOpen = System.nanoTime();
        long firstT0 =
                streams.stream().mapToLong(s -> s.t0).filter(t -> t > 0).min().orElse(allOpen);
        long ws = allOpen + (long) (warmup * 1e9);
        long we = firstT0 + (long) ((script.seconds() - 1) * 1e9);
        if (we - ws < 3_000_000_000L) {
            System.err.println("warning: steady window under 3 s; raise --duration or lower --streams/--ramp");
            ws = allOpen;
        }
        recorder.window(ws, we);
        sleepUntil(ws);
        System.out.println("WINDOW start"); // the harness has the emulator measure its write times over the window
        System.out.flush();
        long cpu0 = os.getProcessCpuTime();
        long[] gc0 = JvmProbes.gcTotals();
        long runq0 = JvmProbes.runQueueWaitNanos(ProcessHandle.current().pid());
        Map<String, JvmProbes.GroupTotals> groups0 =
                JvmProbes.threadGroups(ProcessHandle.current().pid());
        long jit0 = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        long t0 = System.nanoTime();
        sleepUntil(we);
        long cpu1 = os.getProcessCpuTime();
        long[] gc1 = JvmProbes.gcTotals();
        long runq1 = JvmProbes.runQueueWaitNanos(ProcessHandle.current().pid());
        Map<String, JvmProbes.GroupTotals> groups1 =
                JvmProbes.threadGroups(ProcessHandle.current().pid());
        long jit1 = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        System.out.println("WINDOW end");
        System.out.flush();
        double windowS = (System.nanoTime() - t0) / 1e9;
        // heap after the window (a full GC disturbs latency, so it is outside the latency window)
        double replayBytes = 0;
        for (LoadStream s : streams) {
            // the journal's blocks, live and spare (each also has a 16-byte array header and a 32-byte record)
            long storage = s.replayStorageBytes();
            replayBytes += storage + storage / 4096 * 48;
        }
        JvmProbes.gc();
        long heapUsed = memory.getHeapMemoryUsage().getUsed();
        if (opt.containsKey("heap-histogram")) {
            // what the heap per stream is made of, taken while every stream is still connected
            Path dir = Path.of(opt.get("heap-histogram"));
            Files.createDirectories(dir);
            Files.writeString(
                    dir.resolve("histo-" + mode + "-" + api + "-" + base.getScheme() + "-" + n + ".txt"),
                    JvmProbes.heapHistogram());
        }

        // let every stream finish
        CompletableFuture<Void> all;
        while (true) {
            synchronized (finished) {
                if (finished.size() + openFailures.get() >= n
                        || streams.stream().allMatch(s -> s.failed || s.chunksSent >= totalChunks)) {
                    all = CompletableFuture.allOf(finished.toArray(CompletableFuture[]::new));
                    break;
                }
            }
            Thread.sleep(200);
        }
        try {
            all.get(90, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            System.err.println("warning: some streams did not finish within 90 s");
        }
        pacer.shutdownNow();
        sampler.shutdownNow();
        int peakJvm = threads.getPeakThreadCount();

        int finals = 0;
        long received = 0;
        long lost = 0;
        long doubled = 0;
        long unknown = 0;
        long lostUnreported = 0;
        double reportedLost = 0;
        int failed = 0;
        List<String> failures = new ArrayList<>();
        for (LoadStream s : streams) {
            StreamStats st = s.stats;
            finals += st.finals;
            received += st.received;
            lost += st.lostAtEnd();
            // Loss the engine announced (journal overflow, in Reconnected.lostSeconds) is by design; loss in a stream
            // that announced none is a bug.
            reportedLost += st.reportedLostSeconds;
            if (st.reportedLostSeconds == 0) {
                lostUnreported += st.lostAtEnd() + st.unknown;
            }
            doubled += st.doubled;
            unknown += st.unknown;
            if (s.failed) {
                failed++;
                if (failures.size() < 3) {
                    failures.add(s.failure);
                }
            }
        }
        for (LoadStream s : streams) {
            s.abort();
        }
        clients.close();
        int[] steady = threadSampler.steady();

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mode", mode);
        r.put("api", api);
        r.put("scheme", base.getScheme());
        r.put("streams", n);
        r.put("audio_s", script.seconds());
        r.put("encoding", encoding + "/8000");
        r.put("chunk_ms", chunkMs);
        r.put("window_s", windowS);
        r.put("threads_jvm_before", threadsBefore);
        r.put("threads_jvm_steady", steady[0]);
        r.put("threads_jvm_peak", peakJvm);
        r.put("threads_client_steady", steady[1]);
        r.put("threads_client_peak", threadSampler.maxClient());
        r.put("heap_per_stream_kib", (heapUsed - heapBase - replayBytes) / n / 1024.0);
        r.put("replay_per_stream_kib", replayBytes / n / 1024.0);
        r.put("cpu_s_per_stream_per_audio_s", (cpu1 - cpu0) / 1e9 / windowS / n);
        r.put("cpu_cores", (cpu1 - cpu0) / 1e9 / windowS);
        recorder.putLatencies(r);
        r.put("runq_wait_ms_per_s", runq0 < 0 || runq1 < 0 ? Double.NaN : (runq1 - runq0) / 1e6 / windowS);
        r.put("wakeups_per_s", JvmProbes.wakeupRates(groups0, groups1, windowS));
        r.put("cpu_cores_by_group", JvmProbes.cpuRates(groups0, groups1, windowS));
        r.put("jit_ms_per_s", (jit1 - jit0) / windowS);
        r.put("gc", JvmProbes.gcNames());
        r.put("gc_pauses", gc1[0] - gc0[0]);
        r.put("gc_pause_share", (gc1[1] - gc0[1]) / 1e3 / windowS);
        r.put("finals", finals);
        r.put("words_expected", (long) script.words.size() * n);
        r.put("words_received", received);
        r.put("words_lost", lost);
        r.put("words_doubled", doubled);
        r.put("words_unknown", unknown);
        r.put("words_lost_unreported", lostUnreported);
        r.put("audio_lost_reported_s", reportedLost);
        r.put("streams_failed", failed);
        recorder.putReconnects(r);
        r.put("failures", failures.isEmpty() ? "-" : String.join("|", failures));
        if (opt.containsKey("dump-threads")) {
            Files.writeString(Path.of(opt.get("dump-threads")), threadSampler.names());
        }
        return r;
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }
}
