package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Against the real Deepgram API; skipped unless {@code DEEPGRAM_API_KEY} is set (CI never sets it: tests never reach
 * the internet). It checks the protocol, not recognition: two seconds of silence, then a clean finish.
 */
@EnabledIfEnvironmentVariable(named = "DEEPGRAM_API_KEY", matches = ".+")
@Timeout(60)
class RealDeepgramTest {
    private static final int RATE = 16_000;
    private static final byte[] SILENCE_100_MS = new byte[RATE / 10 * 2];

    @Test
    void v1SessionOpensStreamsAndFinishesCleanly() {
        List<DeepgramEvent> events = new ArrayList<>();
        try (DeepgramClient client = DeepgramClient.builder().build(); // key from DEEPGRAM_API_KEY
                StreamSession session = client.listen().stream(StreamingOptions.builder()
                        .model("nova-3")
                        .encoding("linear16")
                        .sampleRate(RATE)
                        .interimResults(true)
                        .build())) {
            for (int i = 0; i < 20; i++) {
                session.send(SILENCE_100_MS);
            }
            session.finish();
            for (StreamEvent e : session) {
                events.add(e);
            }
            assertThat(session.state()).isEqualTo(SessionState.CLOSED);
        }
        assertThat(events).first().isInstanceOf(OpenEvent.class);
        assertThat(events).anyMatch(e -> e instanceof StreamEvent.Metadata);
        assertThat(events)
                .last()
                .isInstanceOfSatisfying(
                        CloseEvent.class, c -> assertThat(c.code()).isEqualTo(1000));
    }

    @Test
    void fluxSessionConnectsAndFinishesCleanly() {
        List<FluxEvent> events = new ArrayList<>();
        try (DeepgramClient client = DeepgramClient.builder().build();
                FluxSession session = client.listen().v2().stream(
                        FluxOptions.builder()
                                .model("flux-general-en")
                                .encoding("linear16")
                                .sampleRate(RATE)
                                .build(),
                        ReconnectionConfig.builder().enabled(true).build())) {
            for (int i = 0; i < 20; i++) {
                session.send(SILENCE_100_MS);
            }
            session.finish();
            while (!session.isDone()) {
                session.poll(Duration.ofSeconds(1)).ifPresent(events::add);
            }
        }
        assertThat(events).anyMatch(e -> e instanceof FluxEvent.Connected);
        assertThat(events).noneMatch(e -> e instanceof ErrorEvent || e instanceof ReconnectFailed);
        assertThat(events).last().isInstanceOf(CloseEvent.class);
    }
}
