package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.dgstream.internal.EngineHooks;
import io.github.dgstream.internal.Scheduler;
import io.github.dgstream.internal.Transport;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The session state machine driven by a fake {@link Transport} and virtual time ({@link FakeScheduler}): no network,
 * every callback and timer is fired by the test.
 */
class EngineStateMachineTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final String RESULT = "{\"type\":\"Results\",\"channel_index\":[0,1],\"duration\":0.5,\"start\":0.0,"
            + "\"is_final\":true,\"speech_final\":true,\"from_finalize\":false,\"channel\":{\"alternatives\":[{"
            + "\"transcript\":\"%s\",\"confidence\":0.9,\"words\":[{\"word\":\"%s\",\"start\":0.1,\"end\":0.4,"
            + "\"confidence\":0.95}]}]},\"metadata\":{\"request_id\":\"rid\"}}";

    FakeScheduler time;
    FakeTransport transport;
    DeepgramClient client;
    AsyncListenWebSocketClient c;
    EventLog log;

    @BeforeEach
    void setUp() {
        time = new FakeScheduler();
        transport = new FakeTransport();
        client = fakeClient(time, transport);
    }

    /** A client whose sessions run on {@code time} and dial {@code transport}: no network, no real timers. */
    static DeepgramClient fakeClient(FakeScheduler time, FakeTransport transport) {
        return fakeClient(time, transport, DeepgramClient.builder().apiKey("k"));
    }

    /** {@link #fakeClient(FakeScheduler, FakeTransport)} with the credentials already set on {@code builder}. */
    static DeepgramClient fakeClient(FakeScheduler time, FakeTransport transport, DeepgramClient.Builder builder) {
        return builder.baseUrl(URI.create("ws://127.0.0.1:1"))
                .hooks(EngineHooks.NONE.withClock(time).withScheduler(time).withTransport(transport))
                .build();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private void start(ReconnectionConfig rc, LivenessConfig lc) {
        c = client.listen().asyncLive().v("1");
        log = new EventLog();
        log.attach(c);
        c.configureReconnection(rc);
        c.configureLiveness(lc);
        CompletableFuture<Void> started = c.start(Speech.options());
        transport.awaitConnects(1).open();
        started.join();
    }

    private static ReconnectionConfig reconnect(long initialDelayMs) {
        return ReconnectionConfig.builder()
                .enabled(true)
                .initialDelayMs(initialDelayMs)
                .maxDelayMs(Math.max(initialDelayMs, 1000))
                .jitter(false)
                .healthyPeriodMs(600_000)
                .build();
    }

    /** No timers of their own: only what a test does moves the session. */
    private static LivenessConfig quiet() {
        return LivenessConfig.builder()
                .keepAliveIntervalMs(0)
                .pingIntervalMs(0)
                .receiveTimeoutMs(0)
                .finishTimeoutMs(60_000)
                .build();
    }

    /** Awaits the actor's reaction to a fired timer: polls every 2 ms, not awaitility's default 100 ms. */
    private static org.awaitility.core.ConditionFactory soon() {
        return await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
    }

    private FakeScheduler.Entry awaitBackoff() {
        return await().atMost(WAIT)
                .until(() -> time.pending(Scheduler.Kind.BACKOFF).orElse(null), e -> e != null);
    }

    private void awaitEvents(Predicate<EventLog> p) {
        await().atMost(WAIT).until(() -> p.test(log));
    }

    private static String result(String word) {
        return String.format(RESULT, word, word);
    }

    /** Regression: the async start's stages ran on the engine thread that saw the socket open. */
    @Test
    void stagesOnTheAsyncStartRunOnAHandlerThread() {
        c = client.listen().asyncLive().v("1");
        c.configureLiveness(quiet());
        CompletableFuture<String> opened =
                c.start(Speech.options()).thenApply(v -> Thread.currentThread().getName());
        transport.awaitConnects(1).open();
        assertThat(opened.join()).startsWith("dgstream-handler-");

        AsyncListenWebSocketClient second = client.listen().asyncLive().v("1");
        CompletableFuture<String> failed = second.start(Speech.options())
                .handle((v, t) -> Thread.currentThread().getName() + " "
                        + (t instanceof java.util.concurrent.CompletionException ? t.getCause() : t));
        // a 400 is not retried: the session fails before any socket opened
        transport.awaitConnects(2).connected.completeExceptionally(new Transport.HandshakeFailure(400, null, null, ""));
        assertThat(failed.join()).startsWith("dgstream-handler-").contains("DeepgramException");
    }

    @Test
    void lateCallbacksOfAnOldSocketAreIgnored() {
        start(reconnect(100), quiet());
        FakeSocket first = transport.socket(0);
        first.listener.onClose(1011, "NET-0000 internal");
        time.fire(awaitBackoff());
        FakeSocket second = transport.awaitConnects(2).open();
        awaitEvents(l -> !l.of(Reconnected.class).isEmpty());

        // The old socket speaks again after the new one is up: a result, a close, an error, a pong.
        first.listener.onText(result("stale"));
        first.listener.onClose(1006, "");
        first.listener.onError(new IOException("late reset"));
        first.listener.onPong();
        // The same result on the live socket is delivered; the actor is serial, so once it shows, the late ones ran.
        second.listener.onText(result("fresh"));
        awaitEvents(l -> !l.finals().isEmpty());

        assertThat(log.finalWordTexts()).containsExactly("fresh");
        assertThat(log.of(Reconnecting.class)).extracting(Reconnecting::attempt).containsExactly(1);
        assertThat(c.state()).isEqualTo(SessionState.STREAMING);
        assertThat(time.pending(Scheduler.Kind.BACKOFF)).isEmpty();
        assertThat(transport.connects()).isEqualTo(2);
        assertThat(second.aborted).isFalse();
    }

    /**
     * A reconnect's open may run the engine on the transport's own thread (when the actor is idle, to start the replay
     * without a pool hop); the user's handlers must still run on handler threads, and the replay must still go out.
     */
    @Test
    void aReconnectsOpenRunsNoUserCodeOnTheTransportThread() throws InterruptedException {
        start(reconnect(100), quiet());
        FakeSocket first = transport.socket(0);
        c.send(ByteBuffer.wrap(new byte[3200]))
                .orTimeout(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .join();
        await().atMost(WAIT).until(() -> first.binaryBytes() == 3200);
        first.listener.onClose(1011, "NET-0000 internal");
        time.fire(awaitBackoff());
        FakeSocket second = transport.awaitConnects(2);

        Thread transportThread = new Thread(second::open, "fake-transport");
        transportThread.start();
        transportThread.join(WAIT.toMillis());
        awaitEvents(l -> !l.of(Reconnected.class).isEmpty());
        await().atMost(WAIT).until(() -> second.binaryBytes() == 3200);

        assertThat(log.threads).isNotEmpty().allSatisfy(name -> assertThat(name).startsWith("dgstream-handler-"));
        assertThat(log.of(Reconnected.class).get(0).replayedSeconds()).isGreaterThan(0);
    }

    @Test
    void aWriteThatNeverCompletesIsCutOffAtTheSendTimeoutAndItsAudioReplayed() {
        // Regression: the send deadline moved from a timer per frame to the liveness tick; it must still fire.
        start(reconnect(100), quiet().toBuilder().sendTimeoutMs(1000).build());
        FakeSocket first = transport.socket(0);
        first.stallBinary = true;
        c.send(ByteBuffer.wrap(new byte[3200])).join();
        c.send(ByteBuffer.wrap(new byte[1600])).join();
        await().atMost(WAIT).until(() -> first.binaryBytes() == 3200);
        long sentAt = time.nanoTime();

        // Fire liveness ticks one by one (each tick schedules the next) until the engine gives up on the socket.
        while (log.of(Reconnecting.class).isEmpty()) {
            assertThat(time.nanoTime() - sentAt).as("still not cut off").isLessThan(5_000_000_000L);
            FakeScheduler.Entry tick =
                    soon().until(() -> time.pending(Scheduler.Kind.LIVENESS).orElse(null), e -> e != null);
            time.fire(tick);
            soon().until(() -> time.pending(Scheduler.Kind.LIVENESS).isPresent()
                    || !log.of(Reconnecting.class).isEmpty());
        }
        long cutOffMs = (time.nanoTime() - sentAt) / 1_000_000;

        assertThat(cutOffMs)
                .as("cut off after the timeout, within one tick (250 ms)")
                .isBetween(1000L, 1250L);
        assertThat(log.of(Reconnecting.class).get(0).cause().kind()).isEqualTo(DeepgramException.Kind.TIMEOUT);
        assertThat(log.of(Reconnecting.class).get(0).cause().getMessage())
                .contains("Send did not complete within 1000 ms");
        assertThat(first.aborted).isTrue();
        assertThat(first.binaryBytes())
                .as("nothing written behind the stuck frame")
                .isEqualTo(3200);
        time.fire(awaitBackoff());
        FakeSocket second = transport.awaitConnects(2).open();
        await().atMost(WAIT).until(() -> second.binaryBytes() == 4800);
    }

    /** Fires liveness ticks one at a time (each tick schedules the next) until {@code ms} of virtual time passed. */
    private void runTicks(long ms, Runnable beforeEachTick) {
        long until = time.nanoTime() + ms * 1_000_000L;
        while (time.nanoTime() < until && log.of(Reconnecting.class).isEmpty()) {
            FakeScheduler.Entry tick =
                    soon().until(() -> time.pending(Scheduler.Kind.LIVENESS).orElse(null), e -> e != null);
            beforeEachTick.run();
            time.fire(tick);
            soon().until(() -> time.pending(Scheduler.Kind.LIVENESS).isPresent()
                    || !log.of(Reconnecting.class).isEmpty());
        }
    }

    @Test
    void serverMessagesCountAsPongsSoASlowButAliveServerIsNotDeclaredDead() {
        // Regression: an overloaded server answers pings late (queued behind our audio) while results still flow.
        start(
                reconnect(100),
                quiet().toBuilder().pingIntervalMs(1000).pongTimeoutMs(2000).build());
        FakeSocket s = transport.socket(0);
        int[] n = {0};
        runTicks(10_000, () -> {
            if (++n[0] % 4 == 0) { // a result every second of virtual time, never a pong
                s.listener.onText(result("w" + n[0]));
            }
        });
        assertThat(s.pings.get()).as("pings went out").isGreaterThan(2);
        assertThat(log.of(Reconnecting.class)).as("alive: results kept coming").isEmpty();

        runTicks(5_000, () -> {}); // now silence: no pong, no message
        assertThat(log.of(Reconnecting.class))
                .singleElement()
                .satisfies(r -> assertThat(r.cause().getMessage()).contains("No pong within 2000 ms"));
    }

    @Test
    void finalizeGoesOutBetweenTheAudioBeforeAndAfterItEvenWhenAudioPiledUp() {
        start(reconnect(100), quiet());
        FakeSocket s = transport.socket(0);
        CompletableFuture<Void> gate = new CompletableFuture<>();
        s.gate = gate;
        c.send(ByteBuffer.wrap(new byte[400])).join(); // on the wire, its write pending
        await().atMost(WAIT).until(() -> s.binaryBytes() == 400);
        c.send(ByteBuffer.wrap(new byte[400])).join(); // these pile up in the journal behind the pending write
        c.send(ByteBuffer.wrap(new byte[400])).join();
        c.sendFinalize().join();
        c.send(ByteBuffer.wrap(new byte[400])).join();
        s.gate = null;
        gate.complete(null);
        await().atMost(WAIT).until(() -> s.binaryBytes() == 1600);

        List<String> order = s.sent.stream()
                .map(o -> o instanceof Integer n ? "audio " + n : String.valueOf(o))
                .toList();
        assertThat(order).containsExactly("audio 400", "audio 800", "{\"type\":\"Finalize\"}", "audio 400");
    }

    @Test
    void closeAfterOurCloseStreamNeverReconnects() {
        start(reconnect(100), quiet());
        FakeSocket s = transport.socket(0);
        c.send(ByteBuffer.wrap(new byte[3200])).join();
        CompletableFuture<Void> finished = c.finish();
        await().atMost(WAIT).until(() -> s.texts().contains("{\"type\":\"CloseStream\"}"));
        s.listener.onClose(1000, "");
        finished.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();

        assertThat(c.state()).isEqualTo(SessionState.CLOSED);
        assertThat(log.of(Reconnecting.class)).isEmpty();
        assertThat(log.of(ErrorEvent.class)).isEmpty();
        assertThat(log.types()).endsWith(EventType.CLOSE);
        assertThat(time.history(Scheduler.Kind.BACKOFF)).isEmpty();
        assertThat(transport.connects()).isEqualTo(1);
    }

    @Test
    void anyCloseAfterTheFinalMetadataNeverReconnects() {
        start(reconnect(100), quiet());
        FakeSocket s = transport.socket(0);
        c.send(ByteBuffer.wrap(new byte[3200])).join();
        CompletableFuture<Void> finished = c.finish();
        await().atMost(WAIT).until(() -> s.texts().contains("{\"type\":\"CloseStream\"}"));
        s.listener.onText("{\"type\":\"Metadata\",\"request_id\":\"rid\",\"duration\":0.1}");
        s.listener.onClose(1006, ""); // the server confirmed the end, then TCP went away without a close frame
        finished.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();

        assertThat(c.state()).isEqualTo(SessionState.CLOSED);
        assertThat(log.of(Reconnecting.class)).isEmpty();
        assertThat(transport.connects()).isEqualTo(1);
    }

    @Test
    void abortWhileABackoffTimerIsPendingCancelsItAndOpensNoSocket() {
        start(reconnect(100), quiet());
        transport.socket(0).listener.onClose(1011, "NET-0000 internal");
        FakeScheduler.Entry backoff = awaitBackoff();

        client.close(); // aborts the session

        assertThat(c.state()).isEqualTo(SessionState.CLOSED);
        assertThat(backoff.cancelled).as("backoff timer cancelled").isTrue();
        time.advance(10_000);
        assertThat(transport.connects()).as("no socket opened after the abort").isEqualTo(1);
        assertThat(log.of(CloseEvent.class)).hasSize(1);
        assertThat(log.of(ErrorEvent.class)).isEmpty();
    }

    @Test
    void finishTimeoutDuringAPendingBackoffCancelsItAndOpensNoSocket() {
        // A long backoff and a short finish bound: the finish deadline comes first.
        start(reconnect(10_000), quiet().toBuilder().finishTimeoutMs(1000).build());
        c.send(ByteBuffer.wrap(new byte[3200])).join();
        transport.socket(0).listener.onClose(1011, "NET-0000 internal");
        FakeScheduler.Entry backoff = awaitBackoff();
        CompletableFuture<Void> finished = c.finish();
        await().atMost(WAIT).until(() -> time.pending(Scheduler.Kind.FINISH).isPresent());

        time.advance(1000);
        finished.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();

        assertThat(backoff.cancelled).as("backoff timer cancelled").isTrue();
        time.advance(20_000);
        assertThat(transport.connects())
                .as("no socket opened after finish gave up")
                .isEqualTo(1);
        assertThat(c.state()).isEqualTo(SessionState.CLOSED);
        assertThat(log.of(ErrorEvent.class))
                .singleElement()
                .satisfies(e -> assertThat(e.error().kind()).isEqualTo(DeepgramException.Kind.TIMEOUT));
        assertThat(log.types()).endsWith(EventType.CLOSE);
    }

    @Test
    void finishDuringAPendingBackoffDeliversTheUnconfirmedAudioOnTheNextSocket() {
        // Documented: finish() means "transcribe everything I sent", so the pending reconnect goes ahead.
        start(reconnect(100), quiet());
        c.send(ByteBuffer.wrap(new byte[3200])).join();
        transport.socket(0).listener.onClose(1011, "NET-0000 internal");
        FakeScheduler.Entry backoff = awaitBackoff();
        CompletableFuture<Void> finished = c.finish();
        await().atMost(WAIT).until(() -> time.pending(Scheduler.Kind.FINISH).isPresent());

        time.fire(backoff);
        FakeSocket second = transport.awaitConnects(2).open();
        await().atMost(WAIT).until(() -> second.texts().contains("{\"type\":\"CloseStream\"}"));
        assertThat(second.binaryBytes()).as("the unconfirmed audio, replayed").isEqualTo(3200);
        second.listener.onClose(1000, "");
        finished.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(c.state()).isEqualTo(SessionState.CLOSED);
        assertThat(transport.connects()).isEqualTo(2);
    }

    @Test
    void connectionLostWhileFinishingWithEverythingConfirmedClosesWithoutReconnecting() {
        // finish() means "transcribe everything I sent": here the server already did, so a new socket is pointless.
        start(reconnect(100), quiet());
        FakeSocket s = transport.socket(0);
        c.send(ByteBuffer.wrap(new byte[3200])).join(); // 0.1 s
        s.listener.onText(result("all")); // a final up to 0.5 s: past the end of the audio
        awaitEvents(l -> !l.finals().isEmpty());
        CompletableFuture<Void> finished = c.finish();
        await().atMost(WAIT).until(() -> s.texts().contains("{\"type\":\"CloseStream\"}"));
        s.listener.onClose(1006, ""); // TCP dropped before the server confirmed the end of the stream
        finished.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();

        assertThat(c.state()).isEqualTo(SessionState.CLOSED);
        assertThat(log.finalWordTexts()).containsExactly("all");
        assertThat(log.of(Reconnecting.class)).isEmpty();
        assertThat(log.of(ErrorEvent.class)).isEmpty();
        assertThat(log.of(ReconnectFailed.class)).isEmpty();
        assertThat(log.types()).endsWith(EventType.CLOSE);
        assertThat(time.history(Scheduler.Kind.BACKOFF)).isEmpty();
        time.advance(10_000);
        assertThat(transport.connects()).as("no new socket").isEqualTo(1);
    }

    @Test
    void finishDuringAPendingBackoffWithEverythingConfirmedClosesAtOnce() {
        start(reconnect(100), quiet());
        FakeSocket s = transport.socket(0);
        c.send(ByteBuffer.wrap(new byte[3200])).join();
        s.listener.onText(result("all"));
        awaitEvents(l -> !l.finals().isEmpty());
        s.listener.onClose(1011, "NET-0000 internal");
        FakeScheduler.Entry backoff = awaitBackoff();

        c.finish().orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();

        assertThat(c.state()).isEqualTo(SessionState.CLOSED);
        assertThat(backoff.cancelled).as("backoff timer cancelled").isTrue();
        time.advance(10_000);
        assertThat(transport.connects()).as("no new socket").isEqualTo(1);
        assertThat(log.of(ErrorEvent.class)).isEmpty();
        assertThat(log.types()).endsWith(EventType.CLOSE);
    }

    @Test
    void connectionLostWhileFinishingWithUnconfirmedAudioStillReconnects() {
        start(reconnect(100), quiet());
        FakeSocket s = transport.socket(0);
        c.send(ByteBuffer.wrap(new byte[3200])).join();
        s.listener.onText(result("some"));
        awaitEvents(l -> !l.finals().isEmpty());
        c.send(ByteBuffer.wrap(new byte[32000])).join(); // 1 s more, not yet transcribed
        CompletableFuture<Void> finished = c.finish();
        await().atMost(WAIT).until(() -> s.texts().contains("{\"type\":\"CloseStream\"}"));
        s.listener.onClose(1006, "");

        time.fire(awaitBackoff());
        FakeSocket second = transport.awaitConnects(2).open();
        await().atMost(WAIT).until(() -> second.texts().contains("{\"type\":\"CloseStream\"}"));
        assertThat(second.binaryBytes()).as("the unconfirmed audio, replayed").isGreaterThan(0);
        second.listener.onClose(1000, "");
        finished.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(c.state()).isEqualTo(SessionState.CLOSED);
        assertThat(log.of(ErrorEvent.class)).isEmpty();
    }

    @Test
    void keepAliveSendFailureReconnectsInsteadOfShuttingDown() {
        start(reconnect(100), quiet().toBuilder().keepAliveIntervalMs(1000).build());
        FakeSocket first = transport.socket(0);
        first.failTexts = true;
        // Idle: the liveness tick queues a KeepAlive after 1 s without a send; its send fails.
        await().atMost(WAIT).until(() -> {
            if (first.texts().isEmpty()) {
                time.advance(250);
            }
            return !first.texts().isEmpty();
        });
        assertThat(first.texts()).containsExactly("{\"type\":\"KeepAlive\"}");
        // A failed write waits a short grace period (virtual time) for the reader to report why the socket died.
        await().atMost(WAIT).until(() -> {
            if (log.of(Reconnecting.class).isEmpty()) {
                time.advance(10);
            }
            return !log.of(Reconnecting.class).isEmpty();
        });
        Reconnecting r = log.of(Reconnecting.class).get(0);
        assertThat(r.attempt()).isEqualTo(1);
        assertThat(r.cause().isRetryable()).isTrue();
        // Regression (rounds 10 and 11): the grace was 250 ms, then 50; when the JDK's reader reports nothing (about
        // 6 % of dropped connections in the load harness, and it never did after a failed write) it is the whole delay
        // before the reconnect.
        assertThat(time.history(Scheduler.Kind.LIVENESS))
                .as("the failed write's grace timer")
                .anySatisfy(e -> assertThat(e.delayMs()).isEqualTo(10));
        assertThat(c.state()).isEqualTo(SessionState.RECONNECTING);
        assertThat(first.aborted).as("the broken socket is aborted").isTrue();

        time.fire(awaitBackoff());
        transport.awaitConnects(2).open();
        awaitEvents(l -> !l.of(Reconnected.class).isEmpty());
        assertThat(c.state()).isEqualTo(SessionState.STREAMING);
        assertThat(log.of(ErrorEvent.class)).isEmpty();
        assertThat(log.of(ReconnectFailed.class)).isEmpty();
    }

    // ---- the fake transport -------------------------------------------------------------------------------------

    /** Records every connect; the test opens (or fails) each one. */
    static final class FakeTransport implements Transport {
        final List<FakeSocket> sockets = new CopyOnWriteArrayList<>();
        /** The name of the thread that made each connect. */
        final List<String> connectThreads = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<Socket> connect(
                URI uri, Map<String, String> headers, Duration timeout, Listener listener) {
            connectThreads.add(Thread.currentThread().getName());
            FakeSocket s = new FakeSocket(listener);
            sockets.add(s);
            return s.connected;
        }

        int connects() {
            return sockets.size();
        }

        FakeSocket socket(int i) {
            return sockets.get(i);
        }

        /** Waits until {@code n} connects were made; returns the last. */
        FakeSocket awaitConnects(int n) {
            await().atMost(WAIT).until(() -> sockets.size() >= n);
            return sockets.get(n - 1);
        }
    }

    /** A socket whose sends succeed at once (or fail, for text frames, when asked) and are recorded. */
    static final class FakeSocket implements Transport.Socket {
        final Transport.Listener listener;
        final CompletableFuture<Transport.Socket> connected = new CompletableFuture<>();
        final List<Object> sent = new CopyOnWriteArrayList<>();
        /** The name of the thread that made each binary write. */
        final List<String> binaryThreads = new CopyOnWriteArrayList<>();

        volatile boolean failTexts;
        /** Binary writes fail at once, as when the peer reset the connection. */
        volatile boolean failBinary;
        /** Binary writes never complete, as when the peer stops reading and the TCP window is full. */
        volatile boolean stallBinary;

        final java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();
        /** When set, binary writes complete when the test completes this future. */
        volatile CompletableFuture<Void> gate;

        volatile boolean aborted;

        FakeSocket(Transport.Listener listener) {
            this.listener = listener;
        }

        /** Completes the upgrade: onOpen first, then the future (as the JDK transport does). */
        FakeSocket open() {
            listener.onOpen(this);
            connected.complete(this);
            return this;
        }

        List<String> texts() {
            return sent.stream()
                    .filter(String.class::isInstance)
                    .map(String.class::cast)
                    .toList();
        }

        int binaryBytes() {
            return sent.stream()
                    .filter(Integer.class::isInstance)
                    .mapToInt(Integer.class::cast)
                    .sum();
        }

        @Override
        public CompletableFuture<?> sendBinary(ByteBuffer data) {
            binaryThreads.add(Thread.currentThread().getName());
            sent.add(data.remaining());
            if (failBinary) {
                return CompletableFuture.failedFuture(new IOException("Broken pipe"));
            }
            CompletableFuture<Void> g = gate;
            if (g != null) {
                return g;
            }
            return stallBinary ? new CompletableFuture<>() : CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<?> sendText(String text) {
            sent.add(text);
            return failTexts
                    ? CompletableFuture.failedFuture(new IOException("Broken pipe"))
                    : CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<?> sendPing() {
            pings.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<?> sendClose(int code, String reason) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void abort() {
            aborted = true;
        }

        @Override
        public void request(long n) {}
    }
}
