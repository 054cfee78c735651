package io.github.dgstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dgstream.emulator.speech.SpeechEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The README's commands against the embedded emulator: the JSON schema and the drop demo. */
class TranscribeJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Path SAMPLE = Path.of("..", "samples", "conversation.wav");
    static final Path SAMPLE_TEXT = Path.of("..", "samples", "conversation.txt");

    static String sampleWords() throws IOException {
        return String.join(" ", SpeechEncoder.words(Files.readString(SAMPLE_TEXT)));
    }

    /** Flux punctuates and capitalises; the comparison is on the spoken words. */
    static String words(String transcript) {
        return String.join(" ", SpeechEncoder.words(transcript));
    }

    static List<JsonNode> parse(CliRun run) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : run.outLines()) {
            JsonNode node = JSON.readTree(line); // every stdout line is one JSON object
            assertThat(node.isObject()).as(line).isTrue();
            lines.add(node);
        }
        return lines;
    }

    static List<JsonNode> ofType(List<JsonNode> lines, String type) {
        return lines.stream().filter(n -> type.equals(n.path("type").asText())).toList();
    }

    @Test
    void sampleMatchesItsText() throws IOException {
        // The committed sample is exactly what 'dgstream encode' makes of the committed text.
        byte[] expected = SpeechEncoder.encodeWav(Files.readString(SAMPLE_TEXT), 16000);
        assertThat(Files.readAllBytes(SAMPLE)).isEqualTo(expected);
    }

    @Test
    void jsonSchemaWithoutFaults() throws IOException {
        CliRun run = CliRun.of("transcribe", SAMPLE.toString(), "--json", "--vad-events", "--utterance-end-ms", "500");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> lines = parse(run);
        Set<String> known = Set.of(
                "transcript",
                "speech_started",
                "utterance_end",
                "metadata",
                "reconnecting",
                "reconnected",
                "reconnect_failed",
                "error",
                "summary");
        assertThat(lines)
                .allSatisfy(n -> assertThat(known).contains(n.path("type").asText()));

        List<JsonNode> transcripts = ofType(lines, "transcript");
        assertThat(transcripts).isNotEmpty().allSatisfy(n -> {
            assertThat(n.path("is_final").isBoolean()).isTrue();
            assertThat(n.path("speech_final").isBoolean()).isTrue();
            assertThat(n.path("start").isNumber()).isTrue();
            assertThat(n.path("end").isNumber()).isTrue();
            assertThat(n.path("end").asDouble())
                    .isGreaterThanOrEqualTo(n.path("start").asDouble());
            assertThat(n.path("text").isTextual()).isTrue();
        });
        assertThat(transcripts).anyMatch(n -> !n.path("is_final").asBoolean()); // interim results are shown
        assertThat(ofType(lines, "speech_started"))
                .isNotEmpty()
                .allSatisfy(n -> assertThat(n.path("timestamp").isNumber()).isTrue());
        assertThat(ofType(lines, "utterance_end"))
                .isNotEmpty()
                .allSatisfy(n -> assertThat(n.path("last_word_end").isNumber()).isTrue());
        assertThat(ofType(lines, "metadata")).hasSize(1);

        JsonNode summary = lines.get(lines.size() - 1);
        assertThat(summary.path("type").asText()).isEqualTo("summary");
        assertThat(summary.path("transcript").asText()).isEqualTo(sampleWords());
        assertThat(summary.path("connections").asInt()).isEqualTo(1);
        assertThat(summary.path("reconnects").asInt()).isZero();
        assertThat(summary.path("audio_seconds").asDouble()).isBetween(27.0, 29.0);
        assertThat(run.err()).contains("embedded Deepgram emulator");
    }

    @ParameterizedTest(name = "v1 drop-mode {0}")
    @CsvSource({"close", "abrupt", "halfopen"})
    void dropDemoKeepsTheTranscriptWhole(String mode) throws IOException {
        CliRun run =
                CliRun.of("transcribe", SAMPLE.toString(), "--json", "--simulate-drop", "4,11", "--drop-mode", mode);
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> lines = parse(run);
        assertDropDemo(lines);
    }

    @ParameterizedTest(name = "flux drop-mode {0}")
    @CsvSource({"close", "abrupt", "halfopen"})
    void fluxDropDemoKeepsTheTurnsWhole(String mode) throws IOException {
        CliRun run = CliRun.of(
                "transcribe",
                SAMPLE.toString(),
                "--api",
                "flux",
                "--json",
                "--simulate-drop",
                "4,11",
                "--drop-mode",
                mode);
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> lines = parse(run);
        assertDropDemo(lines);
        List<JsonNode> ends = ofType(lines, "turn").stream()
                .filter(n -> "EndOfTurn".equals(n.path("event").asText()))
                .toList();
        assertThat(ends).extracting(n -> n.path("turn_index").asInt()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void fluxJsonSchemaCoversEveryTurnEvent() throws IOException {
        CliRun run =
                CliRun.of("transcribe", SAMPLE.toString(), "--api", "flux", "--json", "--eager-eot-threshold", "0.4");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> lines = parse(run);
        List<JsonNode> turns = ofType(lines, "turn");
        assertThat(turns).allSatisfy(n -> {
            assertThat(n.path("event").asText())
                    .isIn("StartOfTurn", "Update", "EagerEndOfTurn", "TurnResumed", "EndOfTurn");
            assertThat(n.path("turn_index").isIntegralNumber()).isTrue();
            assertThat(n.path("start").isNumber()).isTrue();
            assertThat(n.path("end").asDouble())
                    .isGreaterThanOrEqualTo(n.path("start").asDouble());
            assertThat(n.path("text").isTextual()).isTrue();
        });
        assertThat(turns)
                .extracting(n -> n.path("event").asText())
                .contains("StartOfTurn", "Update", "EagerEndOfTurn", "EndOfTurn");
        JsonNode summary = lines.get(lines.size() - 1);
        assertThat(summary.path("type").asText()).isEqualTo("summary");
        assertThat(words(summary.path("transcript").asText())).isEqualTo(sampleWords());
        assertThat(summary.path("connections").asInt()).isEqualTo(1);
        assertNonDecreasing(lines);
    }

    static void assertDropDemo(List<JsonNode> lines) throws IOException {
        List<JsonNode> reconnecting = ofType(lines, "reconnecting");
        List<JsonNode> reconnected = ofType(lines, "reconnected");
        assertThat(reconnected).hasSize(2);
        assertThat(reconnecting).hasSizeGreaterThanOrEqualTo(2).allSatisfy(n -> {
            assertThat(n.path("attempt").asInt()).isPositive();
            assertThat(n.path("delay_ms").isIntegralNumber()).isTrue();
            assertThat(n.path("cause").asText()).isNotBlank();
        });
        assertThat(reconnected).allSatisfy(n -> {
            assertThat(n.path("attempt").asInt()).isPositive();
            assertThat(n.path("downtime_ms").asLong()).isNotNegative();
            assertThat(n.path("replayed_ms").asLong()).isNotNegative();
            assertThat(n.path("lost_ms").asLong()).isZero();
        });
        JsonNode summary = lines.get(lines.size() - 1);
        assertThat(summary.path("type").asText()).isEqualTo("summary");
        assertThat(words(summary.path("transcript").asText())).isEqualTo(sampleWords());
        assertThat(summary.path("connections").asInt()).isEqualTo(3);
        assertThat(summary.path("reconnects").asInt()).isEqualTo(2);
        assertNonDecreasing(lines);
    }

    /** Final windows and every line's start never go back in session time. */
    static void assertNonDecreasing(List<JsonNode> lines) {
        double lastStart = -1;
        double lastFinalEnd = -1;
        for (JsonNode n : lines) {
            if (!n.has("start")) {
                continue;
            }
            double start = n.path("start").asDouble();
            double end = n.path("end").asDouble();
            assertThat(start).as("start of %s", n).isGreaterThanOrEqualTo(lastStart - 1e-9);
            lastStart = start;
            boolean isFinal = n.path("is_final").asBoolean()
                    || "EndOfTurn".equals(n.path("event").asText());
            if (isFinal) {
                assertThat(start).as("final %s", n).isGreaterThanOrEqualTo(lastFinalEnd - 1e-9);
                lastFinalEnd = end;
            }
        }
    }
}
