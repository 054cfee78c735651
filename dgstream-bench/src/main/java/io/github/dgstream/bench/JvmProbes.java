package io.github.dgstream.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a benchmark JVM reads about itself or another process: GC pauses, run-queue waits, a heap histogram. */
final class JvmProbes {
    private JvmProbes() {}

    /**
     * {collections, milliseconds} summed over the JVM's collector beans. For G1, Parallel and Serial these are
     * stop-the-world pauses; ZGC and Shenandoah on JDK 17 also report concurrent cycle time here ("Cycles" beans),
     * so for them only the beans named "Pauses" are counted.
     */
    static long[] gcTotals() {
        long count = 0;
        long ms = 0;
        List<java.lang.management.GarbageCollectorMXBean> beans = ManagementFactory.getGarbageCollectorMXBeans();
        boolean hasPauseBean = beans.stream().anyMatch(b -> b.getName().endsWith("Pauses"));
        for (java.lang.management.GarbageCollectorMXBean b : beans) {
            if (hasPauseBean && !b.getName().endsWith("Pauses")) {
                continue;
            }
            count += Math.max(0, b.getCollectionCount());
            ms += Math.max(0, b.getCollectionTime());
        }
        return new long[] {count, ms};
    }

    /**
     * Time the threads of process {@code pid} spent runnable but waiting for a CPU, summed over its threads
     * ({@code /proc/PID/task/TID/schedstat}, second field; Linux with schedstats), or -1 where that is not readable.
     * Threads that ended are not counted.
     */
    static long runQueueWaitNanos(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        long sum = 0;
        try (var dirs = Files.list(tasks)) {
            for (Path t : (Iterable<Path>) dirs::iterator) {
                try {
                    String[] f = Files.readString(t.resolve("schedstat")).trim().split(" ");
                    sum += Long.parseLong(f[1]);
                } catch (java.io.IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
        return sum;
    }

    /** Per thread group: on-CPU nanoseconds and voluntary context switches, as read by {@link #threadGroups}. */
    record GroupTotals(long cpuNanos, long wakeups) {
        GroupTotals plus(GroupTotals o) {
            return new GroupTotals(cpuNanos + o.cpuNanos, wakeups + o.wakeups);
        }
    }

    /**
     * CPU time ({@code schedstat}, first field) and voluntary context switches (a thread blocked or parked, then was
     * woken) summed per thread group of process {@code pid}: the group is the thread's name as Linux keeps it (15
     * characters) without trailing digits, dashes and {@code #}, e.g. {@code dgstream-engine}, {@code
     * dgstream-handle}, {@code dgstream-http}, {@code HttpClient-1-Se} (the JDK's selector), {@code HttpClient-1-Wo}
     * (its default executor), {@code C2 CompilerThre}, {@code G1 Refine}. Linux only; empty where unreadable. Threads
     * that ended are not counted.
     */
    static Map<String, GroupTotals> threadGroups(long pid) {
        Map<String, GroupTotals> m = new TreeMap<>();
        try (var dirs = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : (Iterable<Path>) dirs::iterator) {
                try {
                    String group = Files.readString(t.resolve("comm")).trim().replaceAll("[-#0-9]+$", "");
                    long cpu = Long.parseLong(
                            Files.readString(t.resolve("schedstat")).trim().split(" ")[0]);
                    long wakeups = 0;
                    for (String line : Files.readAllLines(t.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            wakeups = Long.parseLong(line.substring(24).trim());
                        }
                    }
                    m.merge(group, new GroupTotals(cpu, wakeups), GroupTotals::plus);
                } catch (java.io.IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return Map.of();
        }
        return m;
    }

    /** {@code group:wake-ups per second|...} between two {@link #threadGroups} readings, the 8 largest first. */
    static String wakeupRates(Map<String, GroupTotals> before, Map<String, GroupTotals> after, double seconds) {
        return rates(before, after, GroupTotals::wakeups, seconds, 1, 1, "%.0f");
    }

    /** {@code group:CPU cores|...} between two {@link #threadGroups} readings, the 8 largest first. */
    static String cpuRates(Map<String, GroupTotals> before, Map<String, GroupTotals> after, double seconds) {
        return rates(before, after, GroupTotals::cpuNanos, seconds, 1e9, 0.001, "%.3f");
    }

    private static String rates(
            Map<String, GroupTotals> before,
            Map<String, GroupTotals> after,
            java.util.function.ToLongFunction<GroupTotals> field,
            double seconds,
            double unit,
            double min,
            String format) {
        GroupTotals none = new GroupTotals(0, 0);
        return after.entrySet().stream()
                .map(e -> Map.entry(
                        e.getKey(),
                        (field.applyAsLong(e.getValue()) - field.applyAsLong(before.getOrDefault(e.getKey(), none)))
                                / unit
                                / seconds))
                .filter(e -> e.getValue() >= min)
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .limit(8)
                .map(e ->
                        e.getKey().replace(' ', '_') + ":" + String.format(java.util.Locale.ROOT, format, e.getValue()))
                .collect(java.util.stream.Collectors.joining("|"));
    }

    static String gcNames() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(java.lang.management.GarbageCollectorMXBean::getName)
                .collect(java.util.stream.Collectors.joining("+"))
                .replace(' ', '_');
    }

    static void gc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }

    /** {@code jcmd GC.class_histogram} of this JVM (after a full GC), through the DiagnosticCommand MBean. */
    static String heapHistogram() throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer()
                .invoke(
                        new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                        "gcClassHistogram",
                        new Object[] {new String[0]},
                        new String[] {String[].class.getName()});
    }
}
