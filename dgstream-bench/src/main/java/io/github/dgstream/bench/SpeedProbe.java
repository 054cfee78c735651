package io.github.dgstream.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How much CPU time a fixed piece of work costs on this machine right now, measured in the harness's own JVM (idle
 * while a worker runs) twice a second: a register-only loop ({@code alu}) and a chain of dependent loads through 16
 * MiB ({@code mem}, which misses the core's caches). On a VM whose host is shared, the same work can cost more CPU
 * time in one hour or one run than in another, for every process on the guest: a window with a slower register-only
 * probe ran on a slower CPU. The memory probe also rises with the benchmark's own pressure on the caches (it drifted
 * upwards over the workers of one harness run in round 9), so it is reported, not used to normalise anything. Costs
 * about 6 ms of CPU a second (0.006 cores).
 */
final class SpeedProbe implements AutoCloseable {
    private static final int ALU_STEPS = 300_000;
    private static final int MEM_SLOTS = 4 << 20; // ints: 16 MiB
    private static final int MEM_STEPS = 10_000;
    /** At most this many samples are kept (about 14 hours at two a second); older ones are dropped. */
    private static final int MAX_SAMPLES = 100_000;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final int[] next = singleCycle(MEM_SLOTS, new SplittableRandom(7));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "speed-probe");
        t.setDaemon(true);
        return t;
    });
    /** {nanoTime, alu CPU ns, mem CPU ns}, oldest first. */
    private final List<long[]> samples = new ArrayList<>();

    private volatile long sink;
    private int position;

    SpeedProbe() {
        timer.scheduleAtFixedRate(this::sample, 0, 500, TimeUnit.MILLISECONDS);
    }

    /** A permutation of 0..n-1 that is one cycle (Sattolo), so the chase visits every slot in random order. */
    private static int[] singleCycle(int n, SplittableRandom random) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    private void sample() {
        long t0 = threads.getCurrentThreadCpuTime();
        long x = System.nanoTime() | 1;
        for (int i = 0; i < ALU_STEPS; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        long t1 = threads.getCurrentThreadCpuTime();
        int p = position;
        for (int i = 0; i < MEM_STEPS; i++) {
            p = next[p];
        }
        long t2 = threads.getCurrentThreadCpuTime();
        position = p;
        sink = x + p;
        synchronized (samples) {
            if (samples.size() >= MAX_SAMPLES) {
                samples.remove(0);
            }
            samples.add(new long[] {System.nanoTime(), t1 - t0, t2 - t1});
        }
    }

    /**
     * {@code <prefix>alu_us} and {@code <prefix>mem_us}: the median CPU time of each probe over samples taken from
     * {@code fromNanos} to {@code toNanos} ({@code System.nanoTime()}), and how many there were; empty if none.
     */
    Map<String, String> medians(String prefix, long fromNanos, long toNanos) {
        List<long[]> in = new ArrayList<>();
        synchronized (samples) {
            for (long[] s : samples) {
                if (s[0] >= fromNanos && s[0] <= toNanos) {
                    in.add(s);
                }
            }
        }
        Map<String, String> m = new LinkedHashMap<>();
        if (in.size() < 2) { // the first sample also pays for compiling the probe
            return m;
        }
        m.put(prefix + "alu_us", String.format(Locale.ROOT, "%.1f", median(in, 1) / 1e3));
        m.put(prefix + "mem_us", String.format(Locale.ROOT, "%.1f", median(in, 2) / 1e3));
        m.put(prefix + "samples", Integer.toString(in.size()));
        return m;
    }

    private static double median(List<long[]> in, int field) {
        long[] v = in.stream().mapToLong(s -> s[field]).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
