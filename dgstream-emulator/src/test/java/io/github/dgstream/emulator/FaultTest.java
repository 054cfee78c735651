package io.github.dgstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dgstream.emulator.speech.AudioFormat;
import io.github.dgstream.emulator.speech.SpeechEncoder;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultTest {
    static final AudioFormat PCM = AudioFormat.linear16(16000);
    static final String V1 = "?encoding=linear16&sample_rate=16000&endpointing=300";
    static final String FLUX = "?model=flux-general-en&encoding=linear16&sample_rate=16000";
    static final byte[] SILENCE_4S = SpeechEncoder.silence(4.0, PCM);
    DeepgramEmulator dg;

    @BeforeEach
    void start() {
        dg = DeepgramEmulator.builder().start();
    }

    @AfterEach
    void stop() {
        dg.close();
    }

    @Test
    void closeWithCodeAndReasonAfterNSecondsOfAudio() throws Exception {
        dg.enqueue(ConnectionScript.closeAfter(1.5, 1011, "NET-0000 scripted"));
        try (RawClient c = RawClient.connect(dg.listenUrl() + V1)) {
            c.sendChunked(SILENCE_4S, 3200); // 100 ms chunks
            RawClient.Closed closed = c.awaitClose();
            assertThat(closed.code()).isEqualTo(1011);
            assertThat(closed.reason()).isEqualTo("NET-0000 scripted");
        } catch (java.util.concurrent.ExecutionException | java.io.IOException e) {
            // sending after the close may fail; the close is what matters
        }
        RecordedConnection rec = dg.takeConnection(RawClient.WAIT);
        assertThat(rec.awaitClosed(RawClient.WAIT)).isTrue();
        assertThat(rec.closedBy()).contains(ClosedBy.SERVER);
        assertThat(rec.closeCode()).contains(1011);
        assertThat(rec.closeReason()).contains("NET-0000 scripted");
        assertThat(rec.audioSeconds()).isGreaterThanOrEqualTo(1.5).isLessThan(1.6);
    }

    @Test
    void cleanCloseNobodyAskedFor() throws Exception {
        dg.enqueue(ConnectionScript.closeAfter(0.5, 1000, ""));
        try (RawClient c = RawClient.connect(dg.listenUrl() + V1)) {
            c.send(SpeechEncoder.silence(1.0, PCM));
            assertThat(c.awaitClose().code()).isEqualTo(1000);
            assertThat(c.messages).isEmpty();
        }
    }

    @Test
    void dropGivesTheClientAnAbnormalCloseWithoutCloseFrame() throws Exception {
        dg.enqueue(ConnectionScript.dropAfter(1.0));
        try (RawClient c = RawClient.connect(dg.listenUrl() + V1)) {
            try {
                c.sendChunked(SILENCE_4S, 3200);
            } catch (Exception expected) {
                // the socket is gone
            }
            RawClient.Closed closed = c.awaitClose();
            assertThat(closed.abnormal()).as("no close frame: %s", closed).isTrue();
            assertThat(closed.code()).isEqualTo(1006);
        }
        RecordedConnection rec = dg.takeConnection(RawClient.WAIT);
        assertThat(rec.awaitClosed(RawClient.WAIT)).isTrue();
        assertThat(rec.closedBy()).contains(ClosedBy.DROPPED);
        assertThat(rec.audioSeconds()).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void halfOpenSendsNothingAndNeverCloses() throws Exception {
        dg.enqueue(ConnectionScript.halfOpenAfter(1.0));
        String text = "words before the fault. and words after it";
        try (RawClient c = RawClient.connect(dg.fluxUrl() + FLUX)) {
            assertThat(c.next().path("type").asText()).isEqualTo("Connected");
            c.send(SpeechEncoder.silence(1.0, PCM)); // reaches the trigger exactly
            RecordedConnection rec = dg.takeConnection(RawClient.WAIT);
            org.awaitility.Awaitility.await().atMost(RawClient.WAIT).until(rec::isHalfOpen);
            c.ws().sendBinary(java.nio.ByteBuffer.wrap(SpeechEncoder.encode(text, PCM)), true);
            c.ws().sendPing(java.nio.ByteBuffer.allocate(1));
            c.ws().sendText("{\"type\":\"CloseStream\"}", true);
            c.assertQuietFor(Duration.ofMillis(1200));
            assertThat(c.pongs).isEmpty();
            assertThat(rec.isClosed()).isFalse();
            assertThat(rec.audioSeconds()).isEqualTo(1.0);
            assertThat(rec.controlMessages()).isEmpty();
        }
    }

    @Test
    void refuseNThenAccept() throws Exception {
        dg.refuseNext(2, 503);
        for (int i = 0; i < 2; i++) {
            WebSocketHandshakeException e = catchThrowableOfType(
                    WebSocketHandshakeException.class, () -> RawClient.connect(dg.listenUrl() + V1));
            assertThat(e.getResponse().statusCode()).isEqualTo(503);
        }
        try (RawClient c = RawClient.connect(dg.listenUrl() + V1)) {
            c.sendType("CloseStream");
            assertThat(c.awaitClose().code()).isEqualTo(1000);
        }
        assertThat(dg.connections())
                .extracting(RecordedConnection::upgradeStatus)
                .containsExactly(503, 503, 101);
        assertThat(dg.connectionCount()).isEqualTo(3);
    }

    @Test
    void scriptSelectorChoosesFromTheRequestTag() throws Exception {
        dg.setScriptSelector(
                r -> r.queryParam("tag").filter("bad"::equals).isPresent() ? ConnectionScript.refuse(503) : null);
        dg.enqueue(ConnectionScript.refuse(429));
        WebSocketHandshakeException e = catchThrowableOfType(
                WebSocketHandshakeException.class, () -> RawClient.connect(dg.listenUrl() + V1 + "&tag=bad"));
        assertThat(e.getResponse().statusCode()).isEqualTo(503); // the selector comes before the queue
        e = catchThrowableOfType(
                WebSocketHandshakeException.class, () -> RawClient.connect(dg.listenUrl() + V1 + "&tag=ok"));
        assertThat(e.getResponse().statusCode()).isEqualTo(429); // null falls through to the queue
        try (RawClient c = RawClient.connect(dg.listenUrl() + V1 + "&tag=ok")) {
            c.sendType("CloseStream");
            assertThat(c.awaitClose().code()).isEqualTo(1000);
        }
        assertThat(dg.connections())
                .extracting(RecordedConnection::upgradeStatus)
                .containsExactly(503, 429, 101);
    }

    @Test
    void scriptByIndexAndDefaultScript() throws Exception {
        dg.script(1, ConnectionScript.refuse(402));
        dg.setDefaultScript(ConnectionScript.refuse(429));
        dg.enqueue(ConnectionScript.normal());
        RawClient.connect(dg.listenUrl() + V1).close(); // index 0: queue
        assertThat(catchThrowableOfType(WebSocketHandshakeException.class, () -> RawClient.connect(dg.listenUrl() + V1))
                        .getResponse()
                        .statusCode())
                .isEqualTo(402); // index 1: by index
        assertThat(catchThrowableOfType(WebSocketHandshakeException.class, () -> RawClient.connect(dg.listenUrl() + V1))
                        .getResponse()
                        .statusCode())
                .isEqualTo(429); // index 2: default
    }

    @Test
    void inBandErrorThenCloseOnV1() throws Exception {
        dg.enqueue(ConnectionScript.errorAfter(0.5, "scripted failure"));
        try (RawClient c = RawClient.connect(dg.listenUrl() + V1)) {
            c.send(SpeechEncoder.silence(1.0, PCM));
            List<JsonNode> ms = c.messagesUntilClosed();
            assertThat(ms).hasSize(1);
            assertThat(ms.get(0).path("type").asText()).isEqualTo("Error");
            assertThat(ms.get(0).path("description").asText()).isEqualTo("scripted failure");
            assertThat(ms.get(0).path("code").asText()).isEqualTo("INTERNAL_SERVER_ERROR");
            assertThat(ms.get(0).has("variant")).isTrue();
            assertThat(c.awaitClose().code()).isEqualTo(1011);
        }
    }

    @Test
    void inBandErrorThenCloseOnFlux() throws Exception {
        dg.enqueue(ConnectionScript.builder()
                .at(
                        Fault.Trigger.afterAudio(0.5),
                        new Fault.InBandError("INTERNAL_SERVER_ERROR", "flux broke", 1011, "internal"))
                .build());
        try (RawClient c = RawClient.connect(dg.fluxUrl() + FLUX)) {
            c.send(SpeechEncoder.silence(1.0, PCM));
            List<JsonNode> ms = c.messagesUntilClosed();
            assertThat(ms).extracting(m -> m.path("type").asText()).containsExactly("Connected", "Error");
            JsonNode e = ms.get(1);
            assertThat(e.path("sequence_id").asInt()).isEqualTo(1);
            assertThat(e.path("code").asText()).isEqualTo("INTERNAL_SERVER_ERROR");
            assertThat(e.path("description").asText()).isEqualTo("flux broke");
            assertThat(e.has("request_id")).isFalse();
            assertThat(c.awaitClose()).isEqualTo(new RawClient.Closed(1011, "internal", false));
        }
    }

    @Test
    void acceptThenDropAndAcceptThenClose() throws Exception {
        dg.enqueue(ConnectionScript.dropOnOpen());
        dg.enqueue(ConnectionScript.closeOnOpen(1013, "try again later"));
        try (RawClient c = RawClient.connect(dg.fluxUrl() + FLUX)) {
            RawClient.Closed closed = c.awaitClose();
            assertThat(closed.abnormal()).isTrue();
        }
        try (RawClient c = RawClient.connect(dg.listenUrl() + V1)) {
            assertThat(c.awaitClose()).isEqualTo(new RawClient.Closed(1013, "try again later", false));
        }
        assertThat(dg.connections())
                .extracting(r -> r.closedBy().orElseThrow())
                .containsExactly(ClosedBy.DROPPED, ClosedBy.SERVER);
        assertThat(dg.connections())
                .extracting(RecordedConnection::upgradeStatus)
                .containsExactly(101, 101);
    }

    /**
     * An on-open fault fires before the emulator reads anything. Regression: it ran on the timer thread while Jetty
     * already read, so under CPU load a "drop on open" socket could take a client's replay and finish a Flux turn
     * before it dropped (the client then saw progress and reset its retry budget: {@code
     * FluxBehaviourTest.anEndlessFlapIsCapped} timed out). Here the timer thread is held while the client sends.
     */
    @Test
    void anOnOpenFaultFiresBeforeAnyAudioIsRead() throws Exception {
        CountDownLatch timerHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        dg.scheduler().execute(() -> {
            timerHeld.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(timerHeld.await(5, TimeUnit.SECONDS)).isTrue();
        dg.enqueue(ConnectionScript.closeOnOpen(1013, "try again later"));
        try (RawClient c = RawClient.connect(dg.fluxUrl() + FLUX)) {
            c.send(SpeechEncoder.silence(1.0, PCM));
            RecordedConnection rec = dg.connection(0, RawClient.WAIT);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> rec.audioBytes() == 0);
            release.countDown();
            assertThat(c.awaitClose()).isEqualTo(new RawClient.Closed(1013, "try again later", false));
            assertThat(c.messages).isEmpty();
            assertThat(rec.audioBytes()).isZero();
        } finally {
            release.countDown();
        }
    }

    @Test
    void outboundLatencyDelaysEveryMessageAndKeepsOrder() throws Exception {
        dg.enqueue(ConnectionScript.normal().withLatency(Duration.ofMillis(400)));
        try (RawClient c = RawClient.connect(dg.fluxUrl() + FLUX)) {
            long start = System.nanoTime();
            JsonNode connected = c.next();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(connected.path("type").asText()).isEqualTo("Connected");
            c.sendChunked(SpeechEncoder.encode("late but ordered. really", PCM), 2560);
            long sent = System.nanoTime();
            c.sendType("CloseStream");
            List<JsonNode> ms = c.messagesUntilClosed();
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            for (int i = 0; i < ms.size(); i++) {
                assertThat(ms.get(i).path("sequence_id").asInt()).isEqualTo(i + 1);
            }
            assertThat(c.awaitClose().code()).isEqualTo(1005);
        }
    }

    @Test
    void builderLatencyAppliesToEveryConnection() throws Exception {
        try (DeepgramEmulator slow = DeepgramEmulator.builder()
                        .outboundLatency(Duration.ofMillis(300))
                        .start();
                RawClient c = RawClient.connect(slow.fluxUrl() + FLUX)) {
            assertThat(c.messages.poll(150, java.util.concurrent.TimeUnit.MILLISECONDS))
                    .isNull();
            assertThat(c.next().path("type").asText()).isEqualTo("Connected");
        }
    }

    @Test
    void recordingsCountAudioAndControlMessages() throws Exception {
        try (RawClient c = RawClient.connect(dg.listenUrl() + V1, Map.of("Authorization", "Token rec"), List.of())) {
            c.send(SpeechEncoder.silence(0.25, PCM));
            c.sendType("KeepAlive");
            c.send(SpeechEncoder.silence(0.5, PCM));
            c.sendText("garbage");
            c.sendType("CloseStream");
            c.awaitClose();
        }
        RecordedConnection rec = dg.takeConnection(RawClient.WAIT);
        assertThat(rec.awaitClosed(RawClient.WAIT)).isTrue();
        assertThat(rec.index()).isZero();
        assertThat(rec.isFlux()).isFalse();
        assertThat(rec.audioBytes()).isEqualTo(PCM.bytesFor(0.75));
        assertThat(rec.audioSeconds()).isCloseTo(0.75, Offset.offset(1e-9));
        assertThat(rec.controlTypes()).containsExactly("KeepAlive", ControlMessage.UNPARSABLE, "CloseStream");
        assertThat(rec.controlMessages().get(0).audioSeconds()).isCloseTo(0.25, Offset.offset(1e-9));
        assertThat(rec.controlMessages().get(2).audioSeconds()).isCloseTo(0.75, Offset.offset(1e-9));
        assertThat(rec.sentTypes()).endsWith("Metadata").contains("Error");
        assertThat(rec.messagesSent()).isEqualTo(rec.sentTypes().size());
        assertThat(rec.closedBy()).contains(ClosedBy.SERVER);
        assertThat(rec.closeCode()).contains(1000);
        assertThat(dg.takeConnection(Duration.ofMillis(50))).isNull();
    }

    @Test
    void clientInitiatedCloseIsRecorded() throws Exception {
        try (RawClient c = RawClient.connect(dg.listenUrl() + V1)) {
            c.ws().sendClose(4000, "client bye").get();
            c.awaitClose();
        }
        RecordedConnection rec = dg.takeConnection(RawClient.WAIT);
        assertThat(rec.awaitClosed(RawClient.WAIT)).isTrue();
        assertThat(rec.closedBy()).contains(ClosedBy.CLIENT);
        assertThat(rec.closeCode()).contains(4000);
        assertThat(rec.closeReason()).contains("client bye");
    }

    @Test
    void closeIsIdempotentAndClosesOpenConnections() throws Exception {
        RawClient c = RawClient.connect(dg.listenUrl() + V1);
        RecordedConnection rec = dg.takeConnection(RawClient.WAIT);
        dg.close();
        dg.close();
        assertThat(c.awaitClose().code()).isIn(1001, 1006);
        assertThat(rec.closedBy()).contains(ClosedBy.SHUTDOWN);
        c.close();
    }
}
