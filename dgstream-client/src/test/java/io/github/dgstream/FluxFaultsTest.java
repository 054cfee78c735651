package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.github.dgstream.emulator.ConnectionScript;
import io.github.dgstream.emulator.DeepgramEmulator;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Flux acceptance 1 and 4: every retryable fault, before, inside and between turns, through both the callback and the
 * pull shape, gives the no-fault run's EndOfTurn transcripts, turn indices 0..n-1, one StartOfTurn per turn, and
 * windows and word times monotonic and within 20 ms of the no-fault run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FluxFaultsTest {
    DeepgramEmulator dg;
    DeepgramClient client;
    final Map<FluxDriver.Shape, List<FluxEvent.EndOfTurn>> baseline = new EnumMap<>(FluxDriver.Shape.class);

    static ReconnectionConfig reconnection() {
        return ReconnectionConfig.builder()
                .enabled(true)
                .maxRetries(4)
                .initialDelayMs(30)
                .maxDelayMs(200)
                .jitter(false)
                .healthyPeriodMs(60_000)
                .build();
    }

    static LivenessConfig liveness(boolean pings) {
        return LivenessConfig.builder()
                .pingIntervalMs(pings ? 300 : 0)
                .pongTimeoutMs(700)
                .receiveTimeoutMs(1500)
                .sendTimeoutMs(2000)
                .finishTimeoutMs(20_000)
                .build();
    }

    @BeforeAll
    void setUp() throws Exception {
        dg = DeepgramEmulator.builder().start();
        client = DeepgramClient.builder()
                .apiKey("test-key")
                .baseUrl(URI.create(dg.baseUrl()))
                .build();
        for (FluxDriver.Shape shape : FluxDriver.Shape.values()) {
            FluxDriver d = run(shape, true, first -> {});
            List<FluxEvent.EndOfTurn> eots = d.eots();
            assertThat(eots).hasSize(FluxSpeech.UTTERANCES.size());
            for (int u = 0; u < eots.size(); u++) {
                String text = FluxSpeech.turnText(u);
                assertThat(eots.get(u).transcript()).isIn(text + ".", text);
            }
            assertThat(eots).extracting(FluxEvent.EndOfTurn::synthesized).containsExactly(false, false, false, true);
            assertThat(d.of(Reconnecting.class)).isEmpty();
            assertThat(d.threads).allMatch(t -> t.startsWith("dgstream-handler-") || t.equals("test-consumer"));
            baseline.put(shape, eots);
        }
    }

    @AfterAll
    void tearDown() {
        client.close();
        dg.close();
    }

    FluxDriver run(FluxDriver.Shape shape, boolean pings, IntConsumer script) throws InterruptedException {
        return run(shape, pings, script, Double.NaN);
    }

    /**
     * Streams all audio and finishes. With {@code pauseAtSeconds} a number, the audio stops just past that point until
     * the session reports the loss: a test that asserts on the reason the server sent must not race it against a
     * write failing on the closed socket (the reason is lost once the write's grace ends first, which a loaded CI
     * machine did).
     */
    FluxDriver run(FluxDriver.Shape shape, boolean pings, IntConsumer script, double pauseAtSeconds)
            throws InterruptedException {
        script.accept(dg.connectionCount());
        FluxDriver d = FluxDriver.create(shape, client);
        d.configure(reconnection(), liveness(pings));
        d.start(FluxSpeech.options());
        int bps = Speech.BYTES_PER_SECOND;
        int resumeAt = 0;
        if (!Double.isNaN(pauseAtSeconds)) {
            resumeAt = justPast(pauseAtSeconds);
            d.stream(Speech.AUDIO, 0, resumeAt, bps, 4);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !d.of(Reconnecting.class).isEmpty());
        }
        d.stream(Speech.AUDIO, resumeAt, Speech.AUDIO.length, bps, 4);
        d.finish();
        assertThat(d.state()).isEqualTo(SessionState.CLOSED);
        return d;
    }

    static Stream<Arguments> faults() {
        List<String> faults =
                List.of("close 1011", "clean 1000", "abrupt drop", "half-open", "retryable Error", "refused then ok");
        List<String> points = List.of("before", "inside", "between");
        return Stream.of(FluxDriver.Shape.values())
                .flatMap(s -> faults.stream().flatMap(f -> points.stream().map(p -> Arguments.of(s, f, p))));
    }

    /** An even byte offset just past {@code seconds} of audio, so a fault at {@code seconds} fires on the last write. */
    static int justPast(double seconds) {
        return ((int) Math.ceil(seconds * Speech.BYTES_PER_SECOND) + 2) & ~1;
    }

    static double at(String point) {
        return switch (point) {
            case "before" -> FluxSpeech.beforeTurns();
            case "inside" -> FluxSpeech.insideTurn(1);
            case "between" -> FluxSpeech.betweenTurns(1);
            default -> throw new IllegalArgumentException(point);
        };
    }

    void script(String fault, double at, int first) {
        switch (fault) {
            case "close 1011" -> dg.script(first, ConnectionScript.closeAfter(at, 1011, "NET-0000 internal"));
            case "clean 1000" -> dg.script(first, ConnectionScript.closeAfter(at, 1000, ""));
            case "abrupt drop" -> dg.script(first, ConnectionScript.dropAfter(at));
            case "half-open" -> dg.script(first, ConnectionScript.halfOpenAfter(at));
            case "retryable Error" -> dg.script(first, ConnectionScript.errorAfter(at, "boom"));
            case "refused then ok" -> {
                dg.script(first, ConnectionScript.dropAfter(at));
                dg.script(first + 1, ConnectionScript.refuse(503));
            }
            default -> throw new IllegalArgumentException(fault);
        }
    }

    @ParameterizedTest(name = "{0}: {1} {2} turns")
    @MethodSource("faults")
    void turnsSurviveFault(FluxDriver.Shape shape, String fault, String point) throws Exception {
        double at = at(point);
        // The in-band Error's text is asserted on below, so the audio waits for it (see run).
        FluxDriver d =
                run(shape, true, first -> script(fault, at, first), fault.equals("retryable Error") ? at : Double.NaN);

        List<Reconnecting> rec = d.of(Reconnecting.class);
        assertThat(rec)
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.cause().isRetryable()).isTrue());
        assertThat(rec)
                .extracting(Reconnecting::attempt)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, fault.startsWith("refused") ? 2 : 1)
                        .boxed()
                        .toList());
        assertThat(d.of(Reconnected.class)).hasSize(1);
        assertThat(d.of(ReconnectFailed.class)).isEmpty();
        assertThat(d.of(FluxEvent.Connected.class)).hasSize(2);
        if (fault.equals("retryable Error")) {
            assertThat(d.of(ErrorEvent.class)).as("%s", d.events).hasSize(1);
            ErrorEvent err = d.of(ErrorEvent.class).get(0);
            assertThat(err.code()).isEqualTo("INTERNAL_SERVER_ERROR");
            assertThat(err.description()).isEqualTo("boom");
            assertThat(rec.get(0).cause().errCode()).isEqualTo("INTERNAL_SERVER_ERROR");
        }
        assertSameTurns(d, baseline.get(shape));
    }

    /** Stall watchdog: pings off, the server goes quiet in the middle of a turn while audio flows. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void stallWatchdogRecoversMidTurn(FluxDriver.Shape shape) throws Exception {
        FluxDriver d = run(shape, false, first -> dg.script(first, ConnectionScript.halfOpenAfter(at("inside"))));
        assertThat(d.of(Reconnecting.class))
                .singleElement()
                .satisfies(r -> assertThat(r.cause().kind()).isEqualTo(DeepgramException.Kind.LIVENESS));
        assertSameTurns(d, baseline.get(shape));
    }

    /**
     * Soak finding: an unasked clean close (1000) that arrives after our CloseStream was sent, but before the server
     * got to it (here: a fault in the middle of the last turn, delayed by latency, while the client already finished),
     * ended the session as if the stream had been completed: the last turn was lost. Flux ends a stream with a
     * status-less close (1005) only, so a 1000 is retried: the unfinished turn and CloseStream are sent again.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void unaskedCleanCloseWhileFinishingIsRetried(FluxDriver.Shape shape) throws Exception {
        int last = FluxSpeech.UTTERANCES.size() - 1;
        dg.script(
                dg.connectionCount(),
                ConnectionScript.closeAfter(FluxSpeech.insideTurn(last), 1000, "")
                        .withLatency(java.time.Duration.ofMillis(300)));
        FluxDriver d = FluxDriver.create(shape, client);
        d.configure(reconnection(), liveness(true));
        d.start(FluxSpeech.options());
        d.stream(Speech.AUDIO, 0, Speech.AUDIO.length, Speech.BYTES_PER_SECOND, 0); // all audio, then at once finish()
        d.finish();
        assertThat(d.state()).isEqualTo(SessionState.CLOSED);
        assertThat(d.of(Reconnecting.class))
                .singleElement()
                .satisfies(r -> assertThat(r.cause().closeCode()).isEqualTo(1000));
        assertSameTurns(d, baseline.get(shape));
    }

    /**
     * Hostile input through a real socket: an EndOfTurn with an impossible window (1e300 s) in the middle of a turn is
     * not trusted (UNHANDLED, retryable PROTOCOL): the socket is replaced and the turn transcribed again, so neither
     * its text nor its window reaches the turn stream or the replay watermark.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void untrustedTurnInfoMidTurnIsReplacedByTheReplay(FluxDriver.Shape shape) throws Exception {
        String evil = "{\"type\":\"TurnInfo\",\"event\":\"EndOfTurn\",\"turn_index\":0,\"audio_window_start\":0,"
                + "\"audio_window_end\":1e300,\"transcript\":\"evil\",\"words\":[],\"end_of_turn_confidence\":1}";
        FluxDriver d = run(
                shape,
                true,
                first -> dg.script(
                        first,
                        ConnectionScript.builder()
                                .sendRawTextAfter(at("inside"), evil)
                                .build()));
        assertThat(d.of(Reconnecting.class))
                .singleElement()
                .satisfies(r -> assertThat(r.cause().kind()).isEqualTo(DeepgramException.Kind.PROTOCOL));
        assertThat(d.of(UnhandledMessage.class))
                .singleElement()
                .satisfies(u -> assertThat(u.json()).isEqualTo(evil));
        assertSameTurns(d, baseline.get(shape));
    }

    static Stream<FluxDriver.Shape> shapes() {
        return Stream.of(FluxDriver.Shape.values());
    }

    static void assertSameTurns(FluxDriver d, List<FluxEvent.EndOfTurn> base) {
        List<FluxEvent.EndOfTurn> eots = d.eots();
        assertThat(eots)
                .extracting(FluxEvent.EndOfTurn::transcript)
                .containsExactlyElementsOf(
                        base.stream().map(FluxEvent.EndOfTurn::transcript).toList());
        List<Integer> indices = IntStream.range(0, base.size()).boxed().toList();
        assertThat(eots).extracting(FluxEvent.EndOfTurn::turnIndex).containsExactlyElementsOf(indices);
        assertThat(d.of(FluxEvent.StartOfTurn.class))
                .extracting(FluxEvent.StartOfTurn::turnIndex)
                .containsExactlyElementsOf(indices);
        for (int i = 0; i < eots.size(); i++) {
            assertThat(eots.get(i).audioWindowStart())
                    .as("window start of turn %d", i)
                    .isCloseTo(base.get(i).audioWindowStart(), within(0.02));
            assertThat(eots.get(i).audioWindowEnd())
                    .as("window end of turn %d", i)
                    .isCloseTo(base.get(i).audioWindowEnd(), within(0.02));
            assertThat(eots.get(i).words()).hasSameSizeAs(base.get(i).words());
            for (int w = 0; w < eots.get(i).words().size(); w++) {
                Word got = eots.get(i).words().get(w);
                Word exp = base.get(i).words().get(w);
                assertThat(got.start()).as("start of word %d.%d", i, w).isCloseTo(exp.start(), within(0.02));
                assertThat(got.end()).as("end of word %d.%d", i, w).isCloseTo(exp.end(), within(0.02));
            }
        }
        assertMonotonic(d);
        assertThat(d.types().get(d.types().size() - 1)).isEqualTo(EventType.CLOSE);
    }

    /** Turns follow each other; inside a turn Update windows never go back; word times increase. */
    static void assertMonotonic(FluxDriver d) {
        double lastTurnEnd = 0;
        double lastInTurn = 0;
        int turn = -1;
        for (FluxEvent e : d.events) {
            if (!(e instanceof FluxEvent.Turn t)) {
                continue;
            }
            if (t.turnIndex() != turn) {
                assertThat(t).isInstanceOf(FluxEvent.StartOfTurn.class);
                assertThat(t.turnIndex()).isEqualTo(turn + 1);
                turn = t.turnIndex();
                lastInTurn = 0;
            }
            assertThat(t.audioWindowStart()).as("turn %d start", turn).isGreaterThanOrEqualTo(lastTurnEnd - 1e-6);
            if (t instanceof FluxEvent.EndOfTurn eot) {
                lastTurnEnd = eot.audioWindowEnd();
            } else {
                assertThat(t.audioWindowEnd()).as("%s window end", t).isGreaterThanOrEqualTo(lastInTurn - 1e-6);
                lastInTurn = t.audioWindowEnd();
            }
        }
        double lastWord = -1;
        for (Word w : d.eotWords()) {
            assertThat(w.start()).isGreaterThan(lastWord);
            assertThat(w.end()).isGreaterThanOrEqualTo(w.start());
            lastWord = w.start();
        }
    }
}
