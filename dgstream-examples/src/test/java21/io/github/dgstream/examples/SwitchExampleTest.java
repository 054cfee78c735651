package io.github.dgstream.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dgstream.DeepgramClient;
import io.github.dgstream.emulator.DeepgramEmulator;
import io.github.dgstream.emulator.speech.AudioFormat;
import io.github.dgstream.emulator.speech.SpeechEncoder;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Compiled and run only on JDK 21+ (profile java21). */
class SwitchExampleTest {

    @Test
    void switchWithRecordPatternsSeesEveryFinalAndTheLifecycle() {
        byte[] audio = SpeechEncoder.encode(PullExampleTest.TEXT, AudioFormat.linear16(16000));
        try (DeepgramEmulator dg = DeepgramEmulator.builder().start();
                DeepgramClient client = DeepgramClient.builder()
                        .apiKey("k")
                        .baseUrl(URI.create(dg.baseUrl()))
                        .build()) {
            List<String> lines = SwitchExample.transcribe(client, audio);
            assertThat(lines.get(0)).isEqualTo("-- open");
            assertThat(lines.get(lines.size() - 1)).startsWith("-- closed 1000");
            List<String> finals = lines.stream()
                    .filter(l -> l.startsWith("["))
                    .map(l -> l.substring(l.indexOf(']') + 2))
                    .toList();
            assertThat(PullExampleTest.words(finals)).isEqualTo(SpeechEncoder.words(PullExampleTest.TEXT));
        }
    }
}
