package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.dgstream.emulator.DeepgramEmulator;
import io.github.dgstream.emulator.RecordedConnection;
import io.github.dgstream.internal.EventBuffer;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Done-when 2 and the keepalive point: a consumer that stalls until the buffer is full, with each overflow policy;
 * and a consumer busy for longer than the server's idle timeout.
 */
class PullBackpressureTest {
    static final int CAPACITY = 4;

    DeepgramEmulator dg;
    DeepgramClient client;

    @BeforeEach
    void setUp() {
        dg = DeepgramEmulator.builder()
                .listenIdleTimeout(Duration.ofMillis(1000))
                .start();
        client = DeepgramClient.builder()
                .apiKey("k")
                .baseUrl(URI.create(dg.baseUrl()))
                .build();
    }

    @AfterEach
    void tearDown() {
        client.close();
        dg.close();
    }

    static StreamingOptions.Builder options(OverflowPolicy policy) {
        return StreamingOptions.builder()
                .options(Speech.options().toBuilder().endpointingDisabled().build()) // interims and long finals
                .eventBufferCapacity(CAPACITY)
                .overflowPolicy(policy)
                .reconnection(RetryableFaultsTest.reconnection())
                // pings and a pong deadline far shorter than the stalls: a paused connection must not look dead
                .liveness(LivenessConfig.builder()
                        .keepAliveIntervalMs(300)
                        .pingIntervalMs(200)
                        .pongTimeoutMs(400)
                        .receiveTimeoutMs(1000)
                        .finishTimeoutMs(20_000)
                        .build());
    }

    static byte[] twice() {
        byte[] a = Arrays.copyOf(Speech.AUDIO, Speech.AUDIO.length * 2);
        System.arraycopy(Speech.AUDIO, 0, a, Speech.AUDIO.length, Speech.AUDIO.length);
        return a;
    }

    @Test
    void blockStopsReadingKeepsMemoryBoundedAndLosesNoFinal() {
        try (StreamSession session =
                client.listen().stream(options(OverflowPolicy.BLOCK).build())) {
            EventBuffer buf = ((DefaultStreamSession) session).buffer();
            session.send(twice());
            session.finish();
            EventLog log = new EventLog();
            Iterator<StreamEvent> it = session.iterator();
            int stalls = 0;
            while (true) {
                // Deliberately slow: take nothing until the engine has been told to stop reading (or the end).
                await().atMost(Duration.ofSeconds(20)).until(() -> buf.isPaused() || buf.isCompleted());
                if (buf.isPaused() && stalls < 3) {
                    stalls++;
                    long offered = buf.offered();
                    // The engine stopped reading: nothing more is offered for a while, although the server sent more.
                    await().during(Duration.ofMillis(700))
                            .atMost(Duration.ofSeconds(2))
                            .until(() -> buf.offered() == offered);
                    assertThat(dg.connections().get(0).messagesSent())
                            .as("server messages sent vs events offered")
                            .isGreaterThan((int) offered);
                }
                boolean more = true;
                for (int i = 0; i < CAPACITY && (more = it.hasNext()); i++) {
                    log.events.add(it.next());
                }
                if (!more) {
                    break;
                }
            }
            assertThat(stalls).isEqualTo(3);
            assertThat(buf.highWaterMark()).isLessThanOrEqualTo(CAPACITY);
            assertThat(buf.pauses()).isGreaterThanOrEqualTo(3);
            assertThat(log.of(Reconnecting.class))
                    .as("a paused connection is not dead")
                    .isEmpty();
            assertThat(log.of(ErrorEvent.class)).isEmpty();
            assertThat(log.finalWordTexts()).isEqualTo(concat(Speech.WORDS, Speech.WORDS));
            assertThat(log.types().get(log.types().size() - 1)).isEqualTo(EventType.CLOSE);
            assertThat(session.state()).isEqualTo(SessionState.CLOSED);
        }
        assertThat(dg.connections().get(0).closeCode()).contains(1000);
    }

