package io.github.dgstream.emulator.speech;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The synthetic speech code shared by {@link SpeechEncoder} and {@link SpeechDecoder}: alphabet, tone table, timing and
 * text normalization. SPEECH-CODE.md in the module root is the normative description; keep the two in sync.
 */
final class SpeechCode {

    /** Symbol i of the alphabet is sent as LOW_HZ[i / 7] + HIGH_HZ[i % 7]. */
    static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789'";

    /*
     * Every frequency is a multiple of 100 Hz, so a 10 ms analysis frame holds a whole number of periods of each tone and
     * the Goertzel bins of the code are mutually orthogonal over a frame that lies inside one tone. Neighbours are at
     * least 200 Hz apart (two bins) and no code frequency is the 2nd or 3rd harmonic of another, so the mild odd-order
     * distortion of mu-law companding cannot fake a symbol. All are below 3400 Hz so that 8 kHz audio carries them.
     */
    static final int[] LOW_HZ = {400, 600, 900, 1100, 1300, 1500};
    static final int[] HIGH_HZ = {1700, 1900, 2100, 2300, 2500, 2900, 3100};

    /** Peak amplitude of each of the two sine components, as a fraction of full scale. */
    static final double TONE_AMPLITUDE = 0.3;

    static final double CHARACTER_SECONDS = 0.040;
    static final double RAMP_SECONDS = 0.0025;
    static final double WORD_GAP_SECONDS = 0.120;
    static final double UTTERANCE_GAP_SECONDS = 0.600;
    static final double EDGE_SILENCE_SECONDS = 0.300;

    static final double FRAME_SECONDS = 0.010;
    /** Analysis frames per character tone. */
    static final int FRAMES_PER_CHARACTER = 4;

    private SpeechCode() {}

    /** Index of the character in {@link #ALPHABET}, or -1 when it is not part of the code. */
    static int symbolOf(char c) {
        return ALPHABET.indexOf(c);
    }

    static int lowHz(int symbol) {
        return LOW_HZ[symbol / HIGH_HZ.length];
    }

    static int highHz(int symbol) {
        return HIGH_HZ[symbol % HIGH_HZ.length];
    }

    /** Whole samples in the given duration; every duration of the code is a whole number of samples at supported rates. */
    static int samples(double seconds, int sampleRate) {
        return (int) Math.round(seconds * sampleRate);
    }

    /**
     * Splits text into utterances of normalized words. Text is lowercased (Locale.ROOT); '.', '?' and '!' end an
     * utterance; whitespace separates words; any other character outside [a-z0-9'] is removed from its word (so
     * "well-known," becomes "wellknown" and "café" becomes "caf"). Empty words and empty utterances are skipped.
     */
    static List<List<String>> utterances(String text) {
        List<List<String>> utterances = new ArrayList<>();
        List<String> current = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        String lower = text == null ? "" : text.toLowerCase(Locale.ROOT);
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (c == '.' || c == '?' || c == '!') {
                endWord(word, current);
                if (!current.isEmpty()) {
                    utterances.add(current);
                    current = new ArrayList<>();
                }
            } else if (Character.isWhitespace(c)) {
                endWord(word, current);
            } else if (symbolOf(c) >= 0) {
                word.append(c);
            }
        }
        endWord(word, current);
        if (!current.isEmpty()) {
            utterances.add(current);
        }
        return utterances;
    }

    private static void endWord(StringBuilder word, List<String> utterance) {
        if (word.length() > 0) {
            utterance.add(word.toString());
            word.setLength(0);
        }
    }
}
