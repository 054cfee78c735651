package io.github.dgstream.emulator.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpeechEncoderTest {

    static final AudioFormat PCM8K = AudioFormat.linear16(8000);

    @Test
    void normalizesText() {
        assertThat(SpeechEncoder.words("Hello, World! Don't stop-believing... 3.14 café  ÀB"))
                .containsExactly("hello", "world", "don't", "stopbelieving", "3", "14", "caf", "b");
        assertThat(SpeechEncoder.words(" ... ?! ")).isEmpty();
        assertThat(SpeechEncoder.words(null)).isEmpty();
    }

    @Test
    void laysOutWordsAndUtterances() {
        List<ExpectedWord> timeline = SpeechEncoder.timeline("Hi there. Bye!", PCM8K);
        assertThat(timeline)
                .containsExactly(
                        new ExpectedWord("hi", 0.300, 0.380),
                        new ExpectedWord("there", 0.500, 0.700),
                        new ExpectedWord("bye", 1.300, 1.420));
        byte[] audio = SpeechEncoder.encode("Hi there. Bye!", PCM8K);
        assertThat(PCM8K.secondsOf(audio.length)).isCloseTo(1.720, offset(1e-9));
    }

    @Test
    void startsAndEndsWithSilenceAndTonesStayWithinTheirSlots() {
        for (AudioFormat format : List.of(PCM8K, AudioFormat.linear16(44100), AudioFormat.mulaw8k())) {
            byte[] audio = SpeechEncoder.encode("abc xyz", format);
            List<ExpectedWord> timeline = SpeechEncoder.timeline("abc xyz", format);
            byte[] silence = SpeechEncoder.silence(0.3, format);
            int edge = silence.length;
            assertThat(java.util.Arrays.copyOfRange(audio, 0, edge)).isEqualTo(silence);
            assertThat(java.util.Arrays.copyOfRange(audio, audio.length - edge, audio.length))
                    .isEqualTo(silence);
            // The gap between the words is exactly silent, and the tone is loud right inside its slot.
            int gapFrom = (int) format.bytesFor(timeline.get(0).end());
            int gapTo = (int) format.bytesFor(timeline.get(1).start());
            assertThat(java.util.Arrays.copyOfRange(audio, gapFrom, gapTo))
                    .isEqualTo(SpeechEncoder.silence(0.120, format));
            assertThat(peak(audio, format, timeline.get(0).start(), 0.040)).isBetween(0.3, 0.61);
        }
    }

    @Test
    void emptyTextIsSixHundredMillisecondsOfSilence() {
        AudioFormat format = AudioFormat.mulaw8k();
        assertThat(SpeechEncoder.encode("", format)).isEqualTo(SpeechEncoder.silence(0.6, format));
        assertThat(SpeechEncoder.timeline("?", format)).isEmpty();
    }

    @Test
    void silenceIsZeroSamples() {
        assertThat(SpeechEncoder.silence(0.3, AudioFormat.mulaw8k()))
                .hasSize(2400)
                .containsOnly((byte) 0xFF);
        assertThat(SpeechEncoder.silence(0.01, AudioFormat.linear16(44100)))
                .hasSize(882)
                .containsOnly((byte) 0);
        assertThat(SpeechEncoder.silence(0.00001, PCM8K)).isEmpty();
    }

    @Test
    void isDeterministic() {
        String text = "same text, same bytes";
        assertThat(SpeechEncoder.encode(text, AudioFormat.linear16(24000)))
                .isEqualTo(SpeechEncoder.encode(text, AudioFormat.linear16(24000)));
    }

    @Test
    void rampsAreRaisedCosinesAtBothEnds() {
        int length = 320; // 40 ms at 8 kHz; the ramp is 2.5 ms = 20 samples
        assertThat(SpeechEncoder.rampEnvelope(0, length, 8000))
                .isCloseTo(0.5 * (1 - Math.cos(Math.PI * 0.5 / 20)), offset(1e-12));
        assertThat(SpeechEncoder.rampEnvelope(10, length, 8000))
                .isCloseTo(0.5 * (1 - Math.cos(Math.PI * 10.5 / 20)), offset(1e-12));
        assertThat(SpeechEncoder.rampEnvelope(20, length, 8000)).isEqualTo(1.0);
        assertThat(SpeechEncoder.rampEnvelope(length - 1, length, 8000))
                .isEqualTo(SpeechEncoder.rampEnvelope(0, length, 8000));
    }

    @Test
    void writesAPlayableWav() {
        byte[] wav = SpeechEncoder.encodeWav("hello", 16000);
        WavAudio parsed = WavAudio.read(wav);
        assertThat(parsed.format()).isEqualTo(AudioFormat.linear16(16000));
        assertThat(parsed.data()).isEqualTo(SpeechEncoder.encode("hello", AudioFormat.linear16(16000)));
        assertThat(new String(wav, 0, 4, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("RIFF");
    }

    private static double peak(byte[] audio, AudioFormat format, double from, double seconds) {
        int start = (int) format.bytesFor(from);
        int end = (int) format.bytesFor(from + seconds);
        double peak = 0;
        for (int i = start; i < end; i += format.bytesPerFrame()) {
            peak = Math.max(peak, Math.abs(SampleCodec.read(format, audio, i)));
        }
        return peak;
    }
}
