package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.dgstream.internal.EngineHooks;
import io.github.dgstream.internal.EventBuffer;
import io.github.dgstream.internal.Transport;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Deterministic, in virtual time with a scripted transport: audio goes out while the event buffer has stopped the
 * engine reading, so nothing can answer it; long after, the consumer takes an event and reading resumes. The
 * liveness deadlines must restart then, or the first tick declares the healthy connection dead.
 */
class PausedLivenessTest {
    static final String RESULT = "{\"type\":\"Results\",\"channel_index\":[0,1],\"duration\":0.5,\"start\":%s,"
            + "\"is_final\":true,\"speech_final\":true,\"from_finalize\":false,\"channel\":{\"alternatives\":"
            + "[{\"transcript\":\"hello\",\"confidence\":0.99,\"words\":[]}]},\"metadata\":{\"request_id\":\"r\"}}";

    /** Opens at once, records sends and demand, delivers only what the test injects; answers CloseStream with 1000. */
    static final class ScriptedTransport implements Transport {
        final AtomicInteger connects = new AtomicInteger();
        final AtomicReference<Listener> listener = new AtomicReference<>();
        final AtomicLong demand = new AtomicLong();
        final List<Object> sent = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<Socket> connect(URI uri, Map<String, String> h, Duration timeout, Listener l) {
            connects.incrementAndGet();
            listener.set(l);
            Socket s = new Socket() {
                @Override
                public CompletableFuture<?> sendBinary(ByteBuffer data) {
                    sent.add(data.remaining());
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public CompletableFuture<?> sendText(String text) {
                    sent.add(text);
                    if (text.contains("CloseStream")) {
                        l.onClose(1000, "");
                    }
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public CompletableFuture<?> sendPing() {
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public CompletableFuture<?> sendClose(int code, String reason) {
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public void abort() {}

                @Override
                public void request(long n) {
                    demand.addAndGet(n);
                }
            };
            l.onOpen(s);
            return CompletableFuture.completedFuture(s);
        }
    }

    @Test
    void aLongBackpressurePauseDoesNotMakeTheConnectionLookDead() {
        FakeScheduler time = new FakeScheduler();
        ScriptedTransport net = new ScriptedTransport();
        try (DeepgramClient client = DeepgramClient.builder()
                .apiKey("k")
                .hooks(EngineHooks.NONE.withClock(time).withScheduler(time).withTransport(net))
                .build()) {
            StreamingOptions o = StreamingOptions.builder()
                    .options(Speech.options())
                    .eventBufferCapacity(2)
                    .reconnection(RetryableFaultsTest.reconnection())
                    .liveness(LivenessConfig.builder()
                            .pingIntervalMs(0)
                            .receiveTimeoutMs(2000)
                            .keepAliveIntervalMs(0)
                            .build())
                    .build();
            try (StreamSession session = client.listen().stream(o)) {
                EventBuffer buf = ((DefaultStreamSession) session).buffer();
                assertThat(session.poll(Duration.ofSeconds(5))).containsInstanceOf(OpenEvent.class);
                net.listener.get().onText(RESULT.formatted("0.0"));
                net.listener.get().onText(RESULT.formatted("0.5"));
                await().atMost(Duration.ofSeconds(5)).until(buf::isPaused);
                session.send(new byte[3200]); // unanswerable while paused
                await().atMost(Duration.ofSeconds(5)).until(() -> net.sent.contains(3200));
                time.advance(10_000); // paused far longer than the receive timeout: no verdict while paused
                long demand = net.demand.get();
                assertThat(session.poll(Duration.ZERO)).isPresent(); // half the buffer is free: reading resumes
                await().atMost(Duration.ofSeconds(5)).until(() -> net.demand.get() > demand);
                time.advance(500); // liveness ticks after the resume
                await().during(Duration.ofMillis(300))
                        .atMost(Duration.ofSeconds(2))
                        .until(() -> net.connects.get() == 1 && session.state() == SessionState.STREAMING);
                assertThat(session.poll(Duration.ZERO)).containsInstanceOf(StreamEvent.Transcript.class);
                assertThat(session.poll(Duration.ofMillis(100))).isEmpty(); // no Reconnecting
            }
            assertThat(net.sent).anyMatch(m -> m instanceof String s && s.contains("CloseStream"));
        }
    }
}
