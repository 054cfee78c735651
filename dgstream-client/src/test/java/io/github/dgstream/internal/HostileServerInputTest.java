package io.github.dgstream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dgstream.DeepgramEvent;
import io.github.dgstream.DeepgramException;
import io.github.dgstream.LiveOptions;
import io.github.dgstream.StreamEvent;
import io.github.dgstream.UnhandledMessage;
import io.github.dgstream.Word;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile server input to the v1 decoder: malformed, mutated and random frames never make {@link V1Adapter#decode}
 * throw, never take unbounded time, and never yield a typed result with impossible values. A {@code Results}
 * message that cannot be trusted comes back as UNHANDLED plus a retryable PROTOCOL error (the engine then drops the
 * connection); anything else unusable is UNHANDLED. Randomness is seeded, so failures reproduce.
 */
class HostileServerInputTest {
    static final long SEED = 0x5EED_D6L;
    static final String RESULTS = "{\"type\":\"Results\",\"channel_index\":[0,1],\"duration\":1.5,\"start\":1.0,"
            + "\"is_final\":true,\"speech_final\":true,\"from_finalize\":false,\"channel\":{\"alternatives\":[{"
            + "\"transcript\":\"hello world\",\"confidence\":0.9,\"words\":[{\"word\":\"hello\",\"start\":1.1,"
            + "\"end\":1.4,\"confidence\":0.95,\"punctuated_word\":\"Hello\"},{\"word\":\"world\",\"start\":1.5,"
            + "\"end\":2.0,\"confidence\":0.9}]}]},\"metadata\":{\"request_id\":\"rid\"}}";
    static final List<String> VALID = List.of(
            RESULTS,
            "{\"type\":\"Metadata\",\"request_id\":\"r\",\"duration\":5.0,\"channels\":1,\"models\":[\"m\"]}",
            "{\"type\":\"SpeechStarted\",\"channel\":[0,1],\"timestamp\":0.25}",
            "{\"type\":\"UtteranceEnd\",\"channel\":[0,1],\"last_word_end\":1.4}",
            "{\"type\":\"Error\",\"variant\":\"InternalError\",\"code\":\"X\",\"description\":\"boom\"}");

    static V1Adapter adapter() {
        return new V1Adapter(
                LiveOptions.builder().encoding("linear16").sampleRate(16000).build());
    }

    /** A socket that carried 10 s of audio, starting at session time 2 s. */
    static SocketTimeline timeline() {
        SocketTimeline t = SocketTimeline.bytes(32000);
        t.sent(64000, 320000);
        return t;
    }

    static ProtocolAdapter.Decoded decode(String json) {
        return adapter().decode(json, timeline());
    }

    static void assertUntrusted(String json) {
        ProtocolAdapter.Decoded d = decode(json);
        assertThat(d.serverError()).as(json).isNotNull();
        assertThat(d.serverError().kind()).isEqualTo(DeepgramException.Kind.PROTOCOL);
        assertThat(d.serverError().isRetryable()).isTrue();
        assertThat(d.serverError().getMessage()).startsWith("Untrusted Results message");
        assertThat(d.events()).singleElement().isInstanceOf(UnhandledMessage.class);
        assertThat(d.watermarkSeconds()).isNaN();
    }

    static void assertUnhandled(String json) {
        ProtocolAdapter.Decoded d = decode(json);
        assertThat(d.serverError()).isNull();
        assertThat(d.events()).singleElement().isInstanceOf(UnhandledMessage.class);
        assertThat(d.watermarkSeconds()).isNaN();
    }

    @Test
    void validResultsAreStillDecoded() {
        ProtocolAdapter.Decoded d = decode(RESULTS);
        assertThat(d.serverError()).isNull();
        assertThat(d.events()).singleElement().isInstanceOf(StreamEvent.Transcript.class);
        assertThat(d.watermarkSeconds()).isEqualTo(4.5);
    }

    @Test
    void truncatedJsonIsReportedAsUnhandled() {
        for (int cut = 1; cut < RESULTS.length(); cut += 7) {
            assertUnhandled(RESULTS.substring(0, cut));
        }
    }

    @Test
    void unknownTypesAndNonObjectsAreUnhandled() {
        assertUnhandled("{\"type\":\"FancyNewThing\",\"x\":1}");
        assertUnhandled("[1,2,3]");
        assertUnhandled("42");
        assertUnhandled("null");
        assertUnhandled("");
        assertUnhandled("{\"type\":\"Results\",\"start\":NaN,\"duration\":1}"); // not JSON
        assertUnhandled("{\"type\":\"Results\",\"start\":Infinity,\"duration\":1}");
    }

    @Test
    void negativeChannelIndexIsNotTrusted() {
        // before: ArrayIndexOutOfBoundsException escaped decode and the session stopped reading
        assertUntrusted(RESULTS.replace("\"channel_index\":[0,1]", "\"channel_index\":[-1,1]"));
        assertUntrusted(RESULTS.replace("\"channel_index\":[0,1]", "\"channel_index\":[1,1]"));
    }

    @Test
    void hugeChannelCountIsNotTrusted() {
        // before: Arrays.copyOf(lastFinalEnd, 2000000000) threw OutOfMemoryError
        assertUntrusted(RESULTS.replace("\"channel_index\":[0,1]", "\"channel_index\":[0,2000000000]"));
        assertUntrusted(RESULTS.replace("\"channel_index\":[0,1]", "\"channel_index\":[0,1e300]"));
        assertUntrusted(RESULTS.replace("\"channel_index\":[0,1]", "\"channel_index\":\"0,1\""));
    }

    @Test
    void hugeNumbersInTimesAreNotTrusted() {
        // before: start 1e400 became Infinity and the watermark Double.MAX_VALUE, so later replay skipped audio
        assertUntrusted(RESULTS.replace("\"start\":1.0", "\"start\":1e400"));
        assertUntrusted(RESULTS.replace("\"duration\":1.5", "\"duration\":1e300"));
        assertUntrusted(RESULTS.replace("\"end\":2.0", "\"end\":1e12"));
    }

    @Test
    void negativeTimesAreNotTrusted() {
        assertUntrusted(RESULTS.replace("\"start\":1.0", "\"start\":-1.0"));
        assertUntrusted(RESULTS.replace("\"duration\":1.5", "\"duration\":-0.5"));
        assertUntrusted(RESULTS.replace("\"start\":1.1", "\"start\":-3"));
    }

    @Test
    void resultBeyondTheAudioSentIsNotTrusted() {
        // the socket carried 10 s of audio; a final ending at 100 s would confirm audio never sent
        assertUntrusted(RESULTS.replace("\"start\":1.0", "\"start\":98.5"));
    }

    @Test
    void wrongTypesInResultsAreNotTrusted() {
        assertUntrusted(RESULTS.replace("\"start\":1.0", "\"start\":\"1.0\""));
        assertUntrusted(RESULTS.replace("\"start\":1.0,", ""));
        assertUntrusted(RESULTS.replace("\"is_final\":true", "\"is_final\":\"yes\""));
        String head = "{\"type\":\"Results\",\"start\":0,\"duration\":1,\"is_final\":true,";
        assertUntrusted(head + "\"channel\":[1,2]}");
        assertUntrusted(head + "\"channel\":{\"alternatives\":{\"a\":1}}}");
        assertUntrusted(head + "\"channel\":{\"alternatives\":[7]}}");
        assertUntrusted(head + "\"channel\":{\"alternatives\":[{\"words\":{\"w\":1}}]}}");
        assertUntrusted(head + "\"channel\":{\"alternatives\":[{\"words\":[\"hello\"]}]}}");
        assertUntrusted(head + "\"channel\":{\"alternatives\":[{\"words\":[{\"start\":0,\"end\":1,"
                + "\"speaker\":\"bob\"}]}]}}");
        assertUntrusted(RESULTS.replace("\"start\":1.5", "\"start\":null"));
    }

    @Test
    void badTimesInOtherEventsAreUnhandled() {
        assertUnhandled("{\"type\":\"SpeechStarted\",\"channel\":[0,1],\"timestamp\":-1}");
        assertUnhandled("{\"type\":\"SpeechStarted\",\"channel\":[0,1],\"timestamp\":1e999}");
        assertUnhandled("{\"type\":\"UtteranceEnd\",\"channel\":[0,1],\"last_word_end\":\"x\"}");
        assertUnhandled("{\"type\":\"UtteranceEnd\",\"channel\":[0,1],\"last_word_end\":1e308}");
    }

    @Test
    @Timeout(10)
    void deeplyNestedJsonIsRejectedQuickly() {
        assertUnhandled("[".repeat(100_000));
        assertUnhandled("{\"a\":".repeat(100_000));
        assertUnhandled("{\"type\":\"Results\",\"x\":" + "[".repeat(65) + "]".repeat(65) + "}");
    }

    @Test
    @Timeout(10)
    void hugeNumberLiteralsAreRejectedQuickly() {
        assertUnhandled("{\"type\":\"Results\",\"start\":" + "9".repeat(100_000) + ",\"duration\":1}");
        assertUnhandled("{\"type\":\"Results\",\"start\":1e" + "9".repeat(200) + ",\"duration\":1}");
    }

    @Test
    @Timeout(60)
    void tenThousandRandomMutationsDecodeBoundedWithoutEscapingExceptions() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        V1Adapter a = adapter();
        SocketTimeline t = timeline();
        long start = System.nanoTime();
        int untrusted = 0;
        int unhandled = 0;
        for (int i = 0; i < 10_000; i++) {
            String input = i % 10 == 9 ? randomText(rnd) : mutate(VALID.get(rnd.nextInt(VALID.size())), rnd);
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
                if (e instanceof UnhandledMessage) {
                    unhandled++;
                }
                assertSane(e, input);
            }
            double w = d.watermarkSeconds();
            assertThat(Double.isNaN(w) || (w >= 0 && w <= 12.0 + ServerInput.TIME_SLACK_SECONDS))
                    .as("watermark %s for %s", w, input)
                    .isTrue();
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("10000 mutations: " + ms + " ms, untrusted " + untrusted + ", unhandled " + unhandled);
        assertThat(ms).as("decoding time").isLessThan(20_000);
        assertThat(untrusted).isPositive();
        assertThat(unhandled).isPositive();
    }

    static void assertSane(DeepgramEvent e, String input) {
        if (e instanceof StreamEvent.Transcript tr) {
            assertThat(finite(tr.start()) && tr.start() >= 0 && finite(tr.duration()) && tr.duration() >= 0)
                    .as("transcript times of %s", input)
                    .isTrue();
            assertThat(tr.channel()).isBetween(0, V1Adapter.MAX_CHANNELS - 1);
            for (Word w : tr.words()) {
                assertThat(finite(w.start()) && finite(w.end()) && w.start() >= 0)
                        .as("word times of %s", input)
                        .isTrue();
            }
        } else if (e instanceof StreamEvent.SpeechStarted s) {
            assertThat(finite(s.timestamp()) && s.timestamp() >= 0).as(input).isTrue();
        } else if (e instanceof StreamEvent.UtteranceEnd u) {
            assertThat(finite(u.lastWordEnd()) && u.lastWordEnd() >= 0)
                    .as(input)
                    .isTrue();
        }
    }

    static boolean finite(double d) {
        return Double.isFinite(d);
    }

    static final String[] TOKENS = {
        "1e400",
        "-1e400",
        "-1",
        "-0.0",
        "1e308",
        "NaN",
        "Infinity",
        "\"x\"",
        "\"\"",
        "[]",
        "{}",
        "null",
        "true",
        "2147483648",
        "-2147483649",
        "9223372036854775808",
        "[-1,1]",
        "[0,99999999]",
        "[0]",
        "\"\\u0000\"",
        "\"\\ud800\"",
        "0.1",
        "1e-400",
        "[[[[[[[[",
        "}}}}",
        "\u00e9",
        "\\",
        ","
    };

    static String mutate(String s, SplittableRandom rnd) {
        StringBuilder b = new StringBuilder(s);
        int ops = 1 + rnd.nextInt(3);
        for (int k = 0; k < ops && b.length() > 0; k++) {
            int p = rnd.nextInt(b.length());
            switch (rnd.nextInt(7)) {
                case 0 -> b.setLength(p); // truncate
                case 1 -> b.setCharAt(p, (char) rnd.nextInt(0x20, 0x7f)); // flip a char
                case 2 -> b.insert(p, TOKENS[rnd.nextInt(TOKENS.length)]); // insert a token
                case 3 -> b.delete(p, Math.min(b.length(), p + 1 + rnd.nextInt(20))); // delete a run
                case 4 -> { // replace a number value with a hostile token
                    int colon = b.indexOf(":", p);
                    if (colon >= 0) {
                        int end = colon + 1;
                        while (end < b.length() && "-+.eE0123456789".indexOf(b.charAt(end)) >= 0) {
                            end++;
                        }
                        b.replace(colon + 1, end, TOKENS[rnd.nextInt(TOKENS.length)]);
                    }
                }
                case 5 -> b.insert(p, b.substring(p, Math.min(b.length(), p + rnd.nextInt(40)))); // duplicate
                default -> b.setCharAt(p, (char) rnd.nextInt(0x10000)); // any UTF-16 unit
            }
        }
        return b.toString();
    }

    static String randomText(SplittableRandom rnd) {
        int n = rnd.nextInt(200);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(
                    rnd.nextBoolean()
                            ? "{}[]\":,0123456789.-eE tnulrfase".charAt(rnd.nextInt(31))
                            : (char) rnd.nextInt(0x20, 0x7f));
        }
        return b.toString();
    }
}
