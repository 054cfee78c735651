package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.dgstream.emulator.DeepgramEmulator;
import io.github.dgstream.emulator.RecordedConnection;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Done-when 4, against the emulator: events() honours request(n) and cancel. */
class PublisherEmulatorTest {
    DeepgramEmulator dg;
    DeepgramClient client;

    @BeforeEach
    void setUp() {
        dg = DeepgramEmulator.builder().start();
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

    static final class Recorder implements Flow.Subscriber<StreamEvent> {
        final EventLog log = new EventLog();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final AtomicBoolean completed = new AtomicBoolean();

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.set(s);
        }

        @Override
        public void onNext(StreamEvent item) {
            log.events.add(item);
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void onError(Throwable t) {
            error.set(t);
        }

        @Override
        public void onComplete() {
            completed.set(true);
        }
    }

    static StreamingOptions options() {
        return StreamingOptions.builder()
                .options(Speech.options())
                .eventBufferCapacity(8)
                .build();
    }

    @Test
    void honoursRequestNThenDeliversEverythingAndCompletes() {
        try (StreamSession session = client.listen().stream(options())) {
            Recorder r = new Recorder();
            session.events().subscribe(r);
            await().atMost(Duration.ofSeconds(5)).until(() -> r.subscription.get() != null);
            r.subscription.get().request(3);
            session.send(Speech.AUDIO);
            session.finish();
            await().atMost(Duration.ofSeconds(5)).until(() -> r.log.events.size() == 3);
            // Exactly what was requested, although many more results are available.
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> r.log.events.size() == 3);
            assertThat(((DefaultStreamSession) session).buffer().isPaused()).isTrue();

            Recorder second = new Recorder();
            session.events().subscribe(second);
            await().atMost(Duration.ofSeconds(5)).until(() -> second.error.get() != null);
            assertThat(second.error.get())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("single subscriber");

            r.subscription.get().request(Long.MAX_VALUE);
            await().atMost(Duration.ofSeconds(20)).untilTrue(r.completed);
            assertThat(r.error.get()).isNull();
            assertThat(r.log.finalWordTexts()).isEqualTo(Speech.WORDS);
            assertThat(r.log.types().get(0)).isEqualTo(EventType.OPEN);
            assertThat(r.log.types().get(r.log.types().size() - 1)).isEqualTo(EventType.CLOSE);
            assertThat(r.threads).allMatch(t -> t.startsWith("dgstream-handler"));
            assertThat(session.accumulatedTranscript()).isNotBlank();
            assertThat(session.state()).isEqualTo(SessionState.CLOSED);
        }
        assertThat(dg.connections().get(0).closeCode()).contains(1000);
    }

    @Test
    void cancelClosesTheSessionAndStopsSignals() throws Exception {
        StreamSession session = client.listen().stream(options());
        Recorder r = new Recorder();
        session.events().subscribe(r);
        await().atMost(Duration.ofSeconds(5)).until(() -> r.subscription.get() != null);
        r.subscription.get().request(2);
        session.send(Speech.AUDIO);
        await().atMost(Duration.ofSeconds(5)).until(() -> r.log.events.size() == 2);
        r.subscription.get().cancel();
        // The session ends on its own: CloseStream, the server's close, the socket released; nothing more delivered.
        await().atMost(Duration.ofSeconds(10)).until(() -> session.state().isTerminal());
        RecordedConnection rc = dg.connections().get(0);
        assertThat(rc.awaitClosed(Duration.ofSeconds(5))).isTrue();
        assertThat(rc.controlTypes()).contains("CloseStream");
        assertThat(rc.closeCode()).contains(1000);
        r.subscription.get().request(10); // a no-op after cancel (rule 3.6)
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> r.log.events.size() == 2);
        assertThat(r.completed).isFalse();
        assertThat(r.error.get()).isNull();
        assertThat(session.isDone()).isTrue();
        long start = System.nanoTime();
        session.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }
}
