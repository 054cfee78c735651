package io.github.dgstream.emulator.speech;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns text into speech-code audio (see SPEECH-CODE.md): each character a 40 ms two-tone chord, words separated by
 * 120 ms of silence, utterances by 600 ms, with 300 ms of silence before the first and after the last word.
 * Deterministic: the same text and format always give the same bytes.
 */
public final class SpeechEncoder {

    private SpeechEncoder() {}

    /** Raw audio (no header) of the text in the given format; starts and ends with 300 ms of silence. */
    public static byte[] encode(String text, AudioFormat format) {
        int rate = format.sampleRate();
        List<PlacedWord> placed = layout(text, rate);
        long totalSamples = totalSamples(placed, rate);
        long totalBytes = totalSamples * format.bytesPerFrame();
        if (totalBytes > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("text too long to encode into one array: " + totalBytes + " bytes");
        }
        byte[] out = new byte[(int) totalBytes];
        // Silence is all-zero samples: zero bytes for linear16, the mu-law code of zero otherwise.
        fillSilence(out, format);
        int characterSamples = SpeechCode.samples(SpeechCode.CHARACTER_SECONDS, rate);
        for (PlacedWord word : placed) {
            for (int c = 0; c < word.word().length(); c++) {
                int symbol = SpeechCode.symbolOf(word.word().charAt(c));
                long firstSample = word.startSample() + (long) c * characterSamples;
                writeTone(symbol, firstSample, format, out);
            }
        }
        return out;
    }

    /** A RIFF/WAVE file (PCM, 16-bit, mono) of the text at the given sample rate. */
    public static byte[] encodeWav(String text, int sampleRate) {
        AudioFormat format = AudioFormat.linear16(sampleRate);
        return WavAudio.toWav(format, encode(text, format));
    }

    /** The true word times of {@code encode(text, format)}, in seconds from its first sample. */
    public static List<ExpectedWord> timeline(String text, AudioFormat format) {
        int rate = format.sampleRate();
        int characterSamples = SpeechCode.samples(SpeechCode.CHARACTER_SECONDS, rate);
        List<ExpectedWord> timeline = new ArrayList<>();
        for (PlacedWord word : layout(text, rate)) {
            long endSample = word.startSample() + (long) word.word().length() * characterSamples;
            timeline.add(new ExpectedWord(word.word(), (double) word.startSample() / rate, (double) endSample / rate));
        }
        return List.copyOf(timeline);
    }

    /** The normalized words of the text, in order (lowercased, punctuation and non-code characters removed). */
    public static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        SpeechCode.utterances(text).forEach(words::addAll);
        return List.copyOf(words);
    }

    /** Silence of the given duration (rounded down to a whole sample frame) in the given format. */
    public static byte[] silence(double seconds, AudioFormat format) {
        long bytes = format.bytesFor(seconds);
        if (bytes > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("silence too long for one array: " + seconds + " s");
        }
        byte[] out = new byte[(int) bytes];
        fillSilence(out, format);
        return out;
    }

    private record PlacedWord(String word, long startSample) {}

    private static List<PlacedWord> layout(String text, int rate) {
        long characterSamples = SpeechCode.samples(SpeechCode.CHARACTER_SECONDS, rate);
        long wordGap = SpeechCode.samples(SpeechCode.WORD_GAP_SECONDS, rate);
        long utteranceGap = SpeechCode.samples(SpeechCode.UTTERANCE_GAP_SECONDS, rate);
        long position = SpeechCode.samples(SpeechCode.EDGE_SILENCE_SECONDS, rate);
        List<PlacedWord> placed = new ArrayList<>();
        List<List<String>> utterances = SpeechCode.utterances(text);
        for (int u = 0; u < utterances.size(); u++) {
            if (u > 0) {
                position += utteranceGap;
            }
            List<String> words = utterances.get(u);
            for (int w = 0; w < words.size(); w++) {
                if (w > 0) {
                    position += wordGap;
                }
                placed.add(new PlacedWord(words.get(w), position));
                position += words.get(w).length() * characterSamples;
            }
        }
        return placed;
    }

    private static long totalSamples(List<PlacedWord> placed, int rate) {
        long edge = SpeechCode.samples(SpeechCode.EDGE_SILENCE_SECONDS, rate);
        if (placed.isEmpty()) {
            return 2 * edge;
        }
        PlacedWord last = placed.get(placed.size() - 1);
        long characterSamples = SpeechCode.samples(SpeechCode.CHARACTER_SECONDS, rate);
        return last.startSample() + last.word().length() * characterSamples + edge;
    }

    /**
     * Writes one character: two sines starting at phase 0 at the tone's first sample, each of amplitude
     * {@link SpeechCode#TONE_AMPLITUDE}, shaped by a raised-cosine ramp at both ends to limit spectral splatter.
     */
    private static void writeTone(int symbol, long firstSample, AudioFormat format, byte[] out) {
        int rate = format.sampleRate();
        int length = SpeechCode.samples(SpeechCode.CHARACTER_SECONDS, rate);
        double low = 2 * Math.PI * SpeechCode.lowHz(symbol) / rate;
        double high = 2 * Math.PI * SpeechCode.highHz(symbol) / rate;
        for (int i = 0; i < length; i++) {
            double envelope = rampEnvelope(i, length, rate);
            double sample = SpeechCode.TONE_AMPLITUDE * envelope * (Math.sin(low * i) + Math.sin(high * i));
            SampleCodec.write(sample, format, out, (int) ((firstSample + i) * format.bytesPerFrame()));
        }
    }

    /** 0.5 * (1 - cos(pi * d / ramp)) where d is the distance of the sample's centre from the nearer tone edge. */
    static double rampEnvelope(int index, int length, int rate) {
        double fromStart = (index + 0.5) / rate;
        double fromEnd = (length - index - 0.5) / rate;
        double distance = Math.min(fromStart, fromEnd);
        if (distance >= SpeechCode.RAMP_SECONDS) {
            return 1.0;
        }
        return 0.5 * (1 - Math.cos(Math.PI * distance / SpeechCode.RAMP_SECONDS));
    }

    private static void fillSilence(byte[] out, AudioFormat format) {
        if (format.encoding() == AudioEncoding.MULAW) {
            Arrays.fill(out, SampleCodec.linearToMulaw((short) 0));
        }
    }
}
