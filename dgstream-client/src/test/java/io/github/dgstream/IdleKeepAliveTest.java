package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.dgstream.emulator.DeepgramEmulator;
import io.github.dgstream.emulator.RecordedConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Acceptance 6: idling longer than the server's idle timeout does not close the session (idle-aware KeepAlive). */
class IdleKeepAliveTest {

    @ParameterizedTest
    @EnumSource(Driver.Kind.class)
    void idleLongerThanServerTimeoutKeepsTheSession(Driver.Kind kind) throws Exception {
        try (DeepgramEmulator dg = DeepgramEmulator.builder()
                        .listenIdleTimeout(Duration.ofMillis(1000))
                        .start();
                DeepgramClient client = DeepgramClient.builder()
                        .apiKey("k")
                        .baseUrl(URI.create(dg.baseUrl()))
                        .build()) {
            Driver d = Driver.create(kind, client);
            d.configure(
                    RetryableFaultsTest.reconnection(),
                    LivenessConfig.builder().keepAliveIntervalMs(300).build());
            d.start(Speech.options());
            int half = (Speech.AUDIO.length / 2) & ~1;
            d.stream(Arrays.copyOf(Speech.AUDIO, half), Speech.BYTES_PER_SECOND, 0);
            // Idle for 3x the server's idle timeout: nothing may close or reconnect.
            await().during(Duration.ofMillis(3000))
                    .atMost(Duration.ofMillis(4000))
                    .until(() -> d.log.of(Reconnecting.class).isEmpty() && !d.log.closed());
            d.stream(Arrays.copyOfRange(Speech.AUDIO, half, Speech.AUDIO.length), Speech.BYTES_PER_SECOND, 0);
            d.finish();
            assertThat(d.log.of(Reconnecting.class)).isEmpty();
            assertThat(d.log.of(ErrorEvent.class)).isEmpty();
            assertThat(d.log.finalWordTexts()).isEqualTo(Speech.WORDS);
            assertThat(dg.connectionCount()).isEqualTo(1);
            RecordedConnection rc = dg.connections().get(0);
            assertThat(rc.controlTypes()).contains("KeepAlive");
            assertThat(rc.closeCode()).contains(1000);
        }
    }
}
