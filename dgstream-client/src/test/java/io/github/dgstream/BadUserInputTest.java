package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.dgstream.emulator.DeepgramEmulator;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad user input: every setter of {@link LiveOptions}, {@link ReconnectionConfig}, {@link LivenessConfig} and {@link
 * DeepgramClient.Builder} rejects invalid values at once with a message naming the field (table-driven); misuse of a
 * connection gives clear exceptions; a throwing user handler loses nothing.
 */
class BadUserInputTest {

    /** One row: a call that must fail, the exception type, and the field its message must name. */
    record Row(String call, Runnable action, Class<? extends Throwable> type, String field) {
        @Override
        public String toString() {
            return call;
        }
    }

    static Row row(String call, Runnable action, Class<? extends Throwable> type, String field) {
        return new Row(call, action, type, field);
    }

    static Row iae(String call, Runnable action, String field) {
        return row(call, action, IllegalArgumentException.class, field);
    }

    static Row npe(String call, Runnable action, String field) {
        return row(call, action, NullPointerException.class, field);
    }

    static LiveOptions.Builder lo() {
        return LiveOptions.builder();
    }

    static ReconnectionConfig.Builder rc() {
        return ReconnectionConfig.builder();
    }

    static LivenessConfig.Builder lc() {
        return LivenessConfig.builder();
    }

    static DeepgramClient.Builder cb() {
        return DeepgramClient.builder();
    }

