package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.dgstream.emulator.ConnectionScript;
import io.github.dgstream.emulator.DeepgramEmulator;
import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Done-when 1: the pull API yields the callback client's finals, with and without faults; plus API contracts. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PullApiTest {
    DeepgramEmulator dg;
    DeepgramClient client;
    ExecutorService producer;
    List<Word> callbackBaseline;

    @BeforeAll
    void setUp() throws Exception {
        dg = DeepgramEmulator.builder().start();
        client = DeepgramClient.builder()
                .apiKey("test-key")
                .baseUrl(URI.create(dg.baseUrl()))
                .build();
        producer = Executors.newSingleThreadExecutor();
        Driver d = Driver.create(Driver.Kind.BLOCKING, client);
        d.configure(RetryableFaultsTest.reconnection(), RetryableFaultsTest.liveness());
        d.start(Speech.options());
        d.stream(Speech.AUDIO, Speech.BYTES_PER_SECOND, 5);
        d.finish();
        callbackBaseline = d.log.finalWords();
        assertThat(d.log.finalWordTexts()).isEqualTo(Speech.WORDS);
    }

    @AfterAll
    void tearDown() {
        producer.shutdownNow();
        client.close();
        dg.close();
    }

    static StreamingOptions options() {
        return StreamingOptions.builder()
                .options(Speech.options())
                .reconnection(RetryableFaultsTest.reconnection())
                .liveness(RetryableFaultsTest.liveness())
                .build();
    }

    /** Sends the speech from another thread (paced like the callback runs), then finish(); iterates to the end. */
    EventLog streamAndIterate(StreamSession session) throws Exception {
        Future<?> sent = producer.submit(() -> {
            byte[] a = Speech.AUDIO;
            int chunk = Speech.BYTES_PER_SECOND / 10;
            for (int i = 0; i < a.length; i += chunk) {
                session.send(a, i, Math.min(chunk, a.length - i));
                TimeUnit.MILLISECONDS.sleep(5); // pacing the producer, not synchronisation
            }
            session.finish();
            return null;
        });
        EventLog log = new EventLog();
        for (StreamEvent e : session) {
            log.events.add(e);
        }
        sent.get(10, TimeUnit.SECONDS);
        return log;
    }

    @Test
    void yieldsTheCallbackClientsFinals() throws Exception {
        EventLog log;
        String accumulated;
        try (StreamSession session = client.listen().stream(options())) {
            log = streamAndIterate(session);
            accumulated = session.accumulatedTranscript();
            assertThat(session.isDone()).isTrue();
            assertThat(session.state()).isEqualTo(SessionState.CLOSED);
        }
        assertThat(log.finalWordTexts()).isEqualTo(Speech.WORDS);
        assertSameTimes(log.finalWords(), callbackBaseline);
        assertThat(log.types().get(0)).isEqualTo(EventType.OPEN);
        assertThat(log.types().get(log.types().size() - 1)).isEqualTo(EventType.CLOSE);
        assertThat(accumulated)
                .isEqualTo(log.finals().stream()
                        .map(StreamEvent.Transcript::text)
                        .filter(t -> !t.isBlank())
                        .collect(Collectors.joining(" ")));
        assertThat(accumulated).isNotBlank();
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("close 1011", 1),
                Arguments.of("abrupt drop", 1),
                Arguments.of("half-open", 1),
                Arguments.of("in-band error then close", 1),
                Arguments.of("refused 429 then 503 then success", 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void sameFinalsThroughFaultsWithReconnectEventsInTheStream(String fault, int attempts) throws Exception {
        int first = dg.connectionCount();
        switch (fault) {
            case "close 1011" ->
                dg.script(first, ConnectionScript.closeAfter(RetryableFaultsTest.FAULT_AT, 1011, "NET-0000 internal"));
            case "abrupt drop" -> dg.script(first, ConnectionScript.dropAfter(RetryableFaultsTest.FAULT_AT));
            case "half-open" -> dg.script(first, ConnectionScript.halfOpenAfter(RetryableFaultsTest.FAULT_AT));
            case "in-band error then close" ->
                dg.script(first, ConnectionScript.errorAfter(RetryableFaultsTest.FAULT_AT, "boom"));
            default -> {
                dg.script(first, ConnectionScript.dropAfter(RetryableFaultsTest.FAULT_AT));
                dg.script(first + 1, ConnectionScript.refuse(429));
                dg.script(first + 2, ConnectionScript.refuse(503));
            }
        }
        EventLog log;
        try (StreamSession session = client.listen().stream(options())) {
            log = streamAndIterate(session);
        }
        assertThat(log.of(Reconnecting.class))
                .extracting(Reconnecting::attempt)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, attempts)
                        .boxed()
                        .toList());
        assertThat(log.of(Reconnected.class)).singleElement().satisfies(r -> {
            assertThat(r.attempt()).isEqualTo(attempts);
            assertThat(r.lostSeconds()).isZero();
        });
        // In order: every Reconnecting precedes the Reconnected, which precedes the last final.
        List<EventType> types = log.types();
        int reconnected = types.indexOf(EventType.RECONNECTED);
        assertThat(types.lastIndexOf(EventType.RECONNECTING)).isLessThan(reconnected);
        assertThat(types.indexOf(EventType.RECONNECTING)).isGreaterThan(types.indexOf(EventType.OPEN));
        List<StreamEvent> after = log.events.subList(reconnected, log.events.size());
        assertThat(after).anyMatch(e -> e instanceof StreamEvent.Transcript t && t.isFinal());
        assertThat(log.finalWordTexts()).isEqualTo(Speech.WORDS);
        assertSameTimes(log.finalWords(), callbackBaseline);
        RetryableFaultsTest.assertMonotonic(log);
        assertThat(types.get(types.size() - 1)).isEqualTo(EventType.CLOSE);
    }

    static void assertSameTimes(List<Word> words, List<Word> base) {
        assertThat(words).hasSameSizeAs(base);
        for (int i = 0; i < words.size(); i++) {
            assertThat(words.get(i).start())
                    .as("start of word %d", i)
                    .isCloseTo(base.get(i).start(), within(0.02));
            assertThat(words.get(i).end())
                    .as("end of word %d", i)
                    .isCloseTo(base.get(i).end(), within(0.02));
        }
    }

    @Test
    void fatalHandshakeFailsFastWithTheCause() {
        dg.script(dg.connectionCount(), ConnectionScript.refuse(401));
        assertThatThrownBy(() -> client.listen().stream(options()))
                .isInstanceOf(DeepgramException.class)
                .satisfies(t -> assertThat(((DeepgramException) t).httpStatus()).isEqualTo(401));
    }

    @Test
    void pollReturnsEmptyOnTimeoutAndEventsOtherwise() {
        try (StreamSession session = client.listen().stream(options())) {
            assertThat(session.poll(Duration.ofSeconds(5))).containsInstanceOf(OpenEvent.class);
            assertThat(session.poll(Duration.ofMillis(50))).isEmpty(); // no audio yet: nothing comes
            session.send(Speech.AUDIO);
            session.finish();
            EventLog log = new EventLog();
            while (!session.isDone()) {
                session.poll(Duration.ofMillis(100)).ifPresent(log.events::add);
            }
            assertThat(log.finalWordTexts()).isEqualTo(Speech.WORDS);
            assertThat(log.types().get(log.types().size() - 1)).isEqualTo(EventType.CLOSE);
            assertThat(session.poll(Duration.ZERO)).isEmpty();
        }
    }

    @Test
    void secondIteratorAndIterationAfterCloseFailClearly() {
        StreamSession session = client.listen().stream(options());
        Iterator<StreamEvent> it = session.iterator();
        assertThat(it.next()).isInstanceOf(OpenEvent.class);
        assertThatThrownBy(session::iterator)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("iterator() was already called");
        assertThatThrownBy(session::events)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mutually exclusive");
        session.close();
        assertThat(it.hasNext()).isFalse(); // an iteration in progress ends
        assertThatThrownBy(session::iterator)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after close()");
        assertThatThrownBy(() -> session.poll(Duration.ZERO))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after close()");
        assertThatThrownBy(() -> session.send(new byte[2]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after");
        assertThat(session.state()).isEqualTo(SessionState.CLOSED);
    }

    @Test
    void iteratingFromTwoThreadsAtOnceFailsClearly() throws Exception {
        try (StreamSession session = client.listen().stream(options())) {
            Iterator<StreamEvent> it = session.iterator();
            assertThat(it.next()).isInstanceOf(OpenEvent.class);
            CountDownLatch waiting = new CountDownLatch(1);
            CompletableFuture<Boolean> other = CompletableFuture.supplyAsync(() -> {
                waiting.countDown();
                return it.hasNext(); // blocks: no audio, no events
            });
            assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThatThrownBy(() -> session.poll(Duration.ZERO))
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("one thread at a time"));
            session.finish(); // the other thread gets the rest and ends
            assertThat(other.get(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void theIterableRefusesASessionConsumedByThePublisher() {
        try (StreamSession session = client.listen().stream(options())) {
            session.events().subscribe(new java.util.concurrent.Flow.Subscriber<>() {
                @Override
                public void onSubscribe(java.util.concurrent.Flow.Subscription s) {}

                @Override
                public void onNext(StreamEvent item) {}

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onComplete() {}
            });
            assertThatThrownBy(session::iterator)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("events()");
            assertThatThrownBy(() -> session.poll(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void optionsShareLiveOptionsValidation() {
        assertThatThrownBy(() -> StreamingOptions.builder().encoding("wav"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("encoding must be one of");
        assertThatThrownBy(() -> StreamingOptions.builder().utteranceEndMs(1000).build())
                .hasMessageContaining("utteranceEndMs requires interimResults(true)");
        assertThatThrownBy(() -> StreamingOptions.builder().eventBufferCapacity(0))
                .hasMessageContaining("eventBufferCapacity must be >= 1");
        assertThatThrownBy(() -> StreamingOptions.builder().finishTimeout(Duration.ZERO))
                .hasMessageContaining("finishTimeoutMs");
        StreamingOptions o = StreamingOptions.builder()
                .model("nova-3")
                .smartFormat(true)
                .diarize(true)
                .build();
        assertThat(o.query())
                .isEqualTo(LiveOptions.builder()
                        .model("nova-3")
                        .smartFormat(true)
                        .diarize(true)
                        .build());
        assertThat(o.overflowPolicy()).isEqualTo(OverflowPolicy.BLOCK);
        assertThat(o.toBuilder().build().query()).isEqualTo(o.query());
        assertThat(Optional.ofNullable(o.liveness())).isEmpty();
    }
}
