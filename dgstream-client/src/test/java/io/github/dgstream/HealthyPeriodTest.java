package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.dgstream.EngineStateMachineTest.FakeSocket;
import io.github.dgstream.EngineStateMachineTest.FakeTransport;
import io.github.dgstream.internal.Scheduler;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which connections count as healthy (the attempt counter resets and the first retry is immediate): up for the healthy
 * period as the server showed it, by messages and pongs, not as long as it took to notice the socket dead. Virtual
 * time and a fake transport, as in {@link EngineStateMachineTest}.
 */
class HealthyPeriodTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final String METADATA = "{\"type\":\"Metadata\",\"request_id\":\"rid\"}";

    FakeScheduler time;
    FakeTransport transport;
    DeepgramClient client;
    EventLog log;

    @BeforeEach
    void setUp() {
        time = new FakeScheduler();
        transport = new FakeTransport();
        client = EngineStateMachineTest.fakeClient(time, transport);
        AsyncListenWebSocketClient c = client.listen().asyncLive().v("1");
        log = new EventLog();
        log.attach(c);
        c.configureReconnection(ReconnectionConfig.builder()
                .enabled(true)
                .initialDelayMs(100)
                .jitter(false)
                .healthyPeriodMs(1000)
                .build());
        // pings every second, dead after 1 s without a pong; nothing else on timers
        c.configureLiveness(LivenessConfig.builder()
                .keepAliveIntervalMs(0)
                .pingIntervalMs(1000)
                .pongTimeoutMs(1000)
                .receiveTimeoutMs(0)
                .finishTimeoutMs(60_000)
                .build());
        java.util.concurrent.CompletableFuture<Void> started = c.start(Speech.options());
        transport.awaitConnects(1).open();
        started.orTimeout(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .join();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    /** Fires liveness ticks one at a time until the session reconnects; {@code beforeEachTick} plays the server. */
    private Reconnecting runUntilReconnecting(Runnable beforeEachTick) {
        for (int ticks = 0; log.of(Reconnecting.class).isEmpty(); ticks++) {
            assertThat(ticks).as("still no verdict").isLessThan(100);
            FakeScheduler.Entry tick = await().atMost(WAIT)
                    .pollInterval(Duration.ofMillis(2))
                    .until(() -> time.pending(Scheduler.Kind.LIVENESS).orElse(null), e -> e != null);
            beforeEachTick.run();
            time.fire(tick);
            await().atMost(WAIT)
                    .pollInterval(Duration.ofMillis(2))
                    .until(() -> time.pending(Scheduler.Kind.LIVENESS).isPresent()
                            || !log.of(Reconnecting.class).isEmpty());
        }
        return log.of(Reconnecting.class).get(0);
    }

    @Test
    void aSocketThatDiedSilentlyRightAfterItsFirstMessageIsNotHealthyHoweverLateItsDeathIsNoticed() {
        // Regression (round 11, a CI flake): the socket said one thing, then died without the transport noticing; the
        // pong deadline found it dead 2 s later. Measured to that moment it had been "up" for the healthy period, so
        // the attempt counter was reset and the retry made at once, as after a healthy connection.
        long start = time.nanoTime();
        FakeSocket s = transport.socket(0);
        s.listener.onText(METADATA);
        Reconnecting r = runUntilReconnecting(() -> {});

        assertThat(r.cause().getMessage()).contains("No pong");
        assertThat(time.nanoTime() - start)
                .as("noticed well after the healthy period")
                .isGreaterThan(1_500_000_000L);
        assertThat(r.attempt()).isEqualTo(1);
        assertThat(r.delay())
                .as("not healthy: the backoff, not an immediate retry")
                .isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void aSocketThatAnsweredPingsForTheHealthyPeriodIsHealthyThoughItSaidNothingElse() {
        FakeSocket s = transport.socket(0);
        s.listener.onText(METADATA);
        int[] answered = {0};
        long deadline = time.nanoTime() + 2_500_000_000L;
        // answer every ping for 2.5 s of virtual time (the pings at 1 and 2 s), then fall silent
        Reconnecting r = runUntilReconnecting(() -> {
            if (time.nanoTime() < deadline && s.pings.get() > answered[0]) {
                answered[0] = s.pings.get();
                s.listener.onPong();
            }
        });

        assertThat(answered[0]).as("pongs were sent").isPositive();
        assertThat(r.cause().getMessage()).contains("No pong");
        assertThat(r.delay()).as("healthy: the first retry is immediate").isZero();
    }
}
