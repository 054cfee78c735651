package io.github.dgstream.emulator;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A latency histogram for the benchmark figures ({@link SendStamps}): 1 µs buckets up to 10 ms, 100 µs buckets up to
 * 1 s, one bucket beyond (reported as 1 s). Fixed size (about 160 KB), thread-safe, lock-free.
 */
final class LatencyCounts {
    private static final int FINE = 10_000;
    private static final int COARSE = 9_900;
    private final AtomicLongArray counts = new AtomicLongArray(FINE + COARSE + 1);

    void record(long nanos) {
        long us = Math.max(0, nanos / 1000);
        int i = us < FINE ? (int) us : us < 1_000_000 ? FINE + (int) ((us - FINE) / 100) : FINE + COARSE;
        counts.incrementAndGet(i);
    }

    void reset() {
        for (int i = 0; i < counts.length(); i++) {
            counts.set(i, 0);
        }
    }

    /** {@code PREFIXn=... PREFIXp50_ms=... PREFIXp99_ms=... PREFIXmax_ms=...} over what was recorded since reset. */
    String report(String prefix) {
        long[] c = new long[counts.length()];
        long n = 0;
        for (int i = 0; i < c.length; i++) {
            c[i] = counts.get(i);
            n += c[i];
        }
        return String.format(
                Locale.ROOT,
                "%1$sn=%2$d %1$sp50_ms=%3$.3f %1$sp99_ms=%4$.3f %1$smax_ms=%5$.3f",
                prefix,
                n,
                quantileMs(c, n, 0.50),
                quantileMs(c, n, 0.99),
                quantileMs(c, n, 1.0));
    }

    private static double quantileMs(long[] c, long n, double q) {
        if (n == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(q * n));
        long seen = 0;
        for (int i = 0; i < c.length; i++) {
            seen += c[i];
            if (seen >= rank) {
                return upperUs(i) / 1000.0;
            }
        }
        return upperUs(c.length - 1) / 1000.0;
    }

    /** Upper bound of bucket {@code i} in microseconds (the overflow bucket reports 1 s). */
    private static long upperUs(int i) {
        return i < FINE ? i + 1 : i < FINE + COARSE ? FINE + (long) (i - FINE + 1) * 100 : 1_000_000;
    }
}