    @Test
    void dropInterimDeliversEveryFinal() {
        try (StreamSession session =
                client.listen().stream(options(OverflowPolicy.DROP_INTERIM).build())) {
            EventBuffer buf = ((DefaultStreamSession) session).buffer();
            session.send(twice());
            session.finish();
            // Deliberately slow: consume nothing until the producer is done or blocked by undroppable events.
            await().atMost(Duration.ofSeconds(20)).until(() -> buf.isCompleted() || buf.isPaused());
            EventLog log = new EventLog();
            for (StreamEvent e : session) {
                log.events.add(e);
            }
            assertThat(session.droppedInterimResults()).isPositive();
            assertThat(buf.highWaterMark()).isLessThanOrEqualTo(CAPACITY);
            assertThat(log.finalWordTexts()).isEqualTo(concat(Speech.WORDS, Speech.WORDS));
            assertThat(log.of(Reconnecting.class)).isEmpty();
            assertThat(log.types().get(log.types().size() - 1)).isEqualTo(EventType.CLOSE);
        }
    }

    @Test
    void failEndsTheSessionWithTheDocumentedError() throws Exception {
        try (StreamSession session =
                client.listen().stream(options(OverflowPolicy.FAIL).build())) {
            session.send(twice());
            await().atMost(Duration.ofSeconds(20)).until(() -> session.state() == SessionState.FAILED);
            EventLog log = new EventLog();
            for (StreamEvent e : session) {
                log.events.add(e);
            }
            int n = log.events.size();
            assertThat(n).isEqualTo(CAPACITY + 2); // the buffer's content, then the error and the close
            assertThat(log.events.get(n - 2)).isInstanceOfSatisfying(ErrorEvent.class, e -> {
                assertThat(e.error().kind()).isEqualTo(DeepgramException.Kind.OVERFLOW);
                assertThat(e.error().getMessage())
                        .contains("Event buffer overflow")
                        .contains("eventBufferCapacity=" + CAPACITY)
                        .contains("overflowPolicy=FAIL");
                assertThat(e.error().isRetryable()).isFalse();
            });
            assertThat(log.events.get(n - 1)).isInstanceOf(CloseEvent.class);
            RecordedConnection rc = dg.connections().get(0);
            assertThat(rc.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(dg.connectionCount()).isEqualTo(1); // failing is terminal: no reconnect
    }

    @Test
    void keepAliveRunsWhileTheConsumerIsBusyLongerThanTheIdleTimeout() {
        try (StreamSession session =
                client.listen().stream(options(OverflowPolicy.BLOCK).build())) {
            EventBuffer buf = ((DefaultStreamSession) session).buffer();
            int half = (Speech.AUDIO.length / 2) & ~1;
            session.send(Arrays.copyOf(Speech.AUDIO, half));
            // The consumer is busy elsewhere for 3x the server's idle timeout; no audio is sent meanwhile.
            await().during(Duration.ofMillis(3000))
                    .atMost(Duration.ofMillis(4000))
                    .until(() -> session.state() == SessionState.STREAMING);
            assertThat(buf.isPaused())
                    .as("the buffer filled up while the consumer was busy")
                    .isTrue();
            session.send(Arrays.copyOfRange(Speech.AUDIO, half, Speech.AUDIO.length));
            session.finish();
            EventLog log = new EventLog();
            for (StreamEvent e : session) {
                log.events.add(e);
            }
            assertThat(log.of(Reconnecting.class)).isEmpty();
            assertThat(log.of(ErrorEvent.class)).isEmpty();
            assertThat(log.finalWordTexts()).isEqualTo(Speech.WORDS);
        }
        assertThat(dg.connectionCount()).isEqualTo(1);
        RecordedConnection rc = dg.connections().get(0);
        assertThat(rc.controlTypes()).contains("KeepAlive");
        assertThat(rc.closeCode()).contains(1000);
    }

    static java.util.List<String> concat(java.util.List<String> a, java.util.List<String> b) {
        java.util.List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
