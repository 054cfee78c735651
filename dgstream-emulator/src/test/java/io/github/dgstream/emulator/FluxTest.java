package io.github.dgstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dgstream.emulator.speech.AudioFormat;
import io.github.dgstream.emulator.speech.ExpectedWord;
import io.github.dgstream.emulator.speech.SpeechEncoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FluxTest {
    static final AudioFormat PCM = AudioFormat.linear16(16000);
    static final String Q = "?model=flux-general-en&encoding=linear16&sample_rate=16000";
    static DeepgramEmulator dg;

    @BeforeAll
    static void start() {
        dg = DeepgramEmulator.builder().fluxIdleTimeout(Duration.ofMillis(700)).start();
    }

    @AfterAll
    static void stop() {
        dg.close();
    }

    static List<String> events(List<JsonNode> ms) {
        return ms.stream()
                .filter(m -> m.path("type").asText().equals("TurnInfo"))
                .map(m -> m.path("event").asText())
                .filter(e -> !e.equals("Update"))
                .toList();
    }

    static List<JsonNode> event(List<JsonNode> ms, String event) {
        return ms.stream().filter(m -> m.path("event").asText().equals(event)).toList();
    }

    /** Streams audio then CloseStream; returns everything until the close. */
    static List<JsonNode> stream(String query, byte[] audio) throws Exception {
        try (RawClient c = RawClient.connect(dg.fluxUrl() + query)) {
            c.sendChunked(audio, 2560); // 80 ms chunks
            c.sendType("CloseStream");
            List<JsonNode> ms = c.messagesUntilClosed();
            RawClient.Closed closed = c.awaitClose();
            assertThat(closed.code()).isEqualTo(1005);
            assertThat(closed.abnormal()).isFalse();
            return ms;
        }
    }

    static byte[] cat(byte[]... parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    @Test
    void connectedAtOnceThenTurnsWithMonotonicSequenceIds() throws Exception {
        String text = "hello there. how are you";
        List<JsonNode> ms = stream(Q, cat(SpeechEncoder.encode(text, PCM), SpeechEncoder.silence(0.5, PCM)));
        assertThat(ms.get(0).path("type").asText()).isEqualTo("Connected");
        assertThat(ms.get(0).path("sequence_id").asLong()).isZero();
        String requestId = ms.get(0).path("request_id").asText();
        for (int i = 0; i < ms.size(); i++) {
            assertThat(ms.get(i).path("sequence_id").asLong()).isEqualTo(i);
            assertThat(ms.get(i).path("request_id").asText()).isEqualTo(requestId);
        }
        assertThat(events(ms)).containsExactly("StartOfTurn", "EndOfTurn", "StartOfTurn", "EndOfTurn");
        List<JsonNode> eot = event(ms, "EndOfTurn");
        assertThat(eot.get(0).path("transcript").asText()).isEqualTo("Hello there.");
        assertThat(eot.get(1).path("transcript").asText()).isEqualTo("How are you.");
        assertThat(eot.get(0).path("turn_index").asInt()).isZero();
        assertThat(eot.get(1).path("turn_index").asInt()).isEqualTo(1);
        assertThat(eot.get(0).path("trigger").asText()).isEqualTo("model");
        assertThat(eot.get(0).path("end_of_turn_confidence").asDouble()).isGreaterThanOrEqualTo(0.7);
        assertThat(eot.get(1).path("audio_window_start").asDouble())
                .isEqualTo(eot.get(0).path("audio_window_end").asDouble());
        JsonNode w = eot.get(0).path("words").get(1);
        assertThat(w.path("word").asText()).isEqualTo("there.");
        List<ExpectedWord> tl = SpeechEncoder.timeline(text, PCM);
        assertThat(w.path("start").asDouble()).isCloseTo(tl.get(1).start(), org.assertj.core.data.Offset.offset(0.02));
        assertThat(w.path("confidence").asDouble()).isGreaterThan(0.5);
        // the EndOfTurn comes after ~395 ms of silence: before the next word, well after the last
        assertThat(eot.get(0).path("audio_window_end").asDouble())
                .isGreaterThan(tl.get(1).end() + 0.3)
                .isLessThan(tl.get(2).start());
        // Updates roughly every 250 ms inside turns, none outside
        List<JsonNode> updates = event(ms, "Update");
        assertThat(updates.size()).isGreaterThan(3);
        for (JsonNode u : updates) {
            assertThat(u.path("turn_index").asInt()).isBetween(0, 1);
        }
    }

    @Test
    void eagerEndOfTurnThenTurnResumedThenEndOfTurnWithTheEagerTranscript() throws Exception {
        // a 300 ms pause: past the eager silence (150 + 350 × 0.3 = 255 ms), short of EOT (395 ms)
        byte[] first = SpeechEncoder.encode("first part", PCM);
        byte[] second = SpeechEncoder.encode("second", PCM);
        byte[] audio = cat(
                Arrays.copyOf(first, first.length - (int) PCM.bytesFor(0.3)),
                SpeechEncoder.silence(0.3, PCM),
                Arrays.copyOfRange(second, (int) PCM.bytesFor(0.3), second.length),
                SpeechEncoder.silence(0.6, PCM));
        List<JsonNode> ms = stream(Q + "&eager_eot_threshold=0.3", audio);
        assertThat(events(ms))
                .containsExactly("StartOfTurn", "EagerEndOfTurn", "TurnResumed", "EagerEndOfTurn", "EndOfTurn");
        List<JsonNode> eager = event(ms, "EagerEndOfTurn");
        assertThat(eager.get(0).path("transcript").asText()).isEqualTo("First part.");
        JsonNode end = event(ms, "EndOfTurn").get(0);
        assertThat(end.path("transcript").asText()).isEqualTo("First part second.");
        assertThat(eager.get(1).path("transcript").asText())
                .isEqualTo(end.path("transcript").asText());
        // without eager_eot_threshold, neither EagerEndOfTurn nor TurnResumed
        assertThat(events(stream(Q, audio))).containsExactly("StartOfTurn", "EndOfTurn");
    }

    @Test
    void configureChangesThresholdsAndEchoesThem() throws Exception {
        try (RawClient c = RawClient.connect(dg.fluxUrl() + Q)) {
            assertThat(c.next().path("type").asText()).isEqualTo("Connected");
            c.sendText("{\"type\":\"Configure\",\"thresholds\":{\"eot_threshold\":1.0,\"eot_timeout_ms\":1000},"
                    + "\"keyterms\":[\"Deepgram\"]}");
            JsonNode ok = c.next();
            assertThat(ok.path("type").asText()).isEqualTo("ConfigureSuccess");
            assertThat(ok.path("sequence_id").asInt()).isEqualTo(1);
            assertThat(ok.at("/thresholds/eot_threshold").asDouble()).isEqualTo(1.0);
            assertThat(ok.at("/thresholds/eot_timeout_ms").asInt()).isEqualTo(1000);
            assertThat(ok.path("keyterms").toString()).isEqualTo("[\"Deepgram\"]");
            // model EOT is now off: 600 ms of trailing silence does not end the turn; ForceEndTurn does
            c.send(cat(SpeechEncoder.encode("configured", PCM), SpeechEncoder.silence(0.3, PCM)));
            c.sendType("ForceEndTurn");
            List<JsonNode> got = c.until(m -> m.path("event").asText().equals("EndOfTurn"));
            assertThat(got.get(0).path("trigger").asText()).isEqualTo("manual");
            assertThat(events(got)).containsExactly("EndOfTurn", "StartOfTurn");
        }
    }

    @Test
    void eotTimeoutEndsTheTurnWhenModelEotIsDisabled() throws Exception {
        byte[] speech = SpeechEncoder.encode("manual mode", PCM);
        try (RawClient c = RawClient.connect(dg.fluxUrl() + Q + "&eot_threshold=1.0&eot_timeout_ms=1000")) {
            c.send(cat(speech, SpeechEncoder.silence(0.4, PCM))); // 700 ms of trailing silence
            c.sendType("ForceEndTurn");
            List<JsonNode> got = c.until(m -> m.path("event").asText().equals("EndOfTurn"));
            assertThat(got.get(0).path("trigger").asText()).isEqualTo("manual");
            assertThat(got.get(0).path("transcript").asText()).isEqualTo("Manual mode.");
            c.send(cat(speech, SpeechEncoder.silence(1.0, PCM)));
            JsonNode timeout =
                    c.until(m -> m.path("event").asText().equals("EndOfTurn")).get(0);
            assertThat(timeout.path("trigger").asText()).isEqualTo("timeout");
            assertThat(timeout.path("turn_index").asInt()).isEqualTo(1);
        }
    }

    @Test
    void configureFailuresLeaveTheConnectionOpen() throws Exception {
        try (RawClient c = RawClient.connect(dg.fluxUrl() + Q)) {
            c.next("Connected");
            for (String bad : List.of(
                    "{\"type\":\"Configure\",\"thresholds\":{\"eot_threshold\":0.2}}",
                    "{\"type\":\"Configure\",\"thresholds\":{\"eot_timeout_ms\":\"soon\"}}",
                    "{\"type\":\"Configure\",\"keyterms\":\"notalist\"}",
                    "{\"type\":\"Configure\",\"language_hints\":[\"es\"]}")) {
                c.sendText(bad);
                JsonNode f = c.next();
                assertThat(f.path("type").asText()).isEqualTo("ConfigureFailure");
                assertThat(f.path("code").asText()).isNotBlank();
                assertThat(f.path("description").asText()).isNotBlank();
            }
            c.sendText("{\"type\":\"Configure\"}");
            JsonNode ok = c.next();
            assertThat(ok.path("type").asText()).isEqualTo("ConfigureSuccess");
            assertThat(ok.at("/thresholds/eot_threshold").asDouble()).isEqualTo(0.7);
            assertThat(ok.path("sequence_id").asInt()).isEqualTo(5);
        }
        try (RawClient c =
                RawClient.connect(dg.fluxUrl() + "?model=flux-general-multi&encoding=linear16&sample_rate=16000")) {
            c.next("Connected");
            c.sendText("{\"type\":\"Configure\",\"language_hints\":[\"es\",\"en\"]}");
            assertThat(c.next().path("language_hints").toString()).isEqualTo("[\"es\",\"en\"]");
        }
    }

    @Test
    void forceEndTurnWithoutATurnIsIgnored() throws Exception {
        try (RawClient c = RawClient.connect(dg.fluxUrl() + Q)) {
            c.next("Connected");
            c.sendType("ForceEndTurn");
            c.assertQuietFor(Duration.ofMillis(300));
        }
    }

    @Test
    void closeStreamMidTurnSendsTrailingUpdatesThenClosesWithoutStatus() throws Exception {
        byte[] speech = SpeechEncoder.encode("cut short", PCM);
        byte[] part = Arrays.copyOf(speech, speech.length - (int) PCM.bytesFor(0.32));
        List<JsonNode> ms = stream(Q, part);
        assertThat(events(ms)).containsExactly("StartOfTurn");
        JsonNode last = ms.get(ms.size() - 1);
        assertThat(last.path("event").asText()).isEqualTo("Update");
        assertThat(last.path("transcript").asText()).startsWith("Cut sh");
        assertThat(ms.stream().filter(m -> m.path("type").asText().equals("Metadata")))
                .isEmpty();
    }

    @Test
    void unknownMessageTypeIsAFatalErrorThenClose() throws Exception {
        for (String text : List.of("{\"type\":\"KeepAlive\"}", "not json")) {
            try (RawClient c = RawClient.connect(dg.fluxUrl() + Q)) {
                c.next("Connected");
                c.sendText(text);
                JsonNode e = c.next();
                assertThat(e.path("type").asText()).isEqualTo("Error");
                assertThat(e.path("code").asText()).isEqualTo("UNPARSABLE_CLIENT_MESSAGE");
                assertThat(e.path("sequence_id").asInt()).isEqualTo(1);
                assertThat(e.path("description").asText()).isNotBlank();
                assertThat(c.awaitClose().code()).isEqualTo(1008);
            }
        }
    }

    @Test
    void idleTimeoutUnlessPingsArrive() throws Exception {
        try (RawClient c = RawClient.connect(dg.fluxUrl() + Q)) {
            c.next("Connected");
            for (int i = 0; i < 6; i++) { // 6 × 250 ms > the 700 ms idle timeout
                c.ping();
                assertThat(c.pongs.poll(RawClient.WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))
                        .isNotNull();
                c.assertQuietFor(Duration.ofMillis(250));
            }
            RawClient.Closed closed = c.awaitClose();
            assertThat(closed.code()).isEqualTo(1011);
            assertThat(closed.reason()).startsWith("NET-0001");
        }
        RecordedConnection rec = dg.connections().stream()
                .filter(r -> r.pingsReceived() == 6)
                .findFirst()
                .orElseThrow();
        assertThat(rec.closedBy()).contains(ClosedBy.SERVER);
        assertThat(new ArrayList<>(rec.sentTypes())).containsExactly("Connected");
    }
}
