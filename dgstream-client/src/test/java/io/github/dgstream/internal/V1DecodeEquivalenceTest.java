package io.github.dgstream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The streaming {@code Results} reader ({@link V1ResultsReader}) against the tree decoder it shortcuts: for
 * well-formed messages and for every mutation of them, {@link V1Adapter#decode} must return exactly what {@link
 * V1Adapter#decodeTree} returns (same events, watermark bits, flags, request id, error), with the adapter's
 * per-channel state evolving in step. Seeded, so failures reproduce.
 */
class V1DecodeEquivalenceTest {
    static final long SEED = 0xD1FF_0001L;

    static final List<String> CORPUS = List.of(
            HostileServerInputTest.RESULTS,
            // interim, no metadata, fields in another order, a speaker, a null punctuated word
            "{\"channel\":{\"alternatives\":[{\"words\":[{\"word\":\"a\",\"start\":2.25,\"end\":2.5,\"speaker\":1,"
                    + "\"punctuated_word\":null,\"confidence\":1}],\"confidence\":0.5,\"transcript\":\"a\"}]},"
                    + "\"is_final\":false,\"start\":2,\"duration\":1,\"type\":\"Results\",\"channel_index\":[0,1]}",
            // second channel of two, extra fields everywhere, a second alternative, the emulator's stamp
            "{\"type\":\"Results\",\"channel_index\":[1,2],\"duration\":0.75,\"start\":3.125,\"is_final\":true,"
                    + "\"speech_final\":false,\"from_finalize\":true,\"x\":[1,{\"y\":null}],\"channel\":{\"z\":1,"
                    + "\"alternatives\":[{\"transcript\":\"b c\",\"confidence\":0.75,\"languages\":[\"en\"],"
                    + "\"words\":[{\"word\":\"b\",\"start\":3.2,\"end\":3.4,\"confidence\":0.8,\"extra\":[]},"
                    + "{\"word\":\"c\",\"start\":3.5,\"end\":3.8,\"confidence\":0.7}]},{\"transcript\":\"x\"}]},"
                    + "\"metadata\":{\"request_id\":\"r2\",\"model_info\":{\"name\":\"n\"},"
                    + "\"extra\":{\"sent_ns\":\"123\"}}}",
            // no words, no alternatives, no channel
            "{\"type\":\"Results\",\"start\":0,\"duration\":0.5,\"is_final\":true,\"channel\":{\"alternatives\":[]}}",
            "{\"type\":\"Results\",\"start\":0.5,\"duration\":0.5,\"is_final\":true}",
            "{\"type\":\"Results\",\"channel_index\":[],\"start\":1,\"duration\":0.5,\"is_final\":null,"
                    + "\"metadata\":[]}");

    static final class Pair {
        final V1Adapter streaming = HostileServerInputTest.adapter();
        final V1Adapter tree = HostileServerInputTest.adapter();
        final SocketTimeline timeline = HostileServerInputTest.timeline();

        /** Decodes with both; returns whether the streaming reader took the message. */
        boolean check(String input) {
            boolean fast = V1ResultsReader.read(input, timeline) != null;
            ProtocolAdapter.Decoded a = streaming.decode(input, timeline);
            ProtocolAdapter.Decoded b = tree.decodeTree(input, timeline);
            assertThat(describe(a)).as("decoders disagree on %s", input).isEqualTo(describe(b));
            return fast;
        }
    }

    /** Everything in a decode result, with doubles by their bits and the error by its observable parts. */
    static String describe(ProtocolAdapter.Decoded d) {
        String error = d.serverError() == null
                ? "none"
                : d.serverError().kind() + "/" + d.serverError().isRetryable() + "/"
                        + d.serverError().getMessage();
        return d.events() + " watermark=" + Double.doubleToRawLongBits(d.watermarkSeconds()) + " end="
                + d.endOfStream() + " finalizeAck=" + d.finalizeAck() + " rid=" + d.requestId() + " error=" + error
                + " configureAck=" + d.configureAck();
    }

    @Test
    void everyWellFormedShapeTakesTheStreamingPathAndMatchesTheTree() {
        Pair pair = new Pair();
        for (String json : CORPUS) {
            assertThat(pair.check(json)).as("streaming reader took %s", json).isTrue();
        }
    }

    @Test
    void randomTimesDecodeToTheSameBits() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        Pair pair = new Pair();
        for (int i = 0; i < 2_000; i++) {
            double start = rnd.nextDouble(0, 9);
            double duration = rnd.nextDouble(0, 1);
            double ws = start + rnd.nextDouble(0, duration);
            String json = String.format(
                    Locale.ROOT,
                    "{\"type\":\"Results\",\"channel_index\":[0,1],\"start\":%s,\"duration\":%s,\"is_final\":%s,"
                            + "\"channel\":{\"alternatives\":[{\"transcript\":\"w\",\"confidence\":%s,\"words\":"
                            + "[{\"word\":\"w\",\"start\":%s,\"end\":%s,\"confidence\":%s}]}]}}",
                    start,
                    duration,
                    rnd.nextBoolean(),
                    rnd.nextDouble(),
                    ws,
                    start + duration,
                    rnd.nextDouble());
            assertThat(pair.check(json)).as(json).isTrue();
        }
    }

    @Test
    void everyMutationDecodesExactlyAsTheTreeDoes() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        Pair pair = new Pair();
        List<String> tookFastPath = new ArrayList<>();
        int fallbacks = 0;
        for (int i = 0; i < 30_000; i++) {
            String input = HostileServerInputTest.mutate(CORPUS.get(rnd.nextInt(CORPUS.size())), rnd);
            if (pair.check(input)) {
                tookFastPath.add(input);
            } else {
                fallbacks++;
            }
        }
        // Both paths must have been exercised by the mutations, or the comparison proves little.
        assertThat(tookFastPath).hasSizeGreaterThan(1_000);
        assertThat(fallbacks).isGreaterThan(1_000);
    }
}