    static Stream<Row> invalidSetters() {
        List<Row> r = new ArrayList<>();
        // ---- LiveOptions: every setter ----
        r.add(npe("model(null)", () -> lo().model(null), "model"));
        r.add(iae("model(\" \")", () -> lo().model(" "), "model"));
        r.add(iae("model(\"nova 3\")", () -> lo().model("nova 3"), "model"));
        r.add(npe("language(null)", () -> lo().language(null), "language"));
        r.add(iae("language(\"english us\")", () -> lo().language("english us"), "language"));
        r.add(iae("language(\"e\")", () -> lo().language("e"), "language"));
        r.add(iae("version(\"\")", () -> lo().version(""), "version"));
        r.add(npe("encoding(null)", () -> lo().encoding(null), "encoding"));
        r.add(iae("encoding(\"mp3\")", () -> lo().encoding("mp3"), "encoding"));
        r.add(iae("sampleRate(0)", () -> lo().sampleRate(0), "sampleRate"));
        r.add(iae("sampleRate(-16000)", () -> lo().sampleRate(-16000), "sampleRate"));
        r.add(iae("channels(0)", () -> lo().channels(0), "channels"));
        r.add(iae("endpointing(-1)", () -> lo().endpointing(-1), "endpointing"));
        r.add(iae("utteranceEndMs(0)", () -> lo().utteranceEndMs(0), "utteranceEndMs"));
        r.add(iae("diarizeModel(\"v2\")", () -> lo().diarizeModel("v2"), "diarizeModel"));
        r.add(npe("diarizeModel(null)", () -> lo().diarizeModel(null), "diarizeModel"));
        r.add(npe("keyterm(null)", () -> lo().keyterm(null), "keyterm"));
        r.add(iae("keyterm(\" \")", () -> lo().keyterm(" "), "keyterm"));
        r.add(npe("keyterms(null)", () -> lo().keyterms(null), "keyterms"));
        r.add(iae("keyterms([\"a\", \"\"])", () -> lo().keyterms(List.of("a", "")), "keyterm"));
        r.add(iae("keyword(\"\")", () -> lo().keyword(""), "keywords"));
        r.add(iae("redact(\"everything\")", () -> lo().redact("everything"), "redact"));
        r.add(npe("redact(null)", () -> lo().redact(null), "redact"));
        r.add(iae("replace(\"nocolon\")", () -> lo().replace("nocolon"), "replace"));
        r.add(iae("replace(\":x\")", () -> lo().replace(":x"), "replace"));
        r.add(iae("search(\"\")", () -> lo().search(""), "search"));
        r.add(iae("tag(129 chars)", () -> lo().tag("t".repeat(129)), "tag"));
        r.add(npe("tag(null)", () -> lo().tag(null), "tag"));
        r.add(iae("extra(\"k\")", () -> lo().extra("k"), "extra"));
        r.add(iae("callback(\"ftp://x\")", () -> lo().callback("ftp://x/y"), "callback"));
        r.add(iae("callback(\"not a url\")", () -> lo().callback("not a url"), "callback"));
        r.add(iae("callback(\"/relative\")", () -> lo().callback("/relative"), "callback"));
        r.add(iae("callbackMethod(\"PATCH\")", () -> lo().callbackMethod("PATCH"), "callbackMethod"));
        r.add(iae("callbackMethod(null)", () -> lo().callbackMethod(null), "callbackMethod"));
        r.add(iae(
                "build(): utteranceEndMs without interimResults",
                () -> lo().utteranceEndMs(1000).build(),
                "utteranceEndMs"));
        r.add(iae(
                "build(): encoding without sampleRate",
                () -> lo().encoding("linear16").build(),
                "sampleRate"));
        r.add(iae(
                "build(): callbackMethod without callback",
                () -> lo().callbackMethod("POST").build(),
                "callback"));
        // ---- ReconnectionConfig ----
        r.add(iae("maxRetries(-1)", () -> rc().maxRetries(-1), "maxRetries"));
        r.add(iae("initialDelayMs(-1)", () -> rc().initialDelayMs(-1), "initialDelayMs"));
        r.add(iae("initialDelayMs(Long.MAX_VALUE)", () -> rc().initialDelayMs(Long.MAX_VALUE), "initialDelayMs"));
        r.add(iae("maxDelayMs(-1)", () -> rc().maxDelayMs(-1), "maxDelayMs"));
        r.add(iae("maxDelayMs(Long.MAX_VALUE)", () -> rc().maxDelayMs(Long.MAX_VALUE), "maxDelayMs"));
        r.add(iae("backoffMultiplier(0.5)", () -> rc().backoffMultiplier(0.5), "backoffMultiplier"));
        r.add(iae("backoffMultiplier(NaN)", () -> rc().backoffMultiplier(Double.NaN), "backoffMultiplier"));
        r.add(iae(
                "backoffMultiplier(Infinity)",
                () -> rc().backoffMultiplier(Double.POSITIVE_INFINITY),
                "backoffMultiplier"));
        r.add(iae("healthyPeriodMs(-1)", () -> rc().healthyPeriodMs(-1), "healthyPeriodMs"));
        r.add(npe("replay(null)", () -> rc().replay(null), "replay"));
        r.add(iae("bufferSeconds(0)", () -> rc().bufferSeconds(0), "bufferSeconds"));
        r.add(iae("bufferSeconds(NaN)", () -> rc().bufferSeconds(Double.NaN), "bufferSeconds"));
        r.add(iae("bufferSeconds(1e9)", () -> rc().bufferSeconds(1e9), "bufferSeconds"));
        r.add(row(
                "build(): initialDelayMs > maxDelayMs",
                () -> rc().initialDelayMs(5000).maxDelayMs(1000).build(),
                IllegalStateException.class,
                "initialDelayMs"));
        r.add(iae("ReplayPolicy.capped(-1)", () -> ReplayPolicy.capped(-1), "capSeconds"));
        r.add(iae("ReplayPolicy.capped(NaN)", () -> ReplayPolicy.capped(Double.NaN), "capSeconds"));
        // ---- LivenessConfig: every setter, below and above its range ----
        r.add(iae("keepAliveIntervalMs(-1)", () -> lc().keepAliveIntervalMs(-1), "keepAliveIntervalMs"));
        r.add(iae("pingIntervalMs(-1)", () -> lc().pingIntervalMs(-1), "pingIntervalMs"));
        r.add(iae("pongTimeoutMs(0)", () -> lc().pongTimeoutMs(0), "pongTimeoutMs"));
        r.add(iae("receiveTimeoutMs(-1)", () -> lc().receiveTimeoutMs(-1), "receiveTimeoutMs"));
        r.add(iae("connectTimeoutMs(0)", () -> lc().connectTimeoutMs(0), "connectTimeoutMs"));
        r.add(iae("sendTimeoutMs(0)", () -> lc().sendTimeoutMs(0), "sendTimeoutMs"));
        r.add(iae("finishTimeoutMs(0)", () -> lc().finishTimeoutMs(0), "finishTimeoutMs"));
        // before: finishTimeoutMs + 5000 overflowed in finish() and the session was aborted at once
        r.add(iae("finishTimeoutMs(Long.MAX_VALUE)", () -> lc().finishTimeoutMs(Long.MAX_VALUE), "finishTimeoutMs"));
        r.add(iae("pingIntervalMs(Long.MAX_VALUE)", () -> lc().pingIntervalMs(Long.MAX_VALUE), "pingIntervalMs"));
        // ---- DeepgramClient.Builder ----
        r.add(npe("apiKey(null)", () -> cb().apiKey(null), "apiKey"));
        r.add(iae("apiKey(\" \")", () -> cb().apiKey(" "), "apiKey"));
        r.add(iae("apiKey(key + newline)", () -> cb().apiKey("k3y-value\n"), "apiKey"));
        r.add(iae("apiKey(key with space)", () -> cb().apiKey("k3y value"), "apiKey"));
        r.add(npe("accessTokenProvider(null)", () -> cb().accessTokenProvider(null), "accessTokenProvider"));
        r.add(npe("baseUrl(null)", () -> cb().baseUrl(null), "baseUrl"));
        r.add(iae("baseUrl(http://)", () -> cb().baseUrl(URI.create("http://x")), "baseUrl"));
        r.add(iae("baseUrl(no host)", () -> cb().baseUrl(URI.create("ws:opaque")), "baseUrl"));
        r.add(iae("baseUrl(query)", () -> cb().baseUrl(URI.create("ws://h/?model=x")), "baseUrl"));
        r.add(iae("baseUrl(user info)", () -> cb().baseUrl(URI.create("wss://me:pw@h")), "baseUrl"));
        r.add(npe("liveness(null)", () -> cb().liveness(null), "liveness"));
        r.add(iae("eventQueueCapacity(0)", () -> cb().eventQueueCapacity(0), "eventQueueCapacity"));
        r.add(npe("sslContext(null)", () -> cb().sslContext(null), "sslContext"));
        return r.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSetters")
    void everySetterRejectsInvalidValuesNamingTheField(Row row) {
        Throwable t = catchThrowable(row.action()::run);
        assertThat(t).as(row.call()).isInstanceOf(row.type());
        assertThat(t.getMessage()).as(row.call()).isNotNull().contains(row.field());
    }

    @Test
    void credentialsAreNeverEchoedInValidationMessages() {
        for (Runnable r : List.<Runnable>of(
                () -> cb().apiKey("k3y-value\n"),
                () -> cb().apiKey("k3y value"),
                () -> cb().baseUrl(URI.create("wss://me:k3y-value@h")))) {
            assertThat(catchThrowable(r::run).getMessage())
                    .doesNotContain("k3y")
                    .doesNotContain("value@");
        }
    }

    @Test
    @Timeout(60)
    void misuseGivesClearExceptions() throws Exception {
        try (DeepgramEmulator dg = DeepgramEmulator.builder().start();
                DeepgramClient client = DeepgramClient.builder()
                        .apiKey("test-key")
                        .baseUrl(URI.create(dg.baseUrl()))
                        .build()) {
            ListenWebSocketClient c = client.listen().live().v("1");
            assertThatThrownBy(() -> c.on(null, e -> {}))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("event");
            assertThatThrownBy(() -> c.on(LiveTranscriptionEvents.TRANSCRIPT, null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("handler");
            assertThatThrownBy(() -> c.configureReconnection(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> c.configureLiveness(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> c.start(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("options");
            assertThatThrownBy(() -> c.keepAlive())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("before start()");
            assertThatThrownBy(() -> c.sendFinalize())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("before start()");
            c.start(Speech.options());
            assertThatThrownBy(() -> c.start(Speech.options()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("once");
            assertThatThrownBy(() -> c.configureReconnection(ReconnectionConfig.defaults()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("before start()");
            assertThatThrownBy(() -> c.send((ByteBuffer) null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("audio");
            assertThatThrownBy(() -> c.send(new byte[4], 3, 2)).isInstanceOf(IndexOutOfBoundsException.class);
            c.send(new byte[0]); // ignored, not CloseStream
            c.finish();
            c.finish(); // idempotent
            assertThatThrownBy(() -> c.send(new byte[] {1, 2}))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("session ended");
            assertThatThrownBy(() -> c.sendFinalize()).isInstanceOf(IllegalStateException.class);
            c.close(); // after finish: a no-op

            AsyncListenWebSocketClient a = client.listen().asyncLive().v("1");
            a.start(Speech.options()).join();
            a.close();
            assertThatThrownBy(() -> a.send(ByteBuffer.wrap(new byte[] {1, 2})))
                    .isInstanceOf(IllegalStateException.class);
        }
        DeepgramClient closed = DeepgramClient.builder().apiKey("k").build();
        closed.close();
        assertThatThrownBy(closed::listen)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    @Timeout(60)
    void throwingHandlersLoseNothingAndAreReported() throws Exception {
        try (DeepgramEmulator dg = DeepgramEmulator.builder().start();
                DeepgramClient client = DeepgramClient.builder()
                        .apiKey("test-key")
                        .baseUrl(URI.create(dg.baseUrl()))
                        .build()) {
            Driver d = Driver.create(Driver.Kind.BLOCKING, client);
            ListenWebSocketClient c = ((Driver.Blocking) d).c;
            Consumer<StreamEvent.Transcript> boom = t -> {
                throw new IllegalStateException("user bug on " + (t.isFinal() ? "final" : "interim"));
            };
            c.on(LiveTranscriptionEvents.TRANSCRIPT, boom);
            c.on(LiveTranscriptionEvents.OPEN, o -> {
                throw new Error("an Error, not an Exception");
            });
            c.on(LiveTranscriptionEvents.ERROR, e -> {
                throw new IllegalStateException("the error handler throws too");
            });
            d.start(Speech.options());
            d.stream(Speech.AUDIO, Speech.BYTES_PER_SECOND, 0);
            d.finish();
            assertThat(d.state()).isEqualTo(SessionState.CLOSED);
            assertThat(d.log.finalWordTexts()).as("every word still delivered").isEqualTo(Speech.WORDS);
            List<ErrorEvent> errors = d.log.of(ErrorEvent.class);
            assertThat(errors)
                    .isNotEmpty()
                    .allSatisfy(e -> assertThat(e.error().kind()).isEqualTo(DeepgramException.Kind.HANDLER));
            assertThat(errors).anySatisfy(e -> assertThat(e.error().getCause()).hasMessage("user bug on final"));
            assertThat(errors).anySatisfy(e -> assertThat(e.error().getCause()).isInstanceOf(Error.class));
            assertThat(d.log.types()).endsWith(EventType.CLOSE);
        }
    }
}
