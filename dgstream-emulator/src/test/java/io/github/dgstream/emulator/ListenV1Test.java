package io.github.dgstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dgstream.emulator.speech.AudioFormat;
import io.github.dgstream.emulator.speech.SpeechEncoder;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ListenV1Test {
    static final AudioFormat PCM16K = AudioFormat.linear16(16000);
    static final String RAW16K = "?encoding=linear16&sample_rate=16000&model=nova-3";
    static DeepgramEmulator dg;

    @BeforeAll
    static void start() {
        dg = DeepgramEmulator.builder()
                .listenIdleTimeout(Duration.ofMillis(800))
                .start();
    }

    @AfterAll
    static void stop() {
        dg.close();
    }

    static List<JsonNode> ofType(List<JsonNode> ms, String type) {
        return ms.stream().filter(m -> m.path("type").asText().equals(type)).toList();
    }

    static List<JsonNode> finals(List<JsonNode> ms) {
        return ofType(ms, "Results").stream()
                .filter(m -> m.path("is_final").asBoolean())
                .toList();
    }

    static String transcript(List<JsonNode> results) {
        return results.stream()
                .map(m -> m.at("/channel/alternatives/0/transcript").asText())
                .filter(s -> !s.isEmpty())
                .collect(Collectors.joining(" "));
    }

    /** Sends the text, then CloseStream, and returns every message until the close. */
    static List<JsonNode> transcribe(String query, String text, AudioFormat f, int chunkBytes) throws Exception {
        try (RawClient c = RawClient.connect(dg.listenUrl() + query)) {
            c.sendChunked(SpeechEncoder.encode(text, f), chunkBytes);
            c.sendType("CloseStream");
            List<JsonNode> ms = c.messagesUntilClosed();
            assertThat(c.awaitClose().code()).isEqualTo(1000);
            return ms;
        }
    }

    @Test
    void finalsCarryTheTextThenMetadataThenClose1000() throws Exception {
        String text = "hello world. the quick brown fox. jumps over the lazy dog";
        byte[] audio = SpeechEncoder.encode(text, PCM16K);
        try (RawClient c = RawClient.connect(dg.listenUrl() + RAW16K + "&endpointing=300")) {
            c.sendChunked(audio, 3200);
            c.sendType("CloseStream");
            List<JsonNode> ms = c.messagesUntilClosed();
            RawClient.Closed closed = c.awaitClose();
            assertThat(closed.code()).isEqualTo(1000);
            assertThat(transcript(finals(ms))).isEqualTo("hello world the quick brown fox jumps over the lazy dog");
            JsonNode last = ms.get(ms.size() - 1);
            assertThat(last.path("type").asText()).isEqualTo("Metadata");
            assertThat(last.path("transaction_key").asText()).isEqualTo("deprecated");
            assertThat(last.path("sha256").asText())
                    .isEqualTo(HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(audio)));
            assertThat(last.path("duration").asDouble()).isCloseTo(PCM16K.secondsOf(audio.length), within());
            assertThat(last.path("channels").asInt()).isEqualTo(1);
            assertThat(last.path("created").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            String modelUuid = last.path("models").get(0).asText();
            assertThat(last.path("model_info").has(modelUuid)).isTrue();
            List<JsonNode> sf = finals(ms).stream()
                    .filter(m -> m.path("speech_final").asBoolean())
                    .toList();
            assertThat(sf).hasSize(3);
            assertThat(transcript(List.of(sf.get(0)))).isEqualTo("hello world");
            JsonNode first = finals(ms).get(0);
            assertThat(first.path("channel_index").toString()).isEqualTo("[0,1]");
            assertThat(first.at("/metadata/request_id").asText())
                    .isEqualTo(last.path("request_id").asText());
            assertThat(first.at("/metadata/model_uuid").asText()).isEqualTo(modelUuid);
            assertThat(first.at("/channel/alternatives/0/words/0/confidence").asDouble())
                    .isGreaterThan(0.5);
        }
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(0.002);
    }

    @Test
    void finalsAreContiguousAndNoWordStraddlesABoundary() throws Exception {
        String text = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
                + " sixteen seventeen eighteen nineteen twenty twentyone twentytwo twentythree";
        List<JsonNode> ms = transcribe(RAW16K + "&endpointing=false", text, PCM16K, 1000);
        List<JsonNode> finals = finals(ms);
        assertThat(finals.size()).isGreaterThanOrEqualTo(3); // forced finals every ~3 s even without endpointing
        double prevEnd = 0;
        for (JsonNode f : finals) {
            double start = f.path("start").asDouble();
            double end = start + f.path("duration").asDouble();
            assertThat(start).isCloseTo(prevEnd, within());
            for (JsonNode w : f.at("/channel/alternatives/0/words")) {
                assertThat(w.path("start").asDouble()).isGreaterThanOrEqualTo(start);
                assertThat(w.path("end").asDouble()).isLessThanOrEqualTo(end);
            }
            assertThat(f.path("speech_final").asBoolean()).isFalse();
            prevEnd = end;
        }
        assertThat(transcript(finals)).isEqualTo(String.join(" ", SpeechEncoder.words(text)));
    }

    @Test
    void wordTimesAreOnTheConnectionTimeline() throws Exception {
        String text = "alpha beta. gamma delta";
        List<JsonNode> ms = transcribe(RAW16K + "&endpointing=200", text, PCM16K, 640);
        List<JsonNode> words = new ArrayList<>();
        finals(ms).forEach(f -> f.at("/channel/alternatives/0/words").forEach(words::add));
        var expected = SpeechEncoder.timeline(text, PCM16K);
        assertThat(words).hasSize(expected.size());
        for (int i = 0; i < words.size(); i++) {
            assertThat(words.get(i).path("word").asText())
                    .isEqualTo(expected.get(i).word());
            assertThat(words.get(i).path("start").asDouble())
                    .isCloseTo(expected.get(i).start(), offset20ms());
            assertThat(words.get(i).path("end").asDouble())
                    .isCloseTo(expected.get(i).end(), offset20ms());
        }
    }

    private static org.assertj.core.data.Offset<Double> offset20ms() {
        return org.assertj.core.data.Offset.offset(0.02);
    }

    @Test
    void resultsDoNotDependOnChunking() throws Exception {
        String text = "chunking must not matter. at all";
        String q = RAW16K + "&interim_results=true&endpointing=300&vad_events=true";
        List<JsonNode> a = transcribe(q, text, PCM16K, 320);
        List<JsonNode> b = transcribe(q, text, PCM16K, 7777);
        a = a.subList(0, a.size() - 1); // Metadata differs (request id, created)
        b = b.subList(0, b.size() - 1);
        assertThat(strip(b)).isEqualTo(strip(a));
    }

    private static List<String> strip(List<JsonNode> ms) {
        return ms.stream()
                .map(m -> {
                    var copy = m.deepCopy();
                    if (copy instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
                        o.remove("metadata");
                    }
                    return copy.toString();
                })
                .toList();
    }
}
