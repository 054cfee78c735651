package io.github.dgstream.emulator.speech;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The frame labels of one voiced segment, and their reading as a word.
 *
 * <p>A character tone lasts 40 ms, so wherever the 10 ms frame grid falls it covers at least three whole frames; the
 * frames straddling a tone edge are mixed and may read as anything. Reading rules: runs of one frame are transitional
 * and ignored; runs of the same symbol separated by at most one other frame are merged (a glitch inside a long tone);
 * a run of N frames is max(1, round(N / 4)) repetitions of its character, which is how "ll" or "000" are told apart
 * from "l" and "0".
 */
final class FrameRuns {

    /** A reading of the segment: the word ("" when not decodable) and the share of frames that formed characters. */
    record Reading(String word, double confidence) {}

    private int[] labels = new int[64];
    private int size;

    void clear() {
        size = 0;
    }

    int size() {
        return size;
    }

    void add(int label) {
        if (size == labels.length) {
            labels = Arrays.copyOf(labels, size * 2);
        }
        labels[size++] = label;
    }

    Reading read() {
        List<int[]> runs = characterRuns(); // each {symbol, first frame, last frame}
        int runFrames = 0;
        StringBuilder word = new StringBuilder();
        for (int[] run : runs) {
            int frames = run[2] - run[1] + 1;
            runFrames += frames;
            long repeats = Math.max(1, Math.round(frames / (double) SpeechCode.FRAMES_PER_CHARACTER));
            for (long r = 0; r < repeats; r++) {
                word.append(SpeechCode.ALPHABET.charAt(run[0]));
            }
        }
        int strayFrames = size - runFrames;
        // Clean code audio has at most one mixed frame per tone edge; allow twice that before calling it noise.
        boolean decodable = !runs.isEmpty() && strayFrames <= 2 * (runs.size() + 1);
        if (!decodable) {
            return new Reading("", 0.0);
        }
        return new Reading(word.toString(), (double) runFrames / size);
    }

    private List<int[]> characterRuns() {
        List<int[]> runs = new ArrayList<>();
        int i = 0;
        while (i < size) {
            int j = i;
            while (j + 1 < size && labels[j + 1] == labels[i]) {
                j++;
            }
            boolean isCharacter = labels[i] >= 0 && j > i;
            if (isCharacter) {
                int[] previous = runs.isEmpty() ? null : runs.get(runs.size() - 1);
                if (previous != null && previous[0] == labels[i] && i - previous[2] - 1 <= 1) {
                    previous[2] = j;
                } else {
                    runs.add(new int[] {labels[i], i, j});
                }
            }
            i = j + 1;
        }
        return runs;
    }
}
