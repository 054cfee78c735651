package io.github.dgstream.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;
import org.eclipse.jetty.websocket.api.Callback;

/**
 * Benchmark support ({@link DeepgramEmulator.Builder#stampSentNanos(boolean)}): each v1 {@code Results} message
 * carries {@code metadata.extra.sent_ns} and each Flux {@code TurnInfo} message a top-level {@code extra.sent_ns}
 * (Flux messages have no {@code metadata}; clients ignore fields they do not know), the emulator's {@link
 * System#nanoTime()} just before it is serialised, and the time
 * from that stamp to Jetty's completion of the write (the frame is in the socket) is recorded here. That is the
 * emulator's own share of the latency a client measures against the stamp: serialising, Jetty's queue, the write,
 * and whatever delays this JVM (its GC pauses, waiting for a CPU).
 *
 * <p>Histogram: 1 µs buckets up to 10 ms, 100 µs buckets up to 1 s, one bucket beyond. Thread-safe, lock-free.
 */
final class SendStamps {
    private static final int FINE = 10_000;
    private static final int COARSE = 9_900;
    private final AtomicLongArray counts = new AtomicLongArray(FINE + COARSE + 1);

    /**
     * The object of {@code message} that gets the {@code extra.sent_ns} stamp, or {@code null} if this type of message
     * is not stamped: a {@code Results} message's {@code metadata} (where Deepgram echoes {@code extra} query
     * parameters), a {@code TurnInfo} message itself.
     */
    static ObjectNode holder(String type, ObjectNode message) {
        if ("Results".equals(type)) {
            return message.get("metadata") instanceof ObjectNode md ? md : null;
        }
        return "TurnInfo".equals(type) ? message : null;
    }

    /** Stamps now; returns the stamp. */
    long stamp() {
        return System.nanoTime();
    }

    /** A write callback that records the stamp-to-written time and then completes {@code next}. */
    Callback measuring(long stampNanos, Callback next) {
        return Callback.from(
                () -> {
                    record(System.nanoTime() - stampNanos);
                    next.succeed();
                },
                next::fail);
    }

    void record(long nanos) {
        long us = Math.max(0, nanos / 1000);
        int i = us < FINE ? (int) us : us < 1_000_000 ? FINE + (int) ((us - FINE) / 100) : FINE + COARSE;
        counts.incrementAndGet(i);
    }

    /** Forgets everything recorded so far (the start of a measuring window). */
    void reset() {
        for (int i = 0; i < counts.length(); i++) {
            counts.set(i, 0);
        }
    }

    /** One line: {@code n=... p50_ms=... p99_ms=... max_ms=...} over what was recorded since the last reset. */
    String report() {
        long[] c = new long[counts.length()];
        long n = 0;
        for (int i = 0; i < c.length; i++) {
            c[i] = counts.get(i);
            n += c[i];
        }
        return String.format(
                Locale.ROOT,
                "n=%d p50_ms=%.3f p99_ms=%.3f max_ms=%.3f",
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
