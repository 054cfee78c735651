package io.github.dgstream.cli;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Paces sending so that audio leaves no faster than {@code factor} times real time. Deadlines are computed from
 * the bytes sent so far (not from per-chunk sleeps), so pacing does not drift.
 */
final class Pacer {
    private final double bytesPerSecond;
    private final double factor; // <= 0 means unpaced
    private final long startNanos = System.nanoTime();
    private long bytesSent;

    Pacer(double bytesPerSecond, double factor) {
        this.bytesPerSecond = bytesPerSecond;
        this.factor = factor;
    }

    /** Parses {@code realtime}, {@code fast} or a positive factor such as {@code 2} or {@code 0.5}. */
    static double parseFactor(String pace) {
        switch (pace) {
            case "realtime":
                return 1.0;
            case "fast":
                return 0;
            default:
                try {
                    double f = Double.parseDouble(pace);
                    if (f > 0 && Double.isFinite(f)) {
                        return f;
                    }
                } catch (NumberFormatException ignored) {
                    // fall through to the error below
                }
                throw new CliException(
                        ExitCodes.USAGE, "--pace must be realtime, fast or a positive factor, not '" + pace + "'");
        }
    }

    /** Blocks until {@code bytes} more may be sent. */
    void await(int bytes) throws InterruptedException {
        if (factor > 0) {
            long due = startNanos + (long) (bytesSent / bytesPerSecond / factor * 1e9);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }
        bytesSent += bytes;
    }

    static long millis(double seconds) {
        return TimeUnit.MICROSECONDS.toMillis(Math.round(seconds * 1e6));
    }
}
