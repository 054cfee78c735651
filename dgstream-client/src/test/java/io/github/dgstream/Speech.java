package io.github.dgstream;

import io.github.dgstream.emulator.speech.AudioFormat;
import io.github.dgstream.emulator.speech.ExpectedWord;
import io.github.dgstream.emulator.speech.SpeechEncoder;
import java.util.List;

/** Test speech: multi-utterance text encoded with the emulator's speech code. */
final class Speech {
    static final String TEXT = "the quick brown fox jumps over the lazy dog. a resilient client never loses words."
            + " streaming survives real networks. every final is delivered once";
    static final AudioFormat FORMAT = AudioFormat.linear16(16000);
    static final int BYTES_PER_SECOND = 32000;
    static final byte[] AUDIO = SpeechEncoder.encode(TEXT, FORMAT);
    static final List<String> WORDS = SpeechEncoder.words(TEXT);
    static final List<ExpectedWord> TIMELINE = SpeechEncoder.timeline(TEXT, FORMAT);

    static LiveOptions options() {
        return LiveOptions.builder()
                .model("nova-3")
                .language("en")
                .encoding("linear16")
                .sampleRate(16000)
                .channels(1)
                .punctuate(true)
                .interimResults(true)
                .build();
    }

    static double seconds() {
        return AUDIO.length / (double) BYTES_PER_SECOND;
    }

    private Speech() {}
}
