package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.github.dgstream.emulator.DeepgramEmulator;
import io.github.dgstream.testing.FaultProxy;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Acceptance 1 for <em>network</em> faults the server never sees, injected by a TCP proxy between client and emulator:
 * for the blocking and the async client, the final transcript equals the no-fault run word for word, RECONNECTING and
 * RECONNECTED carry the right attempt numbers, and every time is monotonic and within 20 ms of the no-fault run.
 * Faults are triggered by bytes forwarded upstream, never by the wall clock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkFaultsTest {
    /** About 4 s into the audio (the upgrade request and frame headers add a little). */
    static final long FAULT_AT = 4L * Speech.BYTES_PER_SECOND;
    /** Unpaced enough to be quick: ~20x real time. */
    static final long FAST_PAUSE_MS = 5;
    /** ~2x real time, so a 3 s latency spike spans several ping intervals and receive-watchdog windows. */
    static final long SLOW_PAUSE_MS = 50;
    /** See the connect-failure case in {@link #faults()}. */
    static final int JDK_CONNECTS_PER_FAILED_HANDSHAKE = 2;

    DeepgramEmulator dg;
    FaultProxy proxy;
    DeepgramClient client;
    final Map<Driver.Kind, List<Word>> baseline = new EnumMap<>(Driver.Kind.class);

    @BeforeAll
    void setUp() throws Exception {
        dg = DeepgramEmulator.builder().start();
        proxy = FaultProxy.to("127.0.0.1", dg.port());
        client = DeepgramClient.builder()
                .apiKey("test-key")
                .baseUrl(URI.create(proxy.baseUrl()))
                .build();
        for (Driver.Kind k : Driver.Kind.values()) {
            Driver d = run(k, first -> {}, FAST_PAUSE_MS);
            assertThat(d.log.finalWordTexts()).isEqualTo(Speech.WORDS);
            assertThat(d.log.of(Reconnecting.class)).isEmpty();
            baseline.put(k, d.log.finalWords());
        }
    }

    @AfterEach
    void released() {
        // Every socket of the run ends on both sides of the proxy: no half-open path outlives the session.
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.activeConnections() == 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> dg.activeConnections() == 0);
    }

    @AfterAll
    void tearDown() {
        client.close();
        proxy.close();
        dg.close();
        assertThat(proxy.liveThreads()).as("proxy threads after close").isEmpty();
    }

    Driver run(Driver.Kind kind, IntConsumer script, long pauseMs) throws InterruptedException {
        int first = proxy.connectionCount();
        script.accept(first);
        Driver d = Driver.create(kind, client);
        d.configure(RetryableFaultsTest.reconnection(), RetryableFaultsTest.liveness());
        d.start(Speech.options());
        d.stream(Speech.AUDIO, Speech.BYTES_PER_SECOND, pauseMs);
        d.finish();
        assertThat(d.state()).isEqualTo(SessionState.CLOSED);
        return d;
    }

    /** A fault, how it is detected (kinds of the first RECONNECTING cause), and the attempts it takes. */
    record Fault(String name, IntConsumer script, int attempts, Set<DeepgramException.Kind> detectedAs) {
        @Override
        public String toString() {
            return name;
        }
    }

    Stream<Arguments> faults() {
        var liveness = Set.of(DeepgramException.Kind.LIVENESS, DeepgramException.Kind.TIMEOUT);
        var anyLoss = Set.of(
                DeepgramException.Kind.TRANSPORT,
                DeepgramException.Kind.CLOSE,
                DeepgramException.Kind.LIVENESS,
                DeepgramException.Kind.TIMEOUT);
        List<Fault> faults = List.of(
                // A partition: no FIN, no RST, the server keeps its socket; only the client's liveness rules can tell.
                new Fault("blackhole", first -> proxy.onUpstreamBytes(first, FAULT_AT, proxy::blackhole), 1, liveness),
                new Fault("RST", first -> proxy.onUpstreamBytes(first, FAULT_AT, proxy::reset), 1, anyLoss),
                new Fault(
                        "FIN without close frame",
                        first -> proxy.onUpstreamBytes(first, FAULT_AT, proxy::closeClientSide),
                        1,
                        anyLoss),
                // The connection dies, then TCP connects are accepted and closed before any HTTP, then success. The
                // JDK HttpClient silently retries a request once when its connection closes before any response byte
                // (it takes it for a stale pooled connection), so each connect failure the client sees costs two.
                new Fault(
                        "RST then 2 connect failures",
                        first -> proxy.onUpstreamBytes(first, FAULT_AT, () -> {
                            proxy.refuseNext(2 * JDK_CONNECTS_PER_FAILED_HANDSHAKE);
                            proxy.reset();
                        }),
                        3,
                        anyLoss));
        return Stream.of(Driver.Kind.values()).flatMap(k -> faults.stream().map(f -> Arguments.of(k, f)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("faults")
    void transcriptSurvivesNetworkFault(Driver.Kind kind, Fault fault) throws Exception {
        int first = proxy.connectionCount();
        int fired = proxy.firedTriggers();
        Driver d = run(kind, fault.script(), FAST_PAUSE_MS);
        EventLog log = d.log;
        System.out.println(kind + " " + fault + ": " + log.of(Reconnecting.class) + " " + log.of(Reconnected.class));

        assertThat(proxy.firedTriggers() - fired).as("the fault was injected").isEqualTo(1);
        List<Reconnecting> rec = log.of(Reconnecting.class);
        assertThat(rec)
                .extracting(Reconnecting::attempt)
                .containsExactlyElementsOf(
                        IntStream.rangeClosed(1, fault.attempts()).boxed().toList());
        assertThat(rec).allSatisfy(r -> assertThat(r.cause().isRetryable()).isTrue());
        assertThat(rec.get(0).cause().kind()).isIn(fault.detectedAs());
        for (Reconnecting r : rec.subList(1, rec.size())) {
            assertThat(r.cause().kind())
                    .as("a connect-level failure, not an HTTP refusal: %s", r.cause())
                    .isIn(DeepgramException.Kind.TRANSPORT, DeepgramException.Kind.CLOSE);
            assertThat(r.cause().httpStatus()).isEqualTo(-1);
        }
        int refusals = (fault.attempts() - 1) * JDK_CONNECTS_PER_FAILED_HANDSHAKE;
        assertThat(proxy.connectionCount() - first).as("TCP connections").isEqualTo(1 + refusals + 1);
        assertReconnectedOnce(log, fault.attempts());
        assertSameTranscript(kind, log);
    }

    /** A latency spike below the liveness bounds (ping RTT 2 x 150 ms < 700 ms pong deadline): no reconnect at all. */
    @ParameterizedTest
    @EnumSource(Driver.Kind.class)
    void latencySpikeBelowTheLivenessBoundsDoesNotReconnect(Driver.Kind kind) throws Exception {
        int first = proxy.connectionCount();
        int fired = proxy.firedTriggers();
        Driver d = run(kind, spike(Duration.ofMillis(150)), SLOW_PAUSE_MS);
        assertThat(proxy.firedTriggers() - fired)
                .as("the spike started and ended")
                .isEqualTo(2);
        assertThat(d.log.of(Reconnecting.class)).isEmpty();
        assertThat(d.log.of(Reconnected.class)).isEmpty();
        assertThat(proxy.connectionCount() - first).isEqualTo(1);
        assertSameTranscript(kind, d.log);
    }

    /** The counterpart that shows the spike is real: above the pong deadline (RTT 2 x 600 ms) it is a dead link. */
    @ParameterizedTest
    @EnumSource(Driver.Kind.class)
    void latencySpikeAboveThePongDeadlineReconnects(Driver.Kind kind) throws Exception {
        int fired = proxy.firedTriggers();
        Driver d = run(kind, spike(Duration.ofMillis(600)), SLOW_PAUSE_MS);
        assertThat(proxy.firedTriggers() - fired).isGreaterThanOrEqualTo(1);
        List<Reconnecting> rec = d.log.of(Reconnecting.class);
        assertThat(rec).extracting(Reconnecting::attempt).containsExactly(1);
        assertThat(rec.get(0).cause().kind()).isEqualTo(DeepgramException.Kind.LIVENESS);
        assertReconnectedOnce(d.log, 1);
        assertSameTranscript(kind, d.log);
    }

    /** Latency {@code oneWay} from ~4 s to ~7 s of audio on the first connection (new connections have none). */
    private IntConsumer spike(Duration oneWay) {
        return first -> proxy.onUpstreamBytes(first, FAULT_AT, () -> proxy.delay(oneWay))
                .onUpstreamBytes(first, FAULT_AT + 3L * Speech.BYTES_PER_SECOND, () -> proxy.delay(Duration.ZERO));
    }

    private static void assertReconnectedOnce(EventLog log, int attempt) {
        List<Reconnected> ok = log.of(Reconnected.class);
        assertThat(ok).hasSize(1);
        assertThat(ok.get(0).attempt()).isEqualTo(attempt);
        assertThat(ok.get(0).lostSeconds()).isZero();
        assertThat(log.of(ReconnectFailed.class)).isEmpty();
        assertThat(log.of(ErrorEvent.class)).isEmpty();
    }

    private void assertSameTranscript(Driver.Kind kind, EventLog log) {
        List<Word> words = log.finalWords();
        List<Word> base = baseline.get(kind);
        assertThat(words).extracting(Word::word).containsExactlyElementsOf(Speech.WORDS);
        for (int i = 0; i < words.size(); i++) {
            assertThat(words.get(i).start())
                    .as("start of word %d", i)
                    .isCloseTo(base.get(i).start(), within(0.02));
            assertThat(words.get(i).end())
                    .as("end of word %d", i)
                    .isCloseTo(base.get(i).end(), within(0.02));
        }
        RetryableFaultsTest.assertMonotonic(log);
        assertThat(log.types()).endsWith(EventType.CLOSE);
    }
}
