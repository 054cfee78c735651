package io.github.dgstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dgstream.emulator.speech.AudioFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness's word accounting, on which its "0 lost, 0 doubled" rests. */
class StreamStatsTest {
    static final SpeechScript SCRIPT = new SpeechScript(6.0, AudioFormat.mulaw8k(), 7);

    private static StreamStats receive(List<String> words) {
        StreamStats s = new StreamStats(SCRIPT);
        s.beginFinal();
        words.forEach(s::word);
        return s;
    }

    @Test
    void theScriptsWordsAreDistinctSoEveryWordHasOnePlace() {
        assertThat(SCRIPT.words).hasSizeGreaterThan(10).doesNotHaveDuplicates();
        assertThat(SCRIPT.index).hasSameSizeAs(SCRIPT.words);
    }

    @Test
    void everyWordOnceInOrderIsNothingLostOrDoubled() {
        StreamStats s = receive(SCRIPT.words);
        assertThat(s.received).isEqualTo(SCRIPT.words.size());
        assertThat(s.lostAtEnd()).isZero();
        assertThat(s.doubled).isZero();
        assertThat(s.unknown).isZero();
        assertThat(s.finals).isEqualTo(1);
    }

    @Test
    void aSkippedWordIsLostAndARepeatedOneDoubled() {
        List<String> w = SCRIPT.words;
        // words 0..4, then 2 and 3 again (a replay that doubled them), then 7.. (5 and 6 lost), to the end
        List<String> got = new java.util.ArrayList<>(w.subList(0, 5));
        got.addAll(w.subList(2, 4));
        got.addAll(w.subList(7, w.size()));
        StreamStats s = receive(got);
        assertThat(s.lostAtEnd()).isEqualTo(2);
        assertThat(s.doubled).isEqualTo(2);
    }

    @Test
    void wordsNeverReceivedAtTheEndAreLost() {
        List<String> w = SCRIPT.words;
        StreamStats s = receive(w.subList(0, w.size() - 3));
        assertThat(s.lost).as("nothing skipped yet").isZero();
        assertThat(s.lostAtEnd()).isEqualTo(3);
    }

    @Test
    void aWordNotInTheScriptIsUnknownNotLost() {
        StreamStats s = receive(List.of(SCRIPT.words.get(0), "zzzzzzzzzzzz", SCRIPT.words.get(1)));
        assertThat(s.unknown).isEqualTo(1);
        assertThat(s.doubled).isZero();
        assertThat(s.lost).isZero();
    }

    @Test
    void fluxCapitalsAndFullStopsAreRemoved() {
        assertThat(StreamStats.plain("Hello.")).isEqualTo("hello");
        assertThat(StreamStats.plain("world,")).isEqualTo("world");
    }
}
