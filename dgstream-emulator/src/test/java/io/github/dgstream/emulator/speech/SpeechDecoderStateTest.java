package io.github.dgstream.emulator.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streaming view the emulator uses for interim results and endpointing. */
class SpeechDecoderStateTest {

    static final AudioFormat FORMAT = AudioFormat.linear16(16000);
    static final String TEXT = "hello world";
    static final byte[] AUDIO = SpeechEncoder.encode(TEXT, FORMAT);
    static final List<ExpectedWord> TIMELINE = SpeechEncoder.timeline(TEXT, FORMAT);

    private final SpeechDecoder decoder = new SpeechDecoder(FORMAT);
    private int fed;

    @Test
    void startsEmpty() {
        assertThat(decoder.audioSeconds()).isZero();
        assertThat(decoder.inSpeech()).isFalse();
        assertThat(decoder.currentSpeechStart()).isNaN();
        assertThat(decoder.lastVoicedEnd()).isNaN();
        assertThat(decoder.partialWord()).isEmpty();
        assertThat(decoder.silenceSeconds()).isZero();
        assertThat(decoder.flush()).isEmpty();
    }

    @Test
    void reportsProgressThroughAWord() {
        ExpectedWord hello = TIMELINE.get(0);
        assertThat(feedUntil(0.2)).isEmpty();
        assertThat(decoder.inSpeech()).isFalse();
        assertThat(decoder.silenceSeconds()).isCloseTo(0.2, offset(1e-9));

        assertThat(feedUntil(hello.start() + 0.130)).isEmpty(); // into the 4th character, "l"
        assertThat(decoder.inSpeech()).isTrue();
        assertThat(decoder.currentSpeechStart()).isCloseTo(hello.start(), offset(0.005));
        assertThat(decoder.partialWord()).isIn("hel", "hell");
        assertThat(decoder.silenceSeconds()).isZero();
        assertThat(decoder.lastVoicedEnd()).isCloseTo(hello.start() + 0.130, offset(0.011));

        assertThat(feedUntil(hello.end() + 0.030)).isEmpty(); // not yet 50 ms of silence
        assertThat(decoder.inSpeech()).isTrue();
        assertThat(decoder.partialWord()).isEqualTo("hello");
        assertThat(decoder.lastVoicedEnd()).isCloseTo(hello.end(), offset(0.003));
        assertThat(decoder.silenceSeconds()).isCloseTo(0.030, offset(0.003));

        List<DecodedWord> words = feedUntil(hello.end() + 0.070);
        assertThat(words).extracting(DecodedWord::word).containsExactly("hello");
        assertThat(words.get(0).start()).isCloseTo(hello.start(), offset(0.005));
        assertThat(words.get(0).end()).isCloseTo(hello.end(), offset(0.005));
        assertThat(decoder.inSpeech()).isFalse();
        assertThat(decoder.currentSpeechStart()).isNaN();
        assertThat(decoder.partialWord()).isEmpty();
        assertThat(decoder.silenceSeconds()).isCloseTo(0.070, offset(0.003));
    }

    @Test
    void audioSecondsCountsEveryWholeSampleIncludingAPartialFrame() {
        decoder.accept(AUDIO, 0, 333); // 166 samples and one byte of the next
        assertThat(decoder.audioSeconds()).isEqualTo(166 / 16000.0);
        decoder.accept(AUDIO, 333, 1);
        assertThat(decoder.audioSeconds()).isEqualTo(167 / 16000.0);
    }

    @Test
    void flushCompletesTheWordInProgress() {
        ExpectedWord world = TIMELINE.get(1);
        List<DecodedWord> words = new ArrayList<>(feedUntil(world.start() + 0.105)); // inside "r", mid-frame
        assertThat(decoder.inSpeech()).isTrue();
        words.addAll(decoder.flush());
        assertThat(words).extracting(DecodedWord::word).containsExactly("hello", "wor");
        assertThat(words.get(1).end()).isCloseTo(world.start() + 0.105, offset(0.003));
        assertThat(decoder.inSpeech()).isFalse();
        assertThat(decoder.flush()).isEmpty();
    }

    @Test
    void flushDuringSilenceChangesNothing() {
        List<DecodedWord> plain = Decoding.decode(AUDIO, FORMAT, 0);
        List<DecodedWord> flushed = new ArrayList<>();
        for (int offset = 0; offset < AUDIO.length; offset += 333) {
            flushed.addAll(decoder.accept(AUDIO, offset, Math.min(333, AUDIO.length - offset)));
            if (!decoder.inSpeech()) {
                flushed.addAll(decoder.flush());
            }
        }
        flushed.addAll(decoder.flush());
        assertThat(flushed).isEqualTo(plain);
    }

    @Test
    void restsBetweenChunksOfWordsAreOnlyTimeInTheDecodersClock() {
        // Audio sent twice shows up twice: the decoder does not deduplicate, it transcribes.
        byte[] twice = Decoding.concat(AUDIO, AUDIO);
        List<DecodedWord> words = Decoding.decode(twice, FORMAT, 3200);
        assertThat(words).extracting(DecodedWord::word).containsExactly("hello", "world", "hello", "world");
        double length = FORMAT.secondsOf(AUDIO.length);
        assertThat(words.get(2).start()).isCloseTo(TIMELINE.get(0).start() + length, offset(0.005));
    }

    private List<DecodedWord> feedUntil(double seconds) {
        int until = (int) FORMAT.bytesFor(seconds);
        List<DecodedWord> words = decoder.accept(AUDIO, fed, until - fed);
        fed = until;
        assertThat(decoder.audioSeconds()).isCloseTo(seconds, offset(1.0 / 16000));
        return words;
    }
}
