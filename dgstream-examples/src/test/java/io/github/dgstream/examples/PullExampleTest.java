package io.github.dgstream.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dgstream.DeepgramClient;
import io.github.dgstream.emulator.DeepgramEmulator;
import io.github.dgstream.emulator.speech.AudioFormat;
import io.github.dgstream.emulator.speech.SpeechEncoder;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PullExampleTest {
    static final String TEXT = "the quick brown fox. jumps over the lazy dog";

    static List<String> words(List<String> lines) {
        return lines.stream()
                .flatMap(l -> Arrays.stream(l.split(" ")))
                .map(w -> w.replaceAll("[^A-Za-z]", "").toLowerCase(java.util.Locale.ROOT))
                .filter(w -> !w.isEmpty())
                .collect(Collectors.toList());
    }

    @Test
    void transcribesEveryWordIntoUtterances() {
        byte[] audio = SpeechEncoder.encode(TEXT, AudioFormat.linear16(16000));
        try (DeepgramEmulator dg = DeepgramEmulator.builder().start();
                DeepgramClient client = DeepgramClient.builder()
                        .apiKey("k")
                        .baseUrl(URI.create(dg.baseUrl()))
                        .build()) {
            List<String> utterances = PullExample.transcribe(client, new ByteArrayInputStream(audio));
            assertThat(words(utterances)).isEqualTo(SpeechEncoder.words(TEXT));
            assertThat(utterances.size()).isGreaterThan(1);
        }
    }
}
