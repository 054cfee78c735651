package io.github.dgstream.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * What a worker's streams report while they run: per-message latency stamps and per-reconnect figures, and the
 * RESULT figures made from them. Apart from {@link LoadWorker} so that the streams and transport wrappers depend on
 * this alone, not on the worker's pacing and probes. Called from the JDK's, the engine's and the handlers' threads.
 */
final class StreamRecorder {
    private final LatencyHistogram latency = new LatencyHistogram();
    private final LatencyHistogram decodeLatency = new LatencyHistogram();
    private final LatencyHistogram receiveLatency = new LatencyHistogram();
    private final ConcurrentLinkedQueue<Double> recoveries = new ConcurrentLinkedQueue<>();
    /** The parts of each reconnect, ms, by {@link RecoveryStamping}'s names ({@code --recovery-stamps}). */
    private final ConcurrentHashMap<String, ConcurrentLinkedQueue<Double>> recoveryParts = new ConcurrentHashMap<>();

    private final AtomicInteger reconnects = new AtomicInteger();
    /** Engine reconnect attempts made after a backoff (not at once); {@link RecoveryStamping}'s parts include it. */
    private final AtomicInteger delayedReconnects = new AtomicInteger();

    private final AtomicInteger lossesWriteFirst = new AtomicInteger();
    private final AtomicInteger lossesWriteFirstExplained = new AtomicInteger();

    private final ConcurrentHashMap<String, Integer> causes = new ConcurrentHashMap<>();
    private final AtomicInteger tracedCauses = new AtomicInteger();
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;

    /** The engine's transport wrapper with {@code --recovery-stamps}, else null; set before any stream opens. */
    volatile RecoveryStamping recoveryStamping;

    /** Sets the steady window (nanoTime); latencies are recorded only for messages sent and received in it. */
    void window(long start, long end) {
        windowStart = start;
        windowEnd = end;
    }

    /** Whether {@code fromNs} is at or after the window's start and {@code toNs} before its end. */
    boolean inWindow(long fromNs, long toNs) {
        return fromNs >= windowStart && toNs < windowEnd;
    }

    void latency(long sentNs, long receivedNs) {
        record(latency, sentNs, receivedNs);
    }

    /**
     * The client has decoded the message (engine: in the adapter, before the hand-off to the handler pool; bare: the
     * same instant as {@link #latency}). The difference to the handler latency is what the hand-off costs.
     */
    void decoded(long sentNs, long decodedNs) {
        record(decodeLatency, sentNs, decodedNs);
    }

    /**
     * The JDK has handed the message to the client's listener (engine: before the session actor, only with {@code
     * --received-stamps}; bare: where the bare client's listener starts).
     */
    void received(long sentNs, long receivedNs) {
        record(receiveLatency, sentNs, receivedNs);
    }

    private void record(LatencyHistogram histogram, long sentNs, long atNs) {
        if (inWindow(sentNs, atNs)) {
            histogram.record(atNs - sentNs);
        }
    }

    /**
     * Counts a reconnect by its cause's message without the request id (which made every server close a cause of its
     * own); the first of each kind, up to 5 kinds, prints the underlying exception's stack trace to standard error.
     */
    void reconnecting(Throwable cause) {
        reconnects.incrementAndGet();
        String msg = cause == null ? "?" : String.valueOf(cause.getMessage());
        int request = msg.indexOf(" (request ");
        if (request >= 0) {
            msg = msg.substring(0, request);
        }
        String key = (msg.length() > 60 ? msg.substring(0, 60) : msg).replaceAll("[ ,=|]", "_");
        if (causes.merge(key, 1, Integer::sum) == 1
                && cause != null
                && cause.getCause() != null
                && tracedCauses.incrementAndGet() <= 5) {
            System.err.println("first reconnect of kind " + key + ", underlying exception:");
            cause.getCause().printStackTrace();
        }
    }

    void delayedReconnect() {
        delayedReconnects.incrementAndGet();
    }

    void recovered(double overheadMs) {
        recoveries.add(overheadMs);
    }

    void lossWriteFirst() {
        lossesWriteFirst.incrementAndGet();
    }

    void lossWriteFirstExplained() {
        lossesWriteFirstExplained.incrementAndGet();
    }

    void recoveryPart(String part, long nanos) {
        recoveryParts.computeIfAbsent(part, k -> new ConcurrentLinkedQueue<>()).add(nanos / 1e6);
    }

    /** Puts the {@code lat_*} figures into {@code r} (the {@code lat_received_*} ones only if any was recorded). */
    void putLatencies(Map<String, Object> r) {
        r.put("lat_samples", latency.count());
        r.put("lat_p50_ms", latency.percentileUs(0.50) / 1000);
        r.put("lat_p99_ms", latency.percentileUs(0.99) / 1000);
        r.put("lat_max_ms", latency.maxUs() / 1000);
        r.put("lat_decoded_p50_ms", decodeLatency.percentileUs(0.50) / 1000);
        r.put("lat_decoded_p99_ms", decodeLatency.percentileUs(0.99) / 1000);
        if (receiveLatency.count() > 0) {
            r.put("lat_received_p50_ms", receiveLatency.percentileUs(0.50) / 1000);
            r.put("lat_received_p99_ms", receiveLatency.percentileUs(0.99) / 1000);
        }
    }

    /**
     * Puts the reconnect figures into {@code r}: counts, {@code recovery_*}, the write-first losses and parts with
     * {@code --recovery-stamps}, and the most frequent causes.
     */
    void putReconnects(Map<String, Object> r) {
        double[] rec =
                recoveries.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        r.put("reconnects", reconnects.get());
        r.put("reconnects_delayed", delayedReconnects.get());
        r.put("recovery_p50_ms", pct(rec, 0.5));
        r.put("recovery_p99_ms", pct(rec, 0.99));
        r.put("recovery_max_ms", rec.length == 0 ? Double.NaN : rec[rec.length - 1]);
        if (recoveryStamping != null) {
            r.put("losses_write_first", lossesWriteFirst.get());
            r.put("losses_write_first_explained", lossesWriteFirstExplained.get());
        }
        for (String part : RecoveryStamping.PARTS) {
            ConcurrentLinkedQueue<Double> q = recoveryParts.get(part);
            if (q != null) {
                double[] v =
                        q.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                r.put("recovery_" + part + "_p50_ms", pct(v, 0.5));
                r.put("recovery_" + part + "_p99_ms", pct(v, 0.99));
            }
        }
        r.put(
                "reconnect_causes",
                causes.isEmpty()
                        ? "-"
                        : causes.entrySet().stream()
                                .sorted((a, b) -> b.getValue() - a.getValue())
                                .limit(4)
                                .map(e -> e.getValue() + ":" + e.getKey())
                                .collect(Collectors.joining("|")));
    }

    private static double pct(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    }
}
