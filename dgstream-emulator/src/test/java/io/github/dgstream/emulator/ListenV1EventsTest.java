package io.github.dgstream.emulator;

import static io.github.dgstream.emulator.ListenV1Test.finals;
import static io.github.dgstream.emulator.ListenV1Test.ofType;
import static io.github.dgstream.emulator.ListenV1Test.transcript;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dgstream.emulator.speech.AudioFormat;
import io.github.dgstream.emulator.speech.ExpectedWord;
import io.github.dgstream.emulator.speech.SpeechEncoder;
import java.time.Duration;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ListenV1EventsTest {
    static final AudioFormat PCM16K = AudioFormat.linear16(16000);
    static final String RAW16K = "?encoding=linear16&sample_rate=16000&model=nova-3";
    static DeepgramEmulator dg;

    @BeforeAll
    static void start() {
        dg = DeepgramEmulator.builder()
                .listenIdleTimeout(Duration.ofMillis(700))
                .start();
    }

    @AfterAll
    static void stop() {
        dg.close();
    }

    static List<JsonNode> run(String query, byte[] audio) throws Exception {
        try (RawClient c = RawClient.connect(dg.listenUrl() + query)) {
            c.sendChunked(audio, 1600);
            c.sendType("CloseStream");
            return c.messagesUntilClosed();
        }
    }

    @Test
    void interimResultsRoughlyEverySecondWhileSpeechIsPending() throws Exception {
        String text = "a rather long utterance without any pause that keeps going and going for several seconds";
        List<JsonNode> ms = run(RAW16K + "&interim_results=true&endpointing=false", SpeechEncoder.encode(text, PCM16K));
        List<JsonNode> interims = ofType(ms, "Results").stream()
                .filter(m -> !m.path("is_final").asBoolean())
                .toList();
        double audioSeconds = PCM16K.secondsOf(SpeechEncoder.encode(text, PCM16K).length);
        assertThat(interims.size()).isBetween((int) (audioSeconds / 2), (int) audioSeconds + 1);
        for (JsonNode i : interims) {
            assertThat(i.path("speech_final").asBoolean()).isFalse();
        }
        // an interim's text is a prefix of what the final for its window then says
        assertThat(transcript(finals(ms))).isEqualTo(String.join(" ", SpeechEncoder.words(text)));
    }

    @Test
    void speechFinalAfterEndpointingSilenceAndNotInsideWordGaps() throws Exception {
        String text = "first utterance here. second one";
        List<JsonNode> ms = run(RAW16K + "&endpointing=300", SpeechEncoder.encode(text, PCM16K));
        List<JsonNode> sf = finals(ms).stream()
                .filter(m -> m.path("speech_final").asBoolean())
                .toList();
        assertThat(sf).hasSize(2);
        assertThat(transcript(List.of(sf.get(0)))).isEqualTo("first utterance here");
        List<ExpectedWord> tl = SpeechEncoder.timeline(text, PCM16K);
        double end =
                sf.get(0).path("start").asDouble() + sf.get(0).path("duration").asDouble();
        assertThat(end)
                .isGreaterThan(tl.get(2).end() + 0.25)
                .isLessThan(tl.get(3).start());
    }

    @Test
    void defaultEndpointingOf10msEndsEveryWord() throws Exception {
        List<JsonNode> ms = run(RAW16K, SpeechEncoder.encode("three short words", PCM16K));
        assertThat(finals(ms).stream().filter(m -> m.path("speech_final").asBoolean()))
                .hasSize(3);
    }

    @Test
    void punctuateCapitalisesAndEndsSentences() throws Exception {
        List<JsonNode> ms = run(
                RAW16K + "&endpointing=300&punctuate=true",
                SpeechEncoder.encode("hello there. general kenobi", PCM16K));
        assertThat(transcript(finals(ms))).isEqualTo("Hello there. General kenobi.");
        JsonNode w = finals(ms).get(0).at("/channel/alternatives/0/words/0");
        assertThat(w.path("word").asText()).isEqualTo("hello");
        assertThat(w.path("punctuated_word").asText()).isEqualTo("Hello");
    }

    @Test
    void speechStartedAtEachUtteranceWithVadEvents() throws Exception {
        String text = "one two. three four";
        List<JsonNode> ms = run(RAW16K + "&vad_events=true&endpointing=300", SpeechEncoder.encode(text, PCM16K));
        List<JsonNode> ss = ofType(ms, "SpeechStarted");
        List<ExpectedWord> tl = SpeechEncoder.timeline(text, PCM16K);
        assertThat(ss).hasSize(2);
        assertThat(ss.get(0).path("timestamp").asDouble()).isCloseTo(tl.get(0).start(), Offset.offset(0.02));
        assertThat(ss.get(1).path("timestamp").asDouble()).isCloseTo(tl.get(2).start(), Offset.offset(0.02));
        assertThat(ss.get(0).path("channel").toString()).isEqualTo("[0,1]");
        assertThat(ms.indexOf(ss.get(0))).isLessThan(ms.indexOf(finals(ms).get(0)));
        assertThat(ofType(run(RAW16K, SpeechEncoder.encode(text, PCM16K)), "SpeechStarted"))
                .isEmpty();
    }

    @Test
    void utteranceEndAfterTheGapWithLastDeliveredWordEnd() throws Exception {
        String text = "before the gap. after";
        byte[] audio = concat(SpeechEncoder.encode("before the gap", PCM16K), SpeechEncoder.silence(1.2, PCM16K));
        List<JsonNode> ms = run(RAW16K + "&interim_results=true&utterance_end_ms=1000&endpointing=false", audio);
        List<JsonNode> ue = ofType(ms, "UtteranceEnd");
        assertThat(ue).hasSize(1);
        double lastEnd = SpeechEncoder.timeline(text, PCM16K).get(2).end();
        assertThat(ue.get(0).path("last_word_end").asDouble()).isCloseTo(lastEnd, Offset.offset(0.02));
        assertThat(ue.get(0).path("channel").toString()).isEqualTo("[0,1]");
        // the words were delivered in a final before the UtteranceEnd
        int ueAt = ms.indexOf(ue.get(0));
        assertThat(transcript(finals(ms.subList(0, ueAt)))).isEqualTo("before the gap");
        assertThat(ofType(run(RAW16K + "&interim_results=true", audio), "UtteranceEnd"))
                .isEmpty();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void finalizeFlushesWithFromFinalizeAndKeepsTheConnectionOpen() throws Exception {
        byte[] speech = SpeechEncoder.encode("finalize me", PCM16K);
        byte[] cut = java.util.Arrays.copyOf(speech, speech.length - (int) PCM16K.bytesFor(0.31)); // mid last word
        try (RawClient c = RawClient.connect(dg.listenUrl() + RAW16K + "&endpointing=false")) {
            c.send(cut);
            c.sendType("Finalize");
            JsonNode f = c.next("Results");
            assertThat(f.path("is_final").asBoolean()).isTrue();
            assertThat(f.path("from_finalize").asBoolean()).isTrue();
            assertThat(f.at("/channel/alternatives/0/transcript").asText()).startsWith("finalize m");
            assertThat(f.path("start").asDouble() + f.path("duration").asDouble())
                    .isCloseTo(PCM16K.secondsOf(cut.length), Offset.offset(0.002));
            c.send(SpeechEncoder.silence(0.2, PCM16K));
            c.sendType("KeepAlive");
            c.assertQuietFor(Duration.ofMillis(300));
            c.sendType("CloseStream");
            List<JsonNode> rest = c.messagesUntilClosed();
            assertThat(rest.get(rest.size() - 1).path("type").asText()).isEqualTo("Metadata");
            for (JsonNode r : ofType(rest, "Results")) {
                assertThat(r.path("from_finalize").asBoolean()).isFalse();
            }
        }
        RecordedConnection rec = dg.connections().get(dg.connections().size() - 1);
        assertThat(rec.controlTypes()).containsExactly("Finalize", "KeepAlive", "CloseStream");
        assertThat(rec.controlMessages().get(0).audioSeconds())
                .isCloseTo(PCM16K.secondsOf(cut.length), Offset.offset(1e-9));
    }

    @Test
    void zeroLengthBinaryFrameClosesLikeCloseStream() throws Exception {
        try (RawClient c = RawClient.connect(dg.listenUrl() + RAW16K)) {
            c.send(SpeechEncoder.encode("bye", PCM16K));
            c.send(new byte[0]);
            List<JsonNode> ms = c.messagesUntilClosed();
            assertThat(transcript(finals(ms))).isEqualTo("bye");
            assertThat(ms.get(ms.size() - 1).path("type").asText()).isEqualTo("Metadata");
            assertThat(c.awaitClose().code()).isEqualTo(1000);
        }
    }

    @Test
    void keepAliveGetsNoReplyAndResetsTheIdleTimer() throws Exception {
        try (RawClient c = RawClient.connect(dg.listenUrl() + RAW16K)) {
            long start = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                c.sendType("KeepAlive");
                c.assertQuietFor(Duration.ofMillis(300)); // 5 × 300 ms > the 700 ms idle timeout
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(1400));
        }
    }

    @Test
    void net0001AfterIdleTimeoutWithIncompleteMetadataFirst() throws Exception {
        try (RawClient c = RawClient.connect(dg.listenUrl() + RAW16K)) {
            c.send(SpeechEncoder.silence(0.5, PCM16K));
            List<JsonNode> ms = c.messagesUntilClosed();
            RawClient.Closed closed = c.awaitClose();
            assertThat(closed.code()).isEqualTo(1011);
            assertThat(closed.reason())
                    .isEqualTo("Deepgram did not receive audio data or a text message within the timeout window."
                            + " See https://dpgr.am/net0001");
            JsonNode md = ms.get(ms.size() - 1);
            assertThat(md.path("type").asText()).isEqualTo("Metadata");
            assertThat(md.path("sha256").asText()).isEqualTo("incomplete");
            assertThat(md.path("duration").asDouble()).isEqualTo(0.5);
        }
    }

    @Test
    void data0000WhenAContainerArrivesOnARawStream() throws Exception {
        try (RawClient c = RawClient.connect(dg.listenUrl() + RAW16K)) {
            c.send(SpeechEncoder.encodeWav("wav", 16000));
            RawClient.Closed closed = c.awaitClose();
            assertThat(closed.code()).isEqualTo(1008);
            assertThat(closed.reason()).startsWith("DATA-0000");
        }
    }

    @Test
    void data0000WhenNoEncodingAndNoWavHeader() throws Exception {
        try (RawClient c = RawClient.connect(dg.listenUrl() + "?model=nova-3")) {
            c.send(SpeechEncoder.encode("raw", PCM16K));
            assertThat(c.awaitClose().code()).isEqualTo(1008);
        }
    }

    @Test
    void oddLinear16ByteCountsAreFine() throws Exception {
        byte[] audio = SpeechEncoder.encode("odd chunks", PCM16K);
        try (RawClient c = RawClient.connect(dg.listenUrl() + RAW16K)) {
            c.sendChunked(audio, 333);
            c.sendType("CloseStream");
            assertThat(transcript(finals(c.messagesUntilClosed()))).isEqualTo("odd chunks");
        }
    }

    @Test
    void wavContainerWithoutEncodingIsDecoded() throws Exception {
        List<JsonNode> ms = run("?model=nova-3", SpeechEncoder.encodeWav("contained speech", 16000));
        assertThat(transcript(finals(ms))).isEqualTo("contained speech");
    }

    @Test
    void mulawAnd8kAnd48kDecode() throws Exception {
        assertThat(transcript(finals(run(
                        "?encoding=mulaw&sample_rate=8000",
                        SpeechEncoder.encode("mu law works", AudioFormat.mulaw8k())))))
                .isEqualTo("mu law works");
        assertThat(transcript(finals(run(
                        "?encoding=linear16&sample_rate=8000",
                        SpeechEncoder.encode("eight kilohertz", AudioFormat.linear16(8000))))))
                .isEqualTo("eight kilohertz");
        assertThat(transcript(finals(run(
                        "?encoding=linear16&sample_rate=48000",
                        SpeechEncoder.encode("forty eight", AudioFormat.linear16(48000))))))
                .isEqualTo("forty eight");
    }

    @Test
    void unparsableTextGetsSchemaErrorAndTheConnectionStaysOpen() throws Exception {
        try (RawClient c = RawClient.connect(dg.listenUrl() + RAW16K)) {
            c.sendText("this is not json");
            JsonNode e = c.next();
            assertThat(e.path("type").asText()).isEqualTo("Error");
            assertThat(e.path("variant").asText()).isEqualTo("SchemaError");
            assertThat(e.path("message").asText()).isEqualTo("this is not json");
            assertThat(e.path("description").asText()).isNotEmpty();
            c.sendText("{\"type\":\"NoSuchThing\"}");
            assertThat(c.next().path("variant").asText()).isEqualTo("SchemaError");
            c.send(SpeechEncoder.encode("still open", PCM16K));
            c.sendType("CloseStream");
            assertThat(transcript(finals(c.messagesUntilClosed()))).isEqualTo("still open");
        }
    }

    @Test
    void configureKeytermsIsAcknowledged() throws Exception {
        try (RawClient c = RawClient.connect(dg.listenUrl() + RAW16K)) {
            c.sendText("{\"type\":\"Configure\",\"keyterms\":[\"Deepgram\"]}");
            JsonNode ok = c.next();
            assertThat(ok.path("type").asText()).isEqualTo("ConfigureSuccess");
            assertThat(ok.path("keyterms").toString()).isEqualTo("[\"Deepgram\"]");
        }
        try (RawClient c = RawClient.connect(dg.listenUrl() + "?encoding=linear16&sample_rate=16000&model=nova-2")) {
            c.sendText("{\"type\":\"Configure\",\"keyterms\":[\"Deepgram\"]}");
            JsonNode no = c.next();
            assertThat(no.path("type").asText()).isEqualTo("ConfigureFailure");
            assertThat(no.path("code").asText()).isEqualTo("KeytermsNotSupported");
        }
    }

    @Test
    void nothingIsSentBeforeAudio() throws Exception {
        try (RawClient c = RawClient.connect(dg.listenUrl() + RAW16K + "&vad_events=true&interim_results=true")) {
            c.assertQuietFor(Duration.ofMillis(400));
        }
    }
}
