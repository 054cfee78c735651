package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.dgstream.EngineStateMachineTest.FakeSocket;
import io.github.dgstream.EngineStateMachineTest.FakeTransport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which thread dials the immediate reconnect after a healthy connection is lost. With an API key, dialing runs no user
 * code, so the thread that reported the loss dials at once instead of waiting for an engine thread (round 17: that wait
 * was the loss-to-dial p99 of 5-11 ms at 1,000 streams with faults). With a token provider, the provider is user code
 * and is never asked on that thread. Fake transport and virtual time.
 */
class ImmediateReconnectTest {
    static final Duration WAIT = EngineStateMachineTest.WAIT;

    FakeScheduler time;
    FakeTransport transport;
    DeepgramClient client;
    final EventLog log = new EventLog();
    final List<String> tokenAskedOn = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        time = new FakeScheduler();
        transport = new FakeTransport();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    /** Starts a healthy session on {@code builder}'s credentials; returns its socket once the session is idle. */
    private FakeSocket startHealthy(DeepgramClient.Builder builder) {
        client = EngineStateMachineTest.fakeClient(time, transport, builder);
        FakeSocket first = EarlyDialTest.start(client.listen().asyncLive().v("1"), log, transport, time, 1000, 1000);
        awaitEngineThreadsIdle();
        return first;
    }

    /**
     * Waits until no engine thread runs a task. Only this test moves the session (virtual time, fake transport), so
     * its actor is then idle and stays so: what the test does next runs inline if the engine lets it.
     */
    private static void awaitEngineThreadsIdle() {
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().startsWith("dgstream-engine-"))
                        .noneMatch(t -> t.getState() == Thread.State.RUNNABLE));
    }

    private static void onATransportThread(Runnable callback) throws InterruptedException {
        Thread transportThread = new Thread(callback, "fake-transport");
        transportThread.start();
        transportThread.join(WAIT.toMillis());
    }

    private void startHealthyThenLoseOnATransportThread(DeepgramClient.Builder builder) throws InterruptedException {
        FakeSocket first = startHealthy(builder);
        onATransportThread(() -> first.listener.onClose(1011, "NET-0000 internal"));
    }

    @Test
    void withAnApiKeyTheThreadThatReportedTheLossDialsAtOnce() throws InterruptedException {
        startHealthyThenLoseOnATransportThread(DeepgramClient.builder().apiKey("k"));

        assertThat(transport.connects())
                .as("dialed before the transport's callback returned")
                .isEqualTo(2);
        assertThat(transport.connectThreads.get(1)).isEqualTo("fake-transport");
        transport.socket(1).open();
        await().atMost(WAIT).until(() -> !log.of(Reconnected.class).isEmpty());
        assertThat(log.of(Reconnecting.class))
                .singleElement()
                .satisfies(r -> assertThat(r.attempt()).isEqualTo(1));
        assertThat(log.threads)
                .as("the user's handlers still run on handler threads")
                .isNotEmpty()
                .allSatisfy(name -> assertThat(name).startsWith("dgstream-handler-"));
    }

    /**
     * A failed write: the early dial runs on the thread whose write failed, and when the grace ends on the timer's
     * thread, that thread adopts the early socket and starts its replay.
     */
    @Test
    void withAnApiKeyAFailedWritesDialAndAdoptionRunWhereTheyHappen() {
        client = EngineStateMachineTest.fakeClient(
                time, transport, DeepgramClient.builder().apiKey("k"));
        AsyncListenWebSocketClient c = client.listen().asyncLive().v("1");
        FakeSocket first = EarlyDialTest.start(c, log, transport, time, 1000, 1000);
        awaitEngineThreadsIdle();
        String me = Thread.currentThread().getName();
        first.failBinary = true;
        c.send(ByteBuffer.wrap(new byte[32_000])).join(); // written, and failed, on this thread

        assertThat(transport.connects()).as("dialed before send() returned").isEqualTo(2);
        assertThat(transport.connectThreads.get(1)).isEqualTo(me);
        FakeSocket second = transport.socket(1).open();
        time.fire(EarlyDialTest.awaitGraceTimer(time)); // the timer's callbacks run on this thread

        assertThat(second.binaryThreads)
                .as("the replay started before the timer's callback returned, on its thread")
                .isNotEmpty()
                .first()
                .isEqualTo(me);
        await().atMost(WAIT).until(() -> !log.of(Reconnected.class).isEmpty());
        assertThat(transport.connects()).isEqualTo(2);
    }

    @Test
    void withATokenProviderTheProviderIsNeverAskedOnTheThreadThatReportedTheLoss() throws InterruptedException {
        startHealthyThenLoseOnATransportThread(DeepgramClient.builder().accessTokenProvider(() -> {
            tokenAskedOn.add(Thread.currentThread().getName());
            return "token";
        }));

        transport.awaitConnects(2).open();
        await().atMost(WAIT).until(() -> !log.of(Reconnected.class).isEmpty());
        assertThat(tokenAskedOn)
                .as("once per handshake, each on an engine thread")
                .hasSize(2)
                .allSatisfy(name -> assertThat(name).startsWith("dgstream-engine-"));
        assertThat(transport.connectThreads).allSatisfy(name -> assertThat(name).startsWith("dgstream-engine-"));
    }

    /**
     * A loss the engine finds inline whatever the credentials (an untrusted result, on the JDK thread that delivered
     * it; a watchdog tick or a failed write in {@code send} are the same): with a token provider the reconnect still
     * dials on an engine thread. The close/error path above has a second guard; this one has only the dial's.
     */
    @Test
    void withATokenProviderALossFoundInlineStillDialsOnAnEngineThread() throws InterruptedException {
        FakeSocket first = startHealthy(DeepgramClient.builder().accessTokenProvider(() -> {
            tokenAskedOn.add(Thread.currentThread().getName());
            return "token";
        }));
        onATransportThread(() -> first.listener.onText(HostileServerSessionTest.UNTRUSTED_FINAL));

        transport.awaitConnects(2).open();
        await().atMost(WAIT).until(() -> !log.of(Reconnected.class).isEmpty());
        assertThat(log.of(Reconnecting.class))
                .singleElement()
                .satisfies(r -> assertThat(r.cause().kind()).isEqualTo(DeepgramException.Kind.PROTOCOL));
        assertThat(tokenAskedOn).hasSize(2).allSatisfy(name -> assertThat(name).startsWith("dgstream-engine-"));
    }
}
