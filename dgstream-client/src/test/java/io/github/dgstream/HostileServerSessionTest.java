package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.dgstream.emulator.ConnectionScript;
import io.github.dgstream.emulator.DeepgramEmulator;
import io.github.dgstream.emulator.Fault;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile server input through a real socket: the emulator injects raw frames ({@link Fault.SendRaw}) into an
 * otherwise normal v1 stream. The client never crashes or hangs: unusable frames are reported (UNHANDLED or ERROR);
 * frames that cannot be trusted drop the connection, and the replay since the last final keeps the transcript
 * complete word for word; with reconnection off the session fails with a clear PROTOCOL error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class HostileServerSessionTest {
    static final double AT = 3.0;
    static final String UNTRUSTED_FINAL = "{\"type\":\"Results\",\"channel_index\":[0,1],\"start\":1e300,"
            + "\"duration\":1,\"is_final\":true,\"channel\":{\"alternatives\":[{\"transcript\":\"evil\","
            + "\"words\":[]}]}}";

    DeepgramEmulator dg;
    DeepgramClient client;

    @BeforeAll
    void setUp() {
        dg = DeepgramEmulator.builder().start();
        client = DeepgramClient.builder()
                .apiKey("test-key")
                .baseUrl(URI.create(dg.baseUrl()))
                .build();
    }

    @AfterAll
    void tearDown() {
        client.close();
        dg.close();
    }

    Driver run(ConnectionScript script, boolean reconnect) throws InterruptedException {
        dg.script(dg.connectionCount(), script);
        Driver d = Driver.create(Driver.Kind.BLOCKING, client);
        d.configure(
                RetryableFaultsTest.reconnection().toBuilder()
                        .enabled(reconnect)
                        .build(),
                RetryableFaultsTest.liveness());
        d.start(Speech.options());
        try {
            d.stream(Speech.AUDIO, Speech.BYTES_PER_SECOND, 2);
        } catch (IllegalStateException endedEarly) {
            assertThat(reconnect).as("send fails only after a terminal failure").isFalse();
        }
        d.finish();
        await().atMost(Duration.ofSeconds(30)).until(d.log::closed);
        return d;
    }

    static void assertCompleteAndClean(Driver d) {
        assertThat(d.state()).isEqualTo(SessionState.CLOSED);
        assertThat(d.log.finalWordTexts()).isEqualTo(Speech.WORDS);
        RetryableFaultsTest.assertMonotonic(d.log);
        assertThat(d.log.types().get(d.log.types().size() - 1)).isEqualTo(EventType.CLOSE);
    }

    static ConnectionScript raw(String text) {
        return ConnectionScript.builder().sendRawTextAfter(AT, text).build();
    }

    @Test
    void truncatedJsonIsReportedAsUnhandled() throws Exception {
        Driver d = run(raw(UNTRUSTED_FINAL.substring(0, 40)), true);
        assertThat(d.log.of(UnhandledMessage.class))
                .extracting(UnhandledMessage::json)
                .containsExactly(UNTRUSTED_FINAL.substring(0, 40));
        assertThat(d.log.of(Reconnecting.class)).isEmpty();
        assertCompleteAndClean(d);
    }

    @Test
    void deeplyNestedJsonIsUnhandledAndTheStreamGoesOn() throws Exception {
        Driver d = run(raw("[".repeat(100_000)), true);
        assertThat(d.log.of(UnhandledMessage.class)).hasSize(1);
        assertThat(d.log.of(Reconnecting.class)).isEmpty();
        assertCompleteAndClean(d);
    }

    @Test
    void untrustedFinalReconnectsAndTheTranscriptStaysComplete() throws Exception {
        Driver d = run(raw(UNTRUSTED_FINAL), true);
        List<Reconnecting> rec = d.log.of(Reconnecting.class);
        assertThat(rec).hasSize(1);
        assertThat(rec.get(0).cause().kind()).isEqualTo(DeepgramException.Kind.PROTOCOL);
        assertThat(rec.get(0).cause().getMessage()).contains("Untrusted Results message");
        assertThat(d.log.of(UnhandledMessage.class))
                .extracting(UnhandledMessage::json)
                .containsExactly(UNTRUSTED_FINAL);
        assertThat(d.log.finals()).allSatisfy(t -> assertThat(t.text()).doesNotContain("evil"));
        assertCompleteAndClean(d);
    }

    @Test
    void untrustedFinalWithoutReconnectionFailsWithAClearError() throws Exception {
        Driver d = run(raw(UNTRUSTED_FINAL), false);
        assertThat(d.state()).isEqualTo(SessionState.FAILED);
        List<ErrorEvent> errors = d.log.of(ErrorEvent.class);
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).error().kind()).isEqualTo(DeepgramException.Kind.PROTOCOL);
        assertThat(errors.get(0).error().getMessage())
                .contains("Untrusted Results message")
                .contains("ends after the audio sent");
        assertThat(d.log.types()).endsWith(EventType.ERROR, EventType.CLOSE);
    }

    @Test
    void tenMegabyteTextFrameIsCappedAndTheConnectionReplaced() throws Exception {
        char[] big = new char[10 << 20];
        Arrays.fill(big, 'a');
        Driver d = run(raw("{\"type\":\"Results\",\"x\":\"" + new String(big) + "\"}"), true);
        List<Reconnecting> rec = d.log.of(Reconnecting.class);
        assertThat(rec).hasSize(1);
        assertThat(rec.get(0).cause().kind()).isEqualTo(DeepgramException.Kind.PROTOCOL);
        assertThat(rec.get(0).cause().getMessage()).contains("exceeds");
        assertThat(d.log.of(UnhandledMessage.class)).isEmpty();
        assertCompleteAndClean(d);
    }

    @Test
    void binaryFrameIsReportedAndIgnored() throws Exception {
        Driver d = run(
                ConnectionScript.builder()
                        .sendRawBinaryAfter(AT, new byte[70_000])
                        .build(),
                true);
        List<ErrorEvent> errors = d.log.of(ErrorEvent.class);
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).error().kind()).isEqualTo(DeepgramException.Kind.PROTOCOL);
        assertThat(errors.get(0).error().getMessage()).contains("binary message (70000 bytes)");
        assertThat(d.log.of(Reconnecting.class)).isEmpty();
        assertCompleteAndClean(d);
    }

    @Test
    void wrongTypesAndUnknownTypesOnOpenAreReportedAndTheStreamGoesOn() throws Exception {
        Driver d = run(
                ConnectionScript.builder()
                        .at(Fault.Trigger.onOpen(), Fault.SendRaw.text("{\"type\":\"Surprise\",\"n\":1e999}"))
                        .at(Fault.Trigger.onOpen(), Fault.SendRaw.text("{\"type\":\"SpeechStarted\",\"timestamp\":-4}"))
                        .at(Fault.Trigger.onOpen(), Fault.SendRaw.text("{\"type\":\"Metadata\",\"duration\":\"x\"}"))
                        .build(),
                true);
        assertThat(d.log.of(UnhandledMessage.class)).hasSize(2);
        assertThat(d.log.of(Reconnecting.class)).isEmpty();
        assertCompleteAndClean(d);
    }
}
