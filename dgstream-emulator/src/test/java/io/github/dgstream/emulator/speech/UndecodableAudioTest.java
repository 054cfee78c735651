package io.github.dgstream.emulator.speech;

import static io.github.dgstream.emulator.speech.Decoding.concat;
import static io.github.dgstream.emulator.speech.Decoding.decode;
import static io.github.dgstream.emulator.speech.Decoding.texts;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** Audio that is not speech code is speech activity with no words, and never an exception. */
class UndecodableAudioTest {

    static final AudioFormat PCM16K = AudioFormat.linear16(16000);
    static final AudioFormat PCM8K = AudioFormat.linear16(8000);

    @Test
    void whiteNoiseIsUnrecognizedSpeechActivity() {
        Random random = new Random(42); // seeded: the test is deterministic
        for (AudioFormat format : List.of(PCM8K, PCM16K, AudioFormat.linear16(48000), AudioFormat.mulaw8k())) {
            byte[] noise = synthesize(format, 1.0, i -> 0.3 * random.nextGaussian());
            assertSingleUnrecognizedBurst(format, noise);
        }
    }

    @Test
    void randomBytesAreUnrecognizedSpeechActivity() {
        Random random = new Random(7);
        for (AudioFormat format : List.of(PCM16K, AudioFormat.mulaw8k())) {
            byte[] garbage = new byte[(int) format.bytesFor(1.0)];
            random.nextBytes(garbage);
            assertSingleUnrecognizedBurst(format, garbage);
        }
    }

    @Test
    void sinesOffTheCodeAreUnrecognizedSpeechActivity() {
        assertSingleUnrecognizedBurst(PCM16K, sine(PCM16K, 5000, 0.5));
        assertSingleUnrecognizedBurst(PCM8K, sine(PCM8K, 1234, 0.5));
        assertSingleUnrecognizedBurst(PCM8K, sine(PCM8K, 1000, 0.5)); // on the 100 Hz grid but not a code frequency
        assertSingleUnrecognizedBurst(PCM8K, sine(PCM8K, 400, 0.5)); // one code component without its partner
        assertSingleUnrecognizedBurst(PCM16K, synthesize(PCM16K, 0.5, i -> 0.5)); // DC offset
    }

    @Test
    void oddChunksOfGarbageNeverThrow() {
        Random random = new Random(3);
        byte[] garbage = new byte[20_000];
        random.nextBytes(garbage);
        SpeechDecoder decoder = new SpeechDecoder(PCM16K);
        for (int offset = 0, size = 1; offset < garbage.length; offset += size, size = size % 997 + 3) {
            decoder.accept(garbage, offset, Math.min(size, garbage.length - offset));
            assertThat(decoder.partialWord()).isNotNull();
        }
        assertThat(decoder.flush()).allSatisfy(w -> assertThat(w.recognized()).isFalse());
    }

    @Test
    void wordsAfterANoiseBurstStillDecode() {
        Random random = new Random(11);
        byte[] noise = synthesize(PCM16K, 0.5, i -> 0.3 * random.nextGaussian());
        byte[] speech = SpeechEncoder.encode("still here", PCM16K);
        List<DecodedWord> words = decode(concat(noise, speech), PCM16K, 640);
        assertThat(texts(words)).containsExactly("", "still", "here");
        assertThat(words.get(0).confidence()).isZero();
        assertThat(words.get(0).start()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(0.011));
        assertThat(words.get(0).end()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.011));
    }

    /** Puts the sound between stretches of silence and expects exactly one empty-text word spanning it. */
    private static void assertSingleUnrecognizedBurst(AudioFormat format, byte[] sound) {
        byte[] silence = SpeechEncoder.silence(0.3, format);
        byte[] audio = concat(silence, sound, silence);
        SpeechDecoder decoder = new SpeechDecoder(format);
        int soundMiddle = silence.length + sound.length / 2;
        soundMiddle -= soundMiddle % format.bytesPerFrame();
        assertThat(decoder.accept(audio, 0, soundMiddle)).isEmpty();
        assertThat(decoder.inSpeech()).as("in speech during the sound").isTrue();
        assertThat(decoder.partialWord()).isEmpty();
        List<DecodedWord> words = decoder.accept(audio, soundMiddle, audio.length - soundMiddle);
        assertThat(words).as("words of %s", format).hasSize(1);
        DecodedWord word = words.get(0);
        assertThat(word.recognized()).isFalse();
        assertThat(word.start()).isCloseTo(0.3, org.assertj.core.data.Offset.offset(0.011));
        assertThat(word.end())
                .isCloseTo(0.3 + format.secondsOf(sound.length), org.assertj.core.data.Offset.offset(0.011));
    }

    private static byte[] sine(AudioFormat format, double hz, double seconds) {
        return synthesize(format, seconds, i -> 0.3 * Math.sin(2 * Math.PI * hz * i / format.sampleRate()));
    }

    private static byte[] synthesize(AudioFormat format, double seconds, IntToDoubleFunction sampleAt) {
        int samples = (int) (format.bytesFor(seconds) / format.bytesPerFrame());
        byte[] out = new byte[samples * format.bytesPerFrame()];
        for (int i = 0; i < samples; i++) {
            SampleCodec.write(sampleAt.applyAsDouble(i), format, out, i * format.bytesPerFrame());
        }
        return out;
    }
}
