package io.github.dgstream.emulator.speech;

/**
 * Labels one 10 ms analysis frame as silence, a code symbol, or unknown voiced audio, using the Goertzel algorithm at
 * the thirteen code frequencies. Stateless apart from precomputed coefficients.
 */
final class FrameClassifier {

    static final int SILENCE = -2;
    static final int UNKNOWN = -1;

    /** Mean-square level below which a frame is silence: an RMS of 0.01 full scale, 30 dB below a code tone. */
    static final double SILENCE_MEAN_SQUARE = 1e-4;
    /** The strongest tone of each group must carry this many times the power of the group's runner-up. */
    static final double GROUP_DOMINANCE = 4.0;
    /** The two winning tones together must carry at least this share of the frame's energy. */
    static final double MIN_TONE_SHARE = 0.5;
    /** The two winning tones have equal amplitude in the code; reject pairs whose powers differ by more than this. */
    static final double MAX_TONE_IMBALANCE = 4.0;

    private final int frameSamples;
    private final double[] lowCoefficients;
    private final double[] highCoefficients;
    private final double[] lowPower;
    private final double[] highPower;

    FrameClassifier(int sampleRate) {
        this.frameSamples = SpeechCode.samples(SpeechCode.FRAME_SECONDS, sampleRate);
        this.lowCoefficients = coefficients(SpeechCode.LOW_HZ, sampleRate);
        this.highCoefficients = coefficients(SpeechCode.HIGH_HZ, sampleRate);
        this.lowPower = new double[SpeechCode.LOW_HZ.length];
        this.highPower = new double[SpeechCode.HIGH_HZ.length];
    }

    int frameSamples() {
        return frameSamples;
    }

    /** Classifies a full frame of {@link #frameSamples()} samples; returns a symbol index, SILENCE or UNKNOWN. */
    int classify(double[] frame) {
        double energy = 0;
        for (int i = 0; i < frameSamples; i++) {
            energy += frame[i] * frame[i];
        }
        if (!(energy >= SILENCE_MEAN_SQUARE * frameSamples)) {
            // The negated comparison also sends NaN (impossible from 16-bit input, but cheap to guard) to silence.
            return SILENCE;
        }
        goertzel(frame, frameSamples, lowCoefficients, lowPower);
        goertzel(frame, frameSamples, highCoefficients, highPower);
        int low = strongest(lowPower);
        int high = strongest(highPower);
        double lowTone = lowPower[low];
        double highTone = highPower[high];
        boolean lowClear = lowTone >= GROUP_DOMINANCE * runnerUp(lowPower, low);
        boolean highClear = highTone >= GROUP_DOMINANCE * runnerUp(highPower, high);
        boolean carriesEnergy = lowTone + highTone >= MIN_TONE_SHARE * energy;
        boolean balanced = Math.max(lowTone, highTone) <= MAX_TONE_IMBALANCE * Math.min(lowTone, highTone);
        int symbol = low * SpeechCode.HIGH_HZ.length + high;
        if (lowClear && highClear && carriesEnergy && balanced && symbol < SpeechCode.ALPHABET.length()) {
            return symbol;
        }
        return UNKNOWN;
    }

    static double[] coefficients(int[] frequencies, int sampleRate) {
        double[] coefficients = new double[frequencies.length];
        for (int i = 0; i < frequencies.length; i++) {
            coefficients[i] = 2 * Math.cos(2 * Math.PI * frequencies[i] / sampleRate);
        }
        return coefficients;
    }

    /**
     * Goertzel power at each frequency, scaled to the energy a sine of that frequency would contribute: for a pure sine
     * on a bin the result equals the frame's energy (sum of squares).
     *
     * <p>Four frequencies per pass over the frame: each frequency's recurrence is a chain of dependent multiply-adds, so
     * one chain at a time leaves the CPU waiting on each step's latency; four independent chains fill that wait (the
     * tail pass overlaps the one before it). Each chain does exactly the arithmetic of a single-frequency loop, so the
     * powers are the same to the last bit.
     */
    static void goertzel(double[] frame, int frameSamples, double[] coefficients, double[] power) {
        int k = 0;
        for (; k + 4 <= coefficients.length; k += 4) {
            goertzel4(frame, frameSamples, coefficients, k, power);
        }
        if (k < coefficients.length && coefficients.length >= 4) {
            // The last four again, overlapping the previous pass: recomputing a power gives the same value.
            goertzel4(frame, frameSamples, coefficients, coefficients.length - 4, power);
            return;
        }
        for (; k < coefficients.length; k++) {
            double coefficient = coefficients[k];
            double previous = 0;
            double beforePrevious = 0;
            for (int i = 0; i < frameSamples; i++) {
                double current = frame[i] + coefficient * previous - beforePrevious;
                beforePrevious = previous;
                previous = current;
            }
            power[k] = power(coefficient, previous, beforePrevious, frameSamples);
        }
    }

    private static void goertzel4(double[] frame, int frameSamples, double[] coefficients, int k, double[] power) {
        double c0 = coefficients[k];
        double c1 = coefficients[k + 1];
        double c2 = coefficients[k + 2];
        double c3 = coefficients[k + 3];
        double p0 = 0, p1 = 0, p2 = 0, p3 = 0; // previous
        double b0 = 0, b1 = 0, b2 = 0, b3 = 0; // before previous
        for (int i = 0; i < frameSamples; i++) {
            double x = frame[i];
            double n0 = x + c0 * p0 - b0;
            double n1 = x + c1 * p1 - b1;
            double n2 = x + c2 * p2 - b2;
            double n3 = x + c3 * p3 - b3;
            b0 = p0;
            b1 = p1;
            b2 = p2;
            b3 = p3;
            p0 = n0;
            p1 = n1;
            p2 = n2;
            p3 = n3;
        }
        power[k] = power(c0, p0, b0, frameSamples);
        power[k + 1] = power(c1, p1, b1, frameSamples);
        power[k + 2] = power(c2, p2, b2, frameSamples);
        power[k + 3] = power(c3, p3, b3, frameSamples);
    }

    private static double power(double coefficient, double previous, double beforePrevious, int frameSamples) {
        double magnitudeSquared =
                previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
        return 2 * magnitudeSquared / frameSamples;
    }

    private static int strongest(double[] power) {
        int best = 0;
        for (int i = 1; i < power.length; i++) {
            if (power[i] > power[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double runnerUp(double[] power, int strongest) {
        double second = 0;
        for (int i = 0; i < power.length; i++) {
            if (i != strongest) {
                second = Math.max(second, power[i]);
            }
        }
        return second;
    }
}
