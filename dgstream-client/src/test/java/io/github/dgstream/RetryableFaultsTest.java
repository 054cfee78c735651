package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.dgstream.emulator.ConnectionScript;
import io.github.dgstream.emulator.DeepgramEmulator;
import java.net.URI;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Acceptance 1: each retryable fault during continuous streaming of multi-utterance speech gives the same final
 * transcript as the no-fault run, word for word, with times within 20 ms, monotonic, and correct attempt numbers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetryableFaultsTest {
    static final double FAULT_AT = 4.0;

    DeepgramEmulator dg;
    DeepgramClient client;
    final Map<Driver.Kind, List<Word>> baseline = new EnumMap<>(Driver.Kind.class);

    static ReconnectionConfig reconnection() {
        return ReconnectionConfig.builder()
                .enabled(true)
                .maxRetries(5)
                .initialDelayMs(50)
                .maxDelayMs(400)
                .jitter(false)
                .healthyPeriodMs(60_000)
                .build();
    }

    static LivenessConfig liveness() {
        return LivenessConfig.builder()
                .pingIntervalMs(300)
                .pongTimeoutMs(700)
                .receiveTimeoutMs(2000)
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
        for (Driver.Kind k : Driver.Kind.values()) {
            Driver d = run(k, s -> {});
            assertThat(d.log.finalWordTexts()).isEqualTo(Speech.WORDS);
            assertThat(d.log.of(Reconnecting.class)).isEmpty();
            baseline.put(k, d.log.finalWords());
        }
    }

    @AfterAll
    void tearDown() {
        client.close();
        dg.close();
    }

    Driver run(Driver.Kind kind, Consumer<Integer> script) throws InterruptedException {
        int first = dg.connectionCount();
        script.accept(first);
        Driver d = Driver.create(kind, client);
        d.configure(reconnection(), liveness());
        d.start(Speech.options());
        d.stream(Speech.AUDIO, Speech.BYTES_PER_SECOND, 5);
        d.finish();
        assertThat(d.state()).isEqualTo(SessionState.CLOSED);
        return d;
    }

    static Stream<Arguments> faults() {
        return Stream.of(Driver.Kind.values())
                .flatMap(k -> Stream.of(
                        Arguments.of(k, "close 1011", 1),
                        Arguments.of(k, "abrupt drop", 1),
                        Arguments.of(k, "half-open", 1),
                        Arguments.of(k, "in-band error then close", 1),
                        Arguments.of(k, "refused 429 then 503 then success", 3)));
    }

    private void script(String fault, int first) {
        switch (fault) {
            case "close 1011" -> dg.script(first, ConnectionScript.closeAfter(FAULT_AT, 1011, "NET-0000 internal"));
            case "abrupt drop" -> dg.script(first, ConnectionScript.dropAfter(FAULT_AT));
            case "half-open" -> dg.script(first, ConnectionScript.halfOpenAfter(FAULT_AT));
            case "in-band error then close" -> dg.script(first, ConnectionScript.errorAfter(FAULT_AT, "boom"));
            case "refused 429 then 503 then success" -> {
                dg.script(first, ConnectionScript.dropAfter(FAULT_AT));
                dg.script(first + 1, ConnectionScript.refuse(429));
                dg.script(first + 2, ConnectionScript.refuse(503));
            }
            default -> throw new IllegalArgumentException(fault);
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("faults")
    void transcriptSurvivesFault(Driver.Kind kind, String fault, int expectedAttempts) throws Exception {
        Driver d = run(kind, first -> script(fault, first));
        EventLog log = d.log;

        List<Reconnecting> rec = log.of(Reconnecting.class);
        assertThat(rec)
                .extracting(Reconnecting::attempt)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, expectedAttempts)
                        .boxed()
                        .toList());
        assertThat(rec).allSatisfy(r -> assertThat(r.cause().isRetryable()).isTrue());
        List<Reconnected> ok = log.of(Reconnected.class);
        System.out.println(kind + " " + fault + ": " + rec + " " + ok);
        assertThat(ok).hasSize(1);
        assertThat(ok.get(0).attempt()).isEqualTo(expectedAttempts);
        assertThat(ok.get(0).lostSeconds()).isZero();
        assertThat(log.of(ReconnectFailed.class)).isEmpty();

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
        assertMonotonic(log);
        assertThat(log.types().get(log.types().size() - 1)).isEqualTo(EventType.CLOSE);
    }

    static void assertMonotonic(EventLog log) {
        double lastEnd = -1;
        for (StreamEvent.Transcript t : log.finals()) {
            assertThat(t.start()).as("final start").isGreaterThanOrEqualTo(lastEnd - 1e-6);
            lastEnd = t.end();
        }
        double lastWord = -1;
        for (Word w : log.finalWords()) {
            assertThat(w.start()).isGreaterThan(lastWord);
            assertThat(w.end()).isGreaterThanOrEqualTo(w.start());
            lastWord = w.start();
        }
    }
}
