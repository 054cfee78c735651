package io.github.dgstream.emulator.speech;

import static io.github.dgstream.emulator.speech.Decoding.assertMatches;
import static io.github.dgstream.emulator.speech.Decoding.decode;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A reconnecting client replays audio from the end of the last final result, i.e. from somewhere in the silence between
 * words, so the decoder's 10 ms grid is not aligned with the encoder's. Every such start must decode the remaining words.
 */
class DecoderOffsetStartTest {

    static final String TEXT = "hello world. the quick brown fox. bookkeeper 1000 don't";

    static Stream<AudioFormat> formats() {
        return Stream.of(
                AudioFormat.linear16(8000),
                AudioFormat.linear16(16000),
                AudioFormat.linear16(24000),
                AudioFormat.linear16(48000),
                AudioFormat.mulaw8k());
    }

    @ParameterizedTest
    @MethodSource("formats")
    void decodesTheTailFromAnyCutInsideSilence(AudioFormat format) {
        byte[] audio = SpeechEncoder.encode(TEXT, format);
        List<ExpectedWord> timeline = SpeechEncoder.timeline(TEXT, format);
        int cuts = 0;
        for (long cutSample : cutSamples(timeline, format.sampleRate())) {
            double cutSeconds = (double) cutSample / format.sampleRate();
            List<ExpectedWord> remaining =
                    timeline.stream().filter(w -> w.start() >= cutSeconds).toList();
            byte[] tail = Decoding.tail(audio, cutSample * format.bytesPerFrame());
            for (int chunkSize : new int[] {1, 321, 3200}) {
                assertMatches(decode(tail, format, chunkSize), remaining, cutSeconds);
            }
            cuts++;
        }
        org.assertj.core.api.Assertions.assertThat(cuts).isGreaterThanOrEqualTo(4 * timeline.size());
    }

    /** In every silent gap (including the leading one): just after it starts, odd offsets, the middle, just before its end. */
    static List<Long> cutSamples(List<ExpectedWord> timeline, int rate) {
        List<Long> cuts = new ArrayList<>();
        double gapStart = 0.0;
        for (ExpectedWord word : timeline) {
            long first = Math.round(gapStart * rate);
            long last = Math.round(word.start() * rate); // first sample of the next tone
            cuts.add(first + 1);
            cuts.add(first + 37);
            cuts.add(first + 333);
            cuts.add((first + last) / 2 | 1); // the middle, made odd
            cuts.add(last - 3);
            gapStart = word.end();
        }
        return cuts;
    }
}
