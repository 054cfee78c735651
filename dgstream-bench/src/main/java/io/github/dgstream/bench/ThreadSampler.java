package io.github.dgstream.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A worker's thread counts, sampled by the caller every 500 ms: the whole JVM's and the client's. Thread-safe. */
final class ThreadSampler {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final List<int[]> samples = new ArrayList<>(); // {jvm, client, in window}

    /**
     * Client threads: the library's ({@code dgstream-*}), the JDK HttpClient's ({@code HttpClient-*}) and unnamed
     * {@code Thread-N}: on a machine with fewer than 3 CPUs the common pool has parallelism 1, so the HttpClient's
     * "dependent actions" executor ({@code CompletableFuture.defaultExecutor()}) starts one thread per handshake.
     * Nothing else in the worker makes unnamed threads. In mode {@code bare-handoff} also its handler pool.
     */
    static boolean isClient(String name) {
        return name.startsWith("dgstream-")
                || name.startsWith("HttpClient-")
                || name.startsWith("Thread-")
                || name.startsWith("bare-handoff-");
    }

    /** Takes one sample; {@code inWindow} marks it as part of the steady window. */
    void sample(boolean inWindow) {
        ThreadInfo[] infos = threads.getThreadInfo(threads.getAllThreadIds(), 0);
        int jvm = 0;
        int client = 0;
        for (ThreadInfo t : infos) {
            if (t != null) {
                jvm++;
                if (isClient(t.getThreadName())) {
                    client++;
                }
            }
        }
        synchronized (samples) {
            samples.add(new int[] {jvm, client, inWindow ? 1 : 0});
        }
    }

    /** The most client threads in any sample. */
    int maxClient() {
        synchronized (samples) {
            return samples.stream().mapToInt(s -> s[1]).max().orElse(0);
        }
    }

    /** {JVM threads, client threads}: the medians of the window's samples, or -1 each without any. */
    int[] steady() {
        synchronized (samples) {
            int[] jvm = samples.stream()
                    .filter(s -> s[2] == 1)
                    .mapToInt(s -> s[0])
                    .sorted()
                    .toArray();
            int[] client = samples.stream()
                    .filter(s -> s[2] == 1)
                    .mapToInt(s -> s[1])
                    .sorted()
                    .toArray();
            if (jvm.length == 0) {
                return new int[] {-1, -1};
            }
            return new int[] {jvm[jvm.length / 2], client[client.length / 2]};
        }
    }

    /** The names of every live thread, sorted, one a line. */
    String names() {
        StringBuilder sb = new StringBuilder();
        Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds(), 0))
                .filter(t -> t != null)
                .map(ThreadInfo::getThreadName)
                .sorted()
                .forEach(s -> sb.append(s).append('\n'));
        return sb.toString();
    }
}
