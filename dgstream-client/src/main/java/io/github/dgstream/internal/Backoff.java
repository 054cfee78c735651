package io.github.dgstream.internal;

import io.github.dgstream.ReconnectionConfig;

/** The pure backoff function. */
public final class Backoff {
    private Backoff() {}

    /** {@code min(max, initial * multiplier^(attempt-1))} for a 1-based attempt, without jitter. */
    public static long baseDelayMs(ReconnectionConfig c, int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
        }
        double d = c.initialDelayMs() * Math.pow(c.backoffMultiplier(), attempt - 1);
        return (long) Math.min((double) c.maxDelayMs(), d);
    }

    /**
     * The delay before attempt {@code attempt}.
     *
     * @param immediate true for the first attempt after a healthy connection: the delay is 0
     * @param random01 a uniform random number in [0, 1), used for full jitter
     */
    public static long delayMs(ReconnectionConfig c, int attempt, boolean immediate, double random01) {
        if (immediate) {
            return 0;
        }
        long base = baseDelayMs(c, attempt);
        if (!c.jitter()) {
            return base;
        }
        double r = Math.min(Math.max(random01, 0.0), 1.0);
        return Math.round(r * base);
    }
}
