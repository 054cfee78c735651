package io.github.dgstream.emulator.speech;

import static io.github.dgstream.emulator.speech.Decoding.assertMatches;
import static io.github.dgstream.emulator.speech.Decoding.decode;
import static io.github.dgstream.emulator.speech.Decoding.texts;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpeechRoundTripTest {

    static final String TEXT =
            "Hello world. The quick brown fox jumps over the lazy dog! bookkeeper 1000 don't? aaa zz 'q' 9";
    static final int[] CHUNK_SIZES = {1, 7, 160, 321, 3200, 4096, 0};

    static Stream<AudioFormat> formats() {
        return Stream.of(
                AudioFormat.linear16(8000),
                AudioFormat.linear16(16000),
                AudioFormat.linear16(24000),
                AudioFormat.linear16(44100),
                AudioFormat.linear16(48000),
                AudioFormat.mulaw8k(),
                new AudioFormat(AudioEncoding.MULAW, 16000, 1));
    }

    static Stream<Arguments> formatsAndChunkSizes() {
        return formats().flatMap(f -> java.util.Arrays.stream(CHUNK_SIZES).mapToObj(size -> Arguments.of(f, size)));
    }

    @AfterAll
    static void reportWorstError() {
        System.out.printf("worst timing error: %.2f ms%n", Decoding.worstErrorSeconds * 1000);
    }

    @ParameterizedTest
    @MethodSource("formatsAndChunkSizes")
    void decodesEncodedTextAtAnyChunking(AudioFormat format, int chunkSize) {
        byte[] audio = SpeechEncoder.encode(TEXT, format);
        assertMatches(decode(audio, format, chunkSize), SpeechEncoder.timeline(TEXT, format), 0.0);
    }

    @ParameterizedTest
    @MethodSource("formats")
    void chunkingDoesNotChangeTheResultAtAll(AudioFormat format) {
        byte[] audio = SpeechEncoder.encode(TEXT, format);
        List<DecodedWord> whole = decode(audio, format, 0);
        for (int size : new int[] {1, 2, 3, 5, 7, 160, 321, 3200, 4096}) {
            assertThat(decode(audio, format, size)).as("chunk size %d", size).isEqualTo(whole);
        }
    }

    @ParameterizedTest
    @MethodSource("formats")
    void decodesEveryCharacterOfTheAlphabet(AudioFormat format) {
        String text = "abcdefghijklm nopqrstuvwxyz 0123456789 ' a'b'c";
        byte[] audio = SpeechEncoder.encode(text, format);
        assertMatches(decode(audio, format, 321), SpeechEncoder.timeline(text, format), 0.0);
    }

    /** Repeated characters are one long tone; every alignment of the 10 ms grid must count them right. */
    @ParameterizedTest
    @MethodSource("formats")
    void countsRepeatedCharactersAtEveryFrameAlignment(AudioFormat format) {
        String text = "hello aaa bookkeeper 1000 a aaaaaaa abba zzzzzzzzzzzz";
        byte[] audio = SpeechEncoder.encode(text, format);
        List<ExpectedWord> timeline = SpeechEncoder.timeline(text, format);
        int frameSamples = format.sampleRate() / 100;
        int step = Math.max(1, frameSamples / 80); // every sample at 8 kHz, ~80 alignments at higher rates
        for (int shift = 0; shift < frameSamples; shift += step) {
            // Drop `shift` samples of the leading silence so tones start at a different place in the frame grid.
            byte[] shifted = Decoding.tail(audio, (long) shift * format.bytesPerFrame());
            double shiftSeconds = (double) shift / format.sampleRate();
            assertMatches(decode(shifted, format, 4096), timeline, shiftSeconds);
        }
    }

    @Test
    void decodesStereoByAveragingChannels() {
        AudioFormat stereo = new AudioFormat(AudioEncoding.LINEAR16, 16000, 2);
        byte[] audio = SpeechEncoder.encode(TEXT, stereo);
        assertThat(audio).hasSize(SpeechEncoder.encode(TEXT, AudioFormat.linear16(16000)).length * 2);
        assertMatches(decode(audio, stereo, 3), SpeechEncoder.timeline(TEXT, stereo), 0.0);
    }

    @Test
    void decodesQuietAndLoudAudio() {
        AudioFormat format = AudioFormat.linear16(16000);
        byte[] audio = SpeechEncoder.encode(TEXT, format);
        for (double gain : new double[] {0.1, 1.6}) {
            byte[] scaled = audio.clone();
            for (int i = 0; i + 1 < scaled.length; i += 2) {
                int sample = (short) ((scaled[i] & 0xFF) | (scaled[i + 1] << 8));
                short out = (short) Math.round(sample * gain);
                scaled[i] = (byte) out;
                scaled[i + 1] = (byte) (out >> 8);
            }
            assertMatches(decode(scaled, format, 0), SpeechEncoder.timeline(TEXT, format), 0.0);
        }
    }

    @Test
    void splitsUtterancesWithLongerSilence() {
        AudioFormat format = AudioFormat.linear16(8000);
        List<ExpectedWord> timeline = SpeechEncoder.timeline("one two. three", format);
        assertThat(timeline.get(1).start() - timeline.get(0).end())
                .isCloseTo(0.120, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(timeline.get(2).start() - timeline.get(1).end())
                .isCloseTo(0.600, org.assertj.core.data.Offset.offset(1e-9));
        List<DecodedWord> decoded = decode(SpeechEncoder.encode("one two. three", format), format, 0);
        List<Double> gaps = new ArrayList<>();
        for (int i = 1; i < decoded.size(); i++) {
            gaps.add(decoded.get(i).start() - decoded.get(i - 1).end());
        }
        assertThat(gaps.get(0)).isBetween(0.100, 0.140);
        assertThat(gaps.get(1)).isGreaterThanOrEqualTo(0.580);
        assertThat(texts(decoded)).containsExactly("one", "two", "three");
    }
}
