package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.dgstream.emulator.DeepgramEmulator;
import io.github.dgstream.internal.EngineHooks;
import io.github.dgstream.internal.EventBuffer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A consumer slower than the pong timeout, in virtual time: a ping is outstanding when the buffer stops the engine
 * reading (its pong is queued behind unread results); long after, the consumer takes events and reading resumes.
 * The pong deadline must restart then, or the first liveness tick declares the healthy connection dead. (Without
 * that engine fix this test fails whenever the pong is still unread at the tick after the resume; the emulator's
 * timing decides that, so it catches the regression in most runs, not all.)
 */
class PausedLivenessTest {

    @Test
    void aLongBackpressurePauseDoesNotMakeTheConnectionLookDead() {
        FakeScheduler time = new FakeScheduler();
        try (DeepgramEmulator dg = DeepgramEmulator.builder().start();
                DeepgramClient client = DeepgramClient.builder()
                        .apiKey("k")
                        .baseUrl(URI.create(dg.baseUrl()))
                        .hooks(EngineHooks.NONE.withClock(time).withScheduler(time))
                        .build()) {
            StreamingOptions o = StreamingOptions.builder()
                    .options(Speech.options())
                    .eventBufferCapacity(4)
                    .reconnection(RetryableFaultsTest.reconnection())
                    .liveness(LivenessConfig.builder()
                            .pingIntervalMs(1000)
                            .pongTimeoutMs(2000)
                            .receiveTimeoutMs(0)
                            .keepAliveIntervalMs(0)
                            .build())
                    .build();
            try (StreamSession session = client.listen().stream(o)) {
                EventBuffer buf = ((DefaultStreamSession) session).buffer();
                List<StreamEvent> events = new ArrayList<>();
                session.poll(Duration.ofSeconds(5)).ifPresent(events::add); // OpenEvent
                session.send(Speech.AUDIO); // the server answers with a burst of results ...
                time.advance(1000); // ... and the ping goes out behind the audio, so its pong is behind the results
                await().atMost(Duration.ofSeconds(10)).until(buf::isPaused);
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> dg.connections().get(0).pingsReceived() > 0);
                time.advance(10_000); // paused far longer than the pong timeout: no verdict while paused
                for (int i = 0; i < 3; i++) {
                    session.poll(Duration.ZERO).ifPresent(events::add); // reading resumes ...
                }
                time.advance(250); // ... and a liveness tick runs at once
                session.finish();
                while (!session.isDone()) { // no more virtual time: finishing needs no timer
                    session.poll(Duration.ofMillis(50)).ifPresent(events::add);
                }
                EventLog log = new EventLog();
                log.events.addAll(events);
                assertThat(log.of(Reconnecting.class)).isEmpty();
                assertThat(log.finalWordTexts()).isEqualTo(Speech.WORDS);
            }
        }
    }
}
