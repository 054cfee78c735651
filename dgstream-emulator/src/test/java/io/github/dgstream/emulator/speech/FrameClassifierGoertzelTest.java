package io.github.dgstream.emulator.speech;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The classifier computes four Goertzel recurrences per pass over a frame (the last pass overlapping the one before);
 * each power must equal, to the last bit, that of the plain one-frequency loop the speech code was specified with.
 */
class FrameClassifierGoertzelTest {

    private static final int RATE = 8000;
    private static final int FRAME = 80;

    @Test
    void everyGroupSizeMatchesTheOneFrequencyLoopExactly() {
        Random random = new Random(7);
        int[] frequencies = {400, 600, 900, 1100, 1300, 1500, 1700, 1900, 2100, 2300, 2500, 2900, 3100};
        for (int trial = 0; trial < 50; trial++) {
            double[] frame = new double[FRAME];
            for (int i = 0; i < FRAME; i++) {
                frame[i] = random.nextDouble() * 2 - 1;
            }
            for (int size = 1; size <= frequencies.length; size++) {
                double[] coefficients = FrameClassifier.coefficients(Arrays.copyOf(frequencies, size), RATE);
                double[] power = new double[size];
                Arrays.fill(power, Double.NaN);
                FrameClassifier.goertzel(frame, FRAME, coefficients, power);
                assertThat(power).as("%d frequencies", size).containsExactly(oneAtATime(frame, coefficients));
            }
        }
    }

    @Test
    void aToneOnABinCarriesTheFrameEnergy() {
        double[] frame = new double[FRAME];
        double energy = 0;
        for (int i = 0; i < FRAME; i++) {
            frame[i] = 0.3 * Math.sin(2 * Math.PI * 1900 * i / RATE);
            energy += frame[i] * frame[i];
        }
        double[] coefficients = FrameClassifier.coefficients(SpeechCode.HIGH_HZ, RATE);
        double[] power = new double[coefficients.length];
        FrameClassifier.goertzel(frame, FRAME, coefficients, power);
        assertThat(power[1]).isCloseTo(energy, Offset.offset(1e-9));
        for (int k = 0; k < power.length; k++) {
            if (k != 1) {
                assertThat(power[k]).isLessThan(1e-9);
            }
        }
    }

    private static double[] oneAtATime(double[] frame, double[] coefficients) {
        double[] power = new double[coefficients.length];
        for (int k = 0; k < coefficients.length; k++) {
            double previous = 0;
            double beforePrevious = 0;
            for (int i = 0; i < FRAME; i++) {
                double current = frame[i] + coefficients[k] * previous - beforePrevious;
                beforePrevious = previous;
                previous = current;
            }
            double magnitudeSquared =
                    previous * previous + beforePrevious * beforePrevious - coefficients[k] * previous * beforePrevious;
            power[k] = 2 * magnitudeSquared / FRAME;
        }
        return power;
    }
}
