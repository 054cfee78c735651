package io.github.dgstream.internal;

import static io.github.dgstream.internal.HostileServerInputTest.finite;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.dgstream.DeepgramEvent;
import io.github.dgstream.DeepgramException;
import io.github.dgstream.FluxEvent;
import io.github.dgstream.FluxOptions;
import io.github.dgstream.UnhandledMessage;
import io.github.dgstream.Word;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile server input to the Flux decoder, with the v1 trust rules ({@link ServerInput}): a {@code TurnInfo} whose
 * window or word times are missing, of the wrong type, negative, non-finite or far beyond the audio sent on the socket,
 * or whose {@code turn_index} is not a plausible integer, comes back as UNHANDLED plus a retryable PROTOCOL error (the
 * engine then replaces the connection and the unfinished turn is transcribed again). Seeded mutations never make
 * {@link FluxAdapter#decode} throw and never yield a turn event carrying an impossible value.
 */
class FluxHostileInputTest {
    static final long SEED = 0xF1_0C5L;
    static final String START = turn("StartOfTurn", 0, 1.0, 1.2, "");
    static final String UPDATE = turn("Update", 0, 1.0, 1.5, "hello");
    static final String EOT = "{\"type\":\"TurnInfo\",\"request_id\":\"r\",\"sequence_id\":5,\"event\":\"EndOfTurn\","
            + "\"turn_index\":0,\"audio_window_start\":1.0,\"audio_window_end\":2.5,\"transcript\":\"Hello world.\","
            + "\"words\":[{\"word\":\"Hello\",\"confidence\":0.9,\"start\":1.1,\"end\":1.4},{\"word\":\"world.\","
            + "\"confidence\":0.8,\"start\":1.5,\"end\":2.0}],\"end_of_turn_confidence\":0.9,\"trigger\":\"model\"}";
    static final List<String> VALID = List.of(
            START,
            UPDATE,
            EOT,
            "{\"type\":\"Connected\",\"request_id\":\"r\",\"sequence_id\":0}",
            "{\"type\":\"Error\",\"sequence_id\":3,\"code\":\"INTERNAL_SERVER_ERROR\",\"description\":\"boom\"}",
            "{\"type\":\"ConfigureSuccess\",\"request_id\":\"r\",\"sequence_id\":2,\"thresholds\":{\"eot_threshold\":0.8}}");

    static String turn(String event, int index, double start, double end, String text) {
        return "{\"type\":\"TurnInfo\",\"request_id\":\"r\",\"sequence_id\":1,\"event\":\"" + event
                + "\",\"turn_index\":" + index + ",\"audio_window_start\":" + start + ",\"audio_window_end\":" + end
                + ",\"transcript\":\"" + text + "\",\"words\":[],\"end_of_turn_confidence\":0.1}";
    }

    static FluxAdapter adapter() {
        FluxAdapter a = new FluxAdapter(FluxOptions.builder()
                .model("flux-general-en")
                .encoding("linear16")
                .sampleRate(16000)
                .build());
        a.onNewSocket(0);
        return a;
    }

    /** A socket that carried 10 s of audio, starting at session time 2 s (as in {@link HostileServerInputTest}). */
    static SocketTimeline timeline() {
        return HostileServerInputTest.timeline();
    }

    static ProtocolAdapter.Decoded decode(String json) {
        FluxAdapter a = adapter();
        SocketTimeline t = timeline();
        if (!json.contains("\"StartOfTurn\"")) {
            a.decode(START, t); // inside a turn, so Updates and EndOfTurn would be delivered
        }
        return a.decode(json, t);
    }

    static void assertUntrusted(String json) {
        ProtocolAdapter.Decoded d = decode(json);
        assertThat(d.serverError()).as(json).isNotNull();
        assertThat(d.serverError().kind()).isEqualTo(DeepgramException.Kind.PROTOCOL);
        assertThat(d.serverError().isRetryable()).isTrue();
        assertThat(d.serverError().getMessage()).startsWith("Untrusted TurnInfo message");
        assertThat(d.events()).singleElement().isInstanceOf(UnhandledMessage.class);
        assertThat(d.watermarkSeconds()).isNaN();
    }

    @Test
    void validTurnInfoIsStillDecoded() {
        ProtocolAdapter.Decoded d = decode(EOT);
        assertThat(d.serverError()).isNull();
        assertThat(d.events()).singleElement().isInstanceOf(FluxEvent.EndOfTurn.class);
        assertThat(d.watermarkSeconds()).isEqualTo(4.5);
        assertThat(decode(START).events()).singleElement().isInstanceOf(FluxEvent.StartOfTurn.class);
        assertThat(decode(UPDATE).events()).singleElement().isInstanceOf(FluxEvent.Update.class);
    }

    @Test
    void nonFiniteTimesAreNotTrusted() {
        // before: 1e400 became Infinity, the EndOfTurn watermark Infinity, and the next replay skipped all audio
        assertUntrusted(EOT.replace("\"audio_window_end\":2.5", "\"audio_window_end\":1e400"));
        assertUntrusted(EOT.replace("\"audio_window_start\":1.0", "\"audio_window_start\":-1e400"));
        assertUntrusted(EOT.replace("\"end\":2.0", "\"end\":1e400"));
        assertUntrusted(EOT.replace("\"end_of_turn_confidence\":0.9", "\"end_of_turn_confidence\":1e400"));
    }

    @Test
    void negativeTimesAreNotTrusted() {
        assertUntrusted(EOT.replace("\"audio_window_start\":1.0", "\"audio_window_start\":-1.0"));
        assertUntrusted(EOT.replace("\"audio_window_end\":2.5", "\"audio_window_end\":-0.5"));
        assertUntrusted(EOT.replace("\"start\":1.1", "\"start\":-3"));
    }

    @Test
    void timesFarBeyondTheAudioSentAreNotTrusted() {
        // the socket carried 10 s of audio: an EndOfTurn at 100 s would move the watermark past audio never sent
        assertUntrusted(EOT.replace("\"audio_window_end\":2.5", "\"audio_window_end\":100"));
        assertUntrusted(EOT.replace("\"end\":2.0", "\"end\":1e12"));
        assertUntrusted(turn("Update", 0, 1.0, 12.5, "x"));
        assertThat(decode(turn("Update", 0, 1.0, 11.9, "x")).serverError())
                .as("within the slack")
                .isNull();
    }

    @Test
    void impossibleTurnIndexIsNotTrusted() {
        assertUntrusted(EOT.replace("\"turn_index\":0", "\"turn_index\":-1"));
        assertUntrusted(EOT.replace("\"turn_index\":0", "\"turn_index\":1.5"));
        assertUntrusted(EOT.replace("\"turn_index\":0", "\"turn_index\":1e400"));
        assertUntrusted(EOT.replace("\"turn_index\":0", "\"turn_index\":\"0\""));
        assertUntrusted(EOT.replace("\"turn_index\":0", "\"turn_index\":2147483648"));
        assertUntrusted(EOT.replace("\"turn_index\":0,", ""));
    }

    @Test
    void wrongTypesAndMissingWindowsAreNotTrusted() {
        assertUntrusted(EOT.replace("\"audio_window_start\":1.0,", ""));
        assertUntrusted(EOT.replace("\"audio_window_end\":2.5", "\"audio_window_end\":\"2.5\""));
        assertUntrusted(EOT.replace("\"audio_window_start\":1.0", "\"audio_window_start\":3.0")); // start > end
        assertUntrusted(EOT.replace("\"event\":\"EndOfTurn\"", "\"event\":7"));
        assertUntrusted(EOT.replace("\"transcript\":\"Hello world.\"", "\"transcript\":{\"a\":1}"));
        assertUntrusted(EOT.replace("\"words\":[", "\"words\":{\"w\":[").replace("}],\"end_of", "}]},\"end_of"));
        assertUntrusted(EOT.replace("{\"word\":\"Hello\"", "7,{\"word\":\"Hello\""));
        assertUntrusted(EOT.replace("\"start\":1.1", "\"start\":null"));
        assertUntrusted(EOT.replace("\"word\":\"Hello\"", "\"word\":[1]"));
    }

    @Test
    @Timeout(60)
    void tenThousandRandomMutationsDecodeBoundedWithoutEscapingExceptions() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        FluxAdapter a = adapter();
        SocketTimeline t = timeline();
        long start = System.nanoTime();
        int untrusted = 0;
        int typed = 0;
        for (int i = 0; i < 10_000; i++) {
            String input = i % 10 == 9
                    ? HostileServerInputTest.randomText(rnd)
                    : HostileServerInputTest.mutate(VALID.get(rnd.nextInt(VALID.size())), rnd);
            ProtocolAdapter.Decoded d;
            try {
                d = a.decode(input, t);
            } catch (Throwable e) {
                throw new AssertionError("seed " + SEED + ", iteration " + i + ": decode threw on " + input, e);
            }
            if (d.serverError() != null && d.serverError().kind() == DeepgramException.Kind.PROTOCOL) {
                untrusted++;
            }
            for (DeepgramEvent e : d.events()) {
                if (e instanceof FluxEvent.Turn) {
                    typed++;
                }
                assertSane(e, input);
            }
            double w = d.watermarkSeconds();
            assertThat(Double.isNaN(w) || (w >= 0 && w <= 12.0 + ServerInput.TIME_SLACK_SECONDS))
                    .as("watermark %s for %s", w, input)
                    .isTrue();
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("10000 Flux mutations: " + ms + " ms, untrusted " + untrusted + ", turn events " + typed);
        assertThat(ms).as("decoding time").isLessThan(20_000);
        assertThat(untrusted).isPositive();
        assertThat(typed).isPositive();
    }

    static void assertSane(DeepgramEvent e, String input) {
        if (e instanceof FluxEvent.Turn t) {
            double limit = 12.0 + ServerInput.TIME_SLACK_SECONDS;
            assertThat(finite(t.audioWindowStart())
                            && t.audioWindowStart() >= 0
                            && t.audioWindowEnd() >= t.audioWindowStart()
                            && t.audioWindowEnd() <= limit)
                    .as("window of %s", input)
                    .isTrue();
            assertThat(t.turnIndex()).as(input).isGreaterThanOrEqualTo(0);
            assertThat(finite(t.endOfTurnConfidence())).as(input).isTrue();
            for (Word w : t.words()) {
                assertThat(finite(w.start()) && finite(w.end()) && w.start() >= 0 && w.end() <= limit)
                        .as("word times of %s", input)
                        .isTrue();
            }
        }
    }
}
