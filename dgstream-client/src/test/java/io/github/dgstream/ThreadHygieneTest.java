package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.dgstream.emulator.DeepgramEmulator;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Acceptance 7: no thread per stream; threads return to the baseline after 200 start/finish cycles. */
class ThreadHygieneTest {

    static long clientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("dgstream-") || n.startsWith("HttpClient-"))
                .count();
    }

    static long nonDaemonClientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon() && t.getName().startsWith("dgstream-"))
                .count();
    }

    @Test
    void threadsReturnToBaselineAfter200Cycles() {
        byte[] audio = Arrays.copyOf(Speech.AUDIO, Speech.BYTES_PER_SECOND / 2);
        // Default emulator limits (64 connections): each session's slot is released when its close handshake completes.
        try (DeepgramEmulator dg = DeepgramEmulator.builder().start()) {
            DeepgramClient client = DeepgramClient.builder()
                    .apiKey("k")
                    .baseUrl(URI.create(dg.baseUrl()))
                    .build();
            cycle(client, audio, Driver.Kind.BLOCKING);
            long baseline = clientThreads();
            for (int i = 0; i < 200; i++) {
                cycle(client, audio, i % 2 == 0 ? Driver.Kind.BLOCKING : Driver.Kind.ASYNC);
            }
            long during = clientThreads();
            // every finished session's close handshake completed, releasing its emulator slot
            await().atMost(Duration.ofSeconds(5)).until(() -> dg.activeConnections() == 0);
            assertThat(during).as("no thread per stream").isLessThanOrEqualTo(baseline + 4);
            await().atMost(Duration.ofSeconds(20)).until(() -> clientThreads() <= baseline);
            client.close();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> Thread.getAllStackTraces().keySet().stream()
                            .noneMatch(t -> t.isAlive() && t.getName().startsWith("dgstream-")));
            assertThat(nonDaemonClientThreads()).isZero();
        }
    }

    private static void cycle(DeepgramClient client, byte[] audio, Driver.Kind kind) {
        Driver d = Driver.create(kind, client);
        d.start(Speech.options());
        d.send(audio, 0, audio.length);
        d.finish();
        assertThat(d.state()).isEqualTo(SessionState.CLOSED);
    }
}
