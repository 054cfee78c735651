package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dgstream.emulator.DeepgramEmulator;
import java.net.URI;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void streamsAndFinishes() {
        try (DeepgramEmulator dg = DeepgramEmulator.builder().start();
                DeepgramClient client = DeepgramClient.builder()
                        .apiKey("test-key")
                        .baseUrl(URI.create(dg.baseUrl()))
                        .build()) {
            ListenWebSocketClient c = client.listen().live().v("1");
            EventLog log = new EventLog();
            log.attach(c);
            c.start(Speech.options());
            byte[] a = Speech.AUDIO;
            for (int i = 0; i < a.length; i += 3200) {
                c.send(a, i, Math.min(3200, a.length - i));
            }
            c.finish();
            assertThat(log.finalWordTexts()).isEqualTo(Speech.WORDS);
            assertThat(c.state()).isEqualTo(SessionState.CLOSED);
            assertThat(dg.connections().get(0).closeCode()).contains(1000);
        }
    }
}
