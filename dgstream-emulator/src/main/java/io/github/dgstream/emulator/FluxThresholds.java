package io.github.dgstream.emulator;

/**
 * Flux end-of-turn thresholds and the emulator's mapping from confidence thresholds to silence durations:
 * {@code silence_ms = 150 + 350 * threshold}. With the default {@code eot_threshold=0.7} a turn ends after 395 ms
 * of silence (the encoder's word gap is 120 ms, its utterance gap 600 ms). {@code eot_threshold=1.0} disables
 * model end-of-turn (only {@code eot_timeout_ms} or ForceEndTurn end a turn).
 */
final class FluxThresholds {
    private FluxThresholds() {}

    /** Null when valid, else the problem. Ranges per protocol doc §B.1 (newer docs). */
    static String check(double eot, Double eager, int timeoutMs) {
        if (eot < 0.5 || eot > 1.0) {
            return "eot_threshold must be between 0.5 and 1.0: " + eot;
        }
        if (eager != null && (eager < 0.3 || eager > 0.9)) {
            return "eager_eot_threshold must be between 0.3 and 0.9: " + eager;
        }
        if (eager != null && eager > eot) {
            return "eager_eot_threshold must not exceed eot_threshold";
        }
        if (timeoutMs < 500 || timeoutMs > 60000) {
            return "eot_timeout_ms must be between 500 and 60000: " + timeoutMs;
        }
        return null;
    }

    static double silenceMs(double threshold) {
        return 150 + 350 * threshold;
    }

    /** The inverse mapping, clamped to [0, 1]: the end-of-turn confidence after {@code silenceMs} of silence. */
    static double confidence(double silenceMs) {
        double c = (silenceMs - 150) / 350;
        return Math.round(Math.max(0, Math.min(1, c)) * 1000) / 1000.0;
    }
}
