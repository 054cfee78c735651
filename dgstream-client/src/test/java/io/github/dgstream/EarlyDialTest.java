package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.dgstream.EngineStateMachineTest.FakeSocket;
import io.github.dgstream.EngineStateMachineTest.FakeTransport;
import io.github.dgstream.internal.Scheduler;
import io.github.dgstream.internal.Transport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A failed write gives the JDK's reader a grace period (10 ms) to say why the socket died. When the loss would be
 * retried at once (a healthy connection), the engine dials the next socket during that grace instead of after it, and
 * aborts it unused when the reader's reason ends the session or the loss is not retried at once. Fake transport and
 * virtual time: the grace passes only when a test advances the clock.
 */
class EarlyDialTest {
    static final Duration WAIT = EngineStateMachineTest.WAIT;
    static final long GRACE_MS = 10;
    /** What a new socket replays: the audio after the last final, which ended at 0.5 s. */
    static final int REPLAYED_BYTES = 16_000;

    FakeScheduler time;
    FakeTransport transport;
    DeepgramClient client;
    AsyncListenWebSocketClient c;
    EventLog log;
    FakeSocket first;

    @BeforeEach
    void setUp() {
        time = new FakeScheduler();
        transport = new FakeTransport();
        client = EngineStateMachineTest.fakeClient(time, transport);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    /** A session whose first socket is open and healthy: it said something a healthy period (1 s) after it opened. */
    private void startHealthy() {
        start(1000, 1000);
    }

    /** A session whose first socket said something {@code saidAfterMs} after it opened. */
    private void start(long healthyPeriodMs, long saidAfterMs) {
        c = client.listen().asyncLive().v("1");
        log = new EventLog();
        first = start(c, log, transport, time, healthyPeriodMs, saidAfterMs);
    }

    /**
     * Starts {@code c} (reconnects after 100, 200, ... ms; no liveness timers) with {@code log} attached; its first
     * socket opens and says something {@code saidAfterMs} after it opened. Returns that socket.
     */
    static FakeSocket start(
            AsyncListenWebSocketClient c,
            EventLog log,
            FakeTransport transport,
            FakeScheduler time,
            long healthyPeriodMs,
            long saidAfterMs) {
        log.attach(c);
        c.configureReconnection(ReconnectionConfig.builder()
                .enabled(true)
                .initialDelayMs(100)
                .maxDelayMs(1000)
                .jitter(false)
                .healthyPeriodMs(healthyPeriodMs)
                .build());
        c.configureLiveness(LivenessConfig.builder()
                .keepAliveIntervalMs(0)
                .pingIntervalMs(0)
                .receiveTimeoutMs(0)
                .finishTimeoutMs(60_000)
                .build());
        CompletableFuture<Void> started = c.start(Speech.options());
        FakeSocket first = transport.awaitConnects(1).open();
        started.join();
        time.advance(saidAfterMs);
        first.listener.onText(result("hello"));
        await().atMost(WAIT).until(() -> log.finalWordTexts().contains("hello"));
        return first;
    }

    private static String result(String word) {
        return String.format(EngineStateMachineTest.RESULT, word, word);
    }

    /**
     * Waits for the failed write's grace timer. The engine posts its early dial before it schedules this timer, so
     * anything the test posts to the session after it runs after that decision.
     */
    private FakeScheduler.Entry awaitGraceTimer() {
        return awaitGraceTimer(time);
    }

    static FakeScheduler.Entry awaitGraceTimer(FakeScheduler time) {
        return await().atMost(WAIT)
                .until(
                        () -> time.history(Scheduler.Kind.LIVENESS).stream()
                                .filter(e -> e.delayMs() == GRACE_MS)
                                .findFirst()
                                .orElse(null),
                        e -> e != null);
    }

    /** One second of audio (linear16, 16 kHz), whose write fails on the first socket. */
    private void failAWrite() {
        first.failBinary = true;
        c.send(ByteBuffer.wrap(new byte[32_000])).join();
    }

    @Test
    void aFailedWriteOnAHealthyConnectionDialsTheNextSocketBeforeTheGraceEnds() {
        startHealthy();
        long failedAt = time.nanoTime();
        failAWrite();
        FakeSocket second = transport.awaitConnects(2);
        assertThat(time.nanoTime()).as("dialed without the clock moving").isEqualTo(failedAt);
        assertThat(log.of(Reconnecting.class)).as("the loss is not taken yet").isEmpty();

        // It opens, and the server says something, before the engine takes it: held, not lost.
        second.open();
        second.listener.onText(result("held"));
        assertThat(second.binaryBytes())
                .as("nothing written to a socket not yet adopted")
                .isZero();

        time.fire(awaitGraceTimer());
        await().atMost(WAIT).until(() -> !log.of(Reconnected.class).isEmpty());
        await().atMost(WAIT).until(() -> log.finalWordTexts().contains("held"));

        assertThat(transport.connects())
                .as("the early socket was the reconnect")
                .isEqualTo(2);
        assertThat(first.aborted).isTrue();
        assertThat(second.aborted).isFalse();
        assertThat(log.of(Reconnecting.class)).singleElement().satisfies(r -> {
            assertThat(r.attempt()).isEqualTo(1);
            assertThat(r.delay()).isZero();
        });
        assertThat(log.of(Reconnected.class).get(0).downtime())
                .as("the outage starts at the failed write, not at the end of the grace")
                .isEqualTo(Duration.ofMillis(GRACE_MS));
        await().atMost(WAIT).until(() -> second.binaryBytes() == REPLAYED_BYTES);
        assertThat(c.state()).isEqualTo(SessionState.STREAMING);
        assertThat(log.of(ErrorEvent.class)).isEmpty();
    }

    @Test
    void aFatalCloseDuringTheGraceEndsTheSessionAndAbortsTheEarlySocketUnused() {
        startHealthy();
        failAWrite();
        FakeSocket second = transport.awaitConnects(2);
        awaitGraceTimer();
        // The reader explains the failed write: the server rejected the audio (fatal, not retried).
        first.listener.onClose(1008, "DATA-0000 bad audio");
        await().atMost(WAIT).until(() -> c.state() == SessionState.FAILED);
        second.open(); // the handshake completes after the session ended

        await().atMost(WAIT).until(() -> second.aborted);
        assertThat(log.of(Reconnecting.class)).isEmpty();
        assertThat(log.of(ErrorEvent.class))
                .singleElement()
                .satisfies(e -> assertThat(e.error().closeCode()).isEqualTo(1008));
        assertThat(second.binaryBytes()).isZero();
        assertThat(transport.connects()).isEqualTo(2);
    }

    /**
     * An early dial that fails is the reconnect's first attempt, whether it is refused before the grace ends (the
     * engine learns of it when it adopts the dial), refused after (the adopted dial fails as usual), or accepted and
     * then dropped before it is adopted: it counts, and the backoff runs before the next handshake. Regression: it
     * used to be forgotten and the loss dialed again at once, so a 429, a 503 or a flapping server got an immediate
     * hidden retry and the events missed an attempt (the emulator's "drop, then refused, then ok" faults showed
     * attempts [1] instead of [1, 2] on a loaded machine).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"refused before the grace ends", "refused after the grace ends", "dropped before adoption"})
    void aFailedEarlyDialIsTheFirstFailedAttemptAndTheBackoffRuns(String how) {
        startHealthy();
        failAWrite();
        FakeSocket second = transport.awaitConnects(2);
        Runnable fail = how.startsWith("refused")
                ? () -> second.connected.completeExceptionally(new Transport.HandshakeFailure(503, null, null, ""))
                : () -> {
                    second.open();
                    second.listener.onText(result("ghost")); // held, then dropped with its socket
                    second.listener.onClose(1006, "");
                };
        if (how.endsWith("after the grace ends")) {
            time.fire(awaitGraceTimer());
            await().atMost(WAIT).until(() -> !log.of(Reconnecting.class).isEmpty());
            fail.run();
        } else {
            fail.run();
            time.fire(awaitGraceTimer());
        }

        await().atMost(WAIT).until(() -> log.of(Reconnecting.class).size() == 2);
        assertThat(log.of(Reconnecting.class).get(0)).satisfies(r -> {
            assertThat(r.attempt()).isEqualTo(1);
            assertThat(r.delay()).isZero();
            assertThat(r.cause().getMessage()).contains("Broken pipe");
        });
        assertThat(log.of(Reconnecting.class).get(1)).satisfies(r -> {
            assertThat(r.attempt()).isEqualTo(2);
            assertThat(r.delay()).isEqualTo(Duration.ofMillis(200)); // attempt 2: 100 ms x 2
            if (how.startsWith("refused")) {
                assertThat(r.cause().httpStatus()).isEqualTo(503);
            } else {
                assertThat(r.cause().closeCode()).isEqualTo(1006);
            }
        });
        assertThat(transport.connects()).as("no handshake before the backoff").isEqualTo(2);
        assertThat(log.of(Reconnected.class))
                .as("the failed socket was never the session's")
                .isEmpty();

        time.fire(await().atMost(WAIT)
                .until(() -> time.pending(Scheduler.Kind.BACKOFF).orElse(null), e -> e != null));
        FakeSocket third = transport.awaitConnects(3).open();
        await().atMost(WAIT).until(() -> !log.of(Reconnected.class).isEmpty());
        assertThat(log.of(Reconnected.class))
                .singleElement()
                .satisfies(r -> assertThat(r.attempt()).isEqualTo(2));
        await().atMost(WAIT).until(() -> third.binaryBytes() == REPLAYED_BYTES);
        assertThat(transport.connects()).isEqualTo(3);
        assertThat(c.state()).isEqualTo(SessionState.STREAMING);
        assertThat(log.finalWordTexts()).doesNotContain("ghost");
    }

    /**
     * An early socket that the server accepts and then closes fatally, before the engine adopts it, ends the session
     * exactly as a first attempt closed that way would: its close is the session's last (the {@code CloseEvent}
     * reports it), and no {@code Reconnected} is emitted for a socket the session never used.
     */
    @Test
    void aFatalCloseOfTheEarlySocketBeforeAdoptionEndsTheSessionWithThatClose() {
        startHealthy();
        failAWrite();
        FakeSocket second = transport.awaitConnects(2);
        second.open();
        second.listener.onClose(1008, "DATA-0000 bad audio");
        time.fire(awaitGraceTimer());

        await().atMost(WAIT).until(() -> c.state() == SessionState.FAILED);
        assertThat(log.of(Reconnecting.class))
                .singleElement()
                .satisfies(r -> assertThat(r.attempt()).isEqualTo(1));
        assertThat(log.of(Reconnected.class)).isEmpty();
        assertThat(log.of(ReconnectFailed.class)) // a fatal end inside a reconnect sequence
                .singleElement()
                .satisfies(f -> assertThat(f.cause().closeCode()).isEqualTo(1008));
        assertThat(log.of(CloseEvent.class)).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(1008);
            assertThat(e.reason()).startsWith("DATA-0000");
        });
        assertThat(second.aborted).isTrue();
        assertThat(transport.connects()).isEqualTo(2);
    }

    @Test
    void noEarlyDialWhenTheLossWouldWaitForABackoff() {
        start(60_000, 1000); // said something, but before the healthy period was up
        failAWrite();
        time.fire(awaitGraceTimer());
        await().atMost(WAIT).until(() -> !log.of(Reconnecting.class).isEmpty());
        assertThat(log.of(Reconnecting.class).get(0).delay()).isEqualTo(Duration.ofMillis(100));
        assertThat(transport.connects()).as("nothing dialed before the backoff").isEqualTo(1);
    }

    /**
     * Flux sends {@code Connected} as soon as a socket opens, so an early socket usually delivers it before the engine
     * adopts it: it must come after {@code Reconnected}, and the turn numbering must go on across the sockets.
     */
    @Test
    void fluxEarlySocketsConnectedIsDeliveredAfterAdoptionAndTurnsContinue() {
        FluxDriver d = FluxDriver.create(FluxDriver.Shape.CALLBACK, client);
        d.configure(
                ReconnectionConfig.builder()
                        .enabled(true)
                        .initialDelayMs(100)
                        .jitter(false)
                        .build(),
                LivenessConfig.builder()
                        .pingIntervalMs(0)
                        .receiveTimeoutMs(0)
                        .finishTimeoutMs(60_000)
                        .build());
        CompletableFuture<Void> started = CompletableFuture.runAsync(() -> d.start(FluxSpeech.options()));
        first = transport.awaitConnects(1).open(); // the callback client's start() returns once this opened
        started.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();
        first.listener.onText(connected("r1"));
        d.send(new byte[32_000], 0, 32_000);
        await().atMost(WAIT).until(() -> first.binaryBytes() == 32_000);
        first.listener.onText(turn(0, 0.0, 0.8, "one"));
        await().atMost(WAIT).until(() -> d.eots().size() == 1); // a completed turn: healthy for Flux

        first.failBinary = true;
        d.send(new byte[3200], 0, 3200);
        FakeSocket second = transport.awaitConnects(2).open();
        second.listener.onText(connected("r2"));
        time.fire(awaitGraceTimer());
        await().atMost(WAIT).until(() -> !d.of(Reconnected.class).isEmpty());
        await().atMost(WAIT).until(() -> d.of(FluxEvent.Connected.class).size() == 2);
        second.listener.onText(turn(0, 0.0, 0.5, "two")); // a new socket counts its turns from 0 again

        await().atMost(WAIT).until(() -> d.eots().size() == 2);
        assertThat(d.eots()).extracting(FluxEvent.EndOfTurn::turnIndex).containsExactly(0, 1);
        assertThat(d.types())
                .containsSubsequence(EventType.RECONNECTING, EventType.RECONNECTED, EventType.CONNECTED)
                .doesNotContain(EventType.ERROR);
        assertThat(transport.connects()).isEqualTo(2);
    }

    private static String connected(String requestId) {
        return "{\"type\":\"Connected\",\"request_id\":\"" + requestId + "\",\"sequence_id\":0}";
    }

    private static String turn(int index, double start, double end, String word) {
        return "{\"type\":\"TurnInfo\",\"event\":\"EndOfTurn\",\"turn_index\":" + index
                + ",\"audio_window_start\":" + start + ",\"audio_window_end\":" + end + ",\"transcript\":\"" + word
                + "\",\"words\":[{\"word\":\"" + word + "\",\"confidence\":0.9,\"start\":" + start
                + ",\"end\":" + end + "}],\"end_of_turn_confidence\":0.8}";
    }

    @Test
    void noEarlyDialWhileFinishingWhereTheReadersCloseIsTheNormalEnd() {
        startHealthy();
        c.send(ByteBuffer.wrap(new byte[3200])).join();
        await().atMost(WAIT).until(() -> first.binaryBytes() == 3200);
        first.failTexts = true;
        CompletableFuture<Void> finished = c.finish();
        await().atMost(WAIT).until(() -> first.texts().contains("{\"type\":\"CloseStream\"}")); // its write fails
        awaitGraceTimer();
        first.listener.onText("{\"type\":\"Metadata\",\"request_id\":\"rid\",\"duration\":0.1}");
        first.listener.onClose(1000, "");
        finished.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();

        assertThat(c.state()).isEqualTo(SessionState.CLOSED);
        assertThat(transport.connects())
                .as("no socket dialed for a session that was ending")
                .isEqualTo(1);
        assertThat(log.of(Reconnecting.class)).isEmpty();
        assertThat(log.of(ErrorEvent.class)).isEmpty();
    }
}
