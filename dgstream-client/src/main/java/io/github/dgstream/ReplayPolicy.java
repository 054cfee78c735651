package io.github.dgstream;

/**
 * What audio to re-send on a new connection after a reconnect. Deepgram has no acknowledgements, so the end of the
 * last final result (the <em>watermark</em>) is used as the acknowledgement. Replayed audio is billed again.
 */
public final class ReplayPolicy {
    /** Replay modes. */
    public enum Mode {
        /** Never re-send audio that was already written to a socket; it is reported as lost. */
        OFF,
        /** Re-send everything after the watermark (default). */
        SINCE_LAST_FINAL,
        /** Re-send after the watermark, but at most {@link #capSeconds()} seconds. */
        CAPPED
    }

    private static final ReplayPolicy OFF = new ReplayPolicy(Mode.OFF, 0);
    private static final ReplayPolicy SINCE_LAST_FINAL = new ReplayPolicy(Mode.SINCE_LAST_FINAL, Double.MAX_VALUE);

    private final Mode mode;
    private final double capSeconds;

    private ReplayPolicy(Mode mode, double capSeconds) {
        this.mode = mode;
        this.capSeconds = capSeconds;
    }

    public static ReplayPolicy off() {
        return OFF;
    }

    public static ReplayPolicy sinceLastFinal() {
        return SINCE_LAST_FINAL;
    }

    /**
     * Replay at most {@code seconds} of already-sent audio.
     *
     * @throws IllegalArgumentException if {@code seconds} is negative or not finite
     */
    public static ReplayPolicy capped(double seconds) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("replay capSeconds must be a finite number >= 0, was " + seconds);
        }
        return new ReplayPolicy(Mode.CAPPED, seconds);
    }

    public Mode mode() {
        return mode;
    }

    /** Maximum seconds replayed ({@code 0} for OFF, {@link Double#MAX_VALUE} for SINCE_LAST_FINAL). */
    public double capSeconds() {
        return capSeconds;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplayPolicy p && p.mode == mode && p.capSeconds == capSeconds;
    }

    @Override
    public int hashCode() {
        return mode.hashCode() * 31 + Double.hashCode(capSeconds);
    }

    @Override
    public String toString() {
        return mode == Mode.CAPPED ? "CAPPED(" + capSeconds + "s)" : mode.name();
    }
}
