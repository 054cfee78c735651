package io.github.dgstream.emulator.speech;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test helpers: decoding in chunks and comparing with the encoder's timeline. */
final class Decoding {

    static final double TOLERANCE_SECONDS = 0.020;

    /** Worst timing error seen by {@link #assertMatches} in this JVM, for the report printed by the tests. */
    static double worstErrorSeconds;

    private Decoding() {}

    /** Feeds the audio in chunks of the given size (0 = all at once), then flushes. */
    static List<DecodedWord> decode(byte[] audio, AudioFormat format, int chunkSize) {
        SpeechDecoder decoder = new SpeechDecoder(format);
        List<DecodedWord> words = new ArrayList<>();
        int step = chunkSize <= 0 ? Math.max(1, audio.length) : chunkSize;
        for (int offset = 0; offset < audio.length; offset += step) {
            words.addAll(decoder.accept(audio, offset, Math.min(step, audio.length - offset)));
        }
        words.addAll(decoder.flush());
        return words;
    }

    static List<String> texts(List<DecodedWord> words) {
        return words.stream().map(DecodedWord::word).toList();
    }

    /** Asserts the decoded words equal the expected ones, with start and end within 20 ms (after shifting by {@code shift}). */
    static void assertMatches(List<DecodedWord> decoded, List<ExpectedWord> expected, double shift) {
        assertThat(texts(decoded))
                .containsExactlyElementsOf(
                        expected.stream().map(ExpectedWord::word).toList());
        for (int i = 0; i < expected.size(); i++) {
            DecodedWord got = decoded.get(i);
            ExpectedWord want = expected.get(i);
            double startError = Math.abs(got.start() - (want.start() - shift));
            double endError = Math.abs(got.end() - (want.end() - shift));
            worstErrorSeconds = Math.max(worstErrorSeconds, Math.max(startError, endError));
            assertThat(startError)
                    .as("start error of %s vs %s (shift %s)", got, want, shift)
                    .isLessThanOrEqualTo(TOLERANCE_SECONDS);
            assertThat(endError)
                    .as("end error of %s vs %s (shift %s)", got, want, shift)
                    .isLessThanOrEqualTo(TOLERANCE_SECONDS);
            assertThat(got.confidence()).isBetween(0.5, 1.0);
        }
    }

    static byte[] tail(byte[] audio, long fromByte) {
        return Arrays.copyOfRange(audio, (int) fromByte, audio.length);
    }

    static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] out = new byte[length];
        int position = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, position, part.length);
            position += part.length;
        }
        return out;
    }
}
