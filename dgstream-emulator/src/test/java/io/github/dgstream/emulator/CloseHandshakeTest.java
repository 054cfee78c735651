package io.github.dgstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.dgstream.emulator.speech.AudioFormat;
import io.github.dgstream.emulator.speech.SpeechEncoder;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * After the emulator sends a close frame it keeps reading until the client's close reply arrives, so the connection
 * (and its {@code maxConnections} slot) is released at once instead of at Jetty's transport idle timeout.
 */
class CloseHandshakeTest {
    static final AudioFormat PCM = AudioFormat.linear16(16000);
    static final String V1 = "?encoding=linear16&sample_rate=16000";
    static final String FLUX = "?model=flux-general-en&encoding=linear16&sample_rate=16000";
    /** Far below the transport idle timeout (10 min), far above a loopback close handshake. */
    static final Duration PROMPTLY = Duration.ofSeconds(3);

    DeepgramEmulator dg;

    @BeforeEach
    void start() {
        dg = DeepgramEmulator.builder()
                .maxConnections(1)
                .listenIdleTimeout(Duration.ofMillis(300))
                .start();
    }

    @AfterEach
    void stop() {
        dg.close();
    }

    private void assertReleased(RawClient c, int code) throws Exception {
        RawClient.Closed closed = c.awaitClose();
        assertThat(closed.code()).isEqualTo(code);
        assertThat(closed.abnormal()).isFalse();
        // The JDK client replies to the server's close frame once onClose returns; the emulator must read that reply.
        await().atMost(PROMPTLY).until(() -> dg.activeConnections() == 0);
        RecordedConnection rec = dg.connections().get(dg.connections().size() - 1);
        assertThat(rec.awaitClosed(PROMPTLY)).isTrue();
        assertThat(rec.closedBy()).contains(ClosedBy.SERVER);
        assertThat(rec.closeCode()).contains(code);
    }

    @Test
    void closeAfterCloseStreamReleasesTheConnection() throws Exception {
        try (RawClient c = RawClient.connect(dg.listenUrl() + V1)) {
            c.send(SpeechEncoder.encode("hello world", PCM));
            c.sendType("CloseStream");
            assertReleased(c, 1000);
        }
        assertSlotUsableAgain();
    }

    @Test
    void idleNet0001CloseReleasesTheConnection() throws Exception {
        try (RawClient c = RawClient.connect(dg.listenUrl() + V1)) {
            assertReleased(c, 1011);
        }
        assertSlotUsableAgain();
    }

    @Test
    void scriptedCloseReleasesTheConnection() throws Exception {
        dg.enqueue(ConnectionScript.closeAfter(0.5, 1011, "NET-0000 scripted"));
        try (RawClient c = RawClient.connect(dg.listenUrl() + V1)) {
            c.send(SpeechEncoder.silence(1.0, PCM));
            assertReleased(c, 1011);
        }
        assertSlotUsableAgain();
    }

    /** Jetty ends the connection right after sending an error close (1011); a clean 1000 waits for the reply. */
    @Test
    void scriptedCleanCloseReleasesTheConnection() throws Exception {
        dg.enqueue(ConnectionScript.closeAfter(0.5, 1000, ""));
        try (RawClient c = RawClient.connect(dg.listenUrl() + V1)) {
            c.send(SpeechEncoder.silence(0.4, PCM));
            c.sendType("KeepAlive"); // a text frame right before the close: the last read was not a binary frame
            c.send(SpeechEncoder.silence(0.6, PCM));
            assertReleased(c, 1000);
        }
        assertSlotUsableAgain();
    }

    @Test
    void fluxCloseStreamReleasesTheConnection() throws Exception {
        try (RawClient c = RawClient.connect(dg.fluxUrl() + FLUX)) {
            c.send(SpeechEncoder.encode("hello world", PCM));
            c.sendType("CloseStream");
            assertReleased(c, 1005);
        }
        assertSlotUsableAgain();
    }

    @Test
    void clientThatNeverRepliesIsDisconnectedAfterTheCloseTimeout() throws Exception {
        dg.enqueue(ConnectionScript.closeAfter(0.5, 1000, ""));
        // The JDK client answers a close frame even without demand, so use a raw socket that never reads.
        try (Socket raw = new Socket("127.0.0.1", dg.port())) {
            upgrade(raw);
            writeMaskedBinary(raw.getOutputStream(), SpeechEncoder.silence(1.0, PCM));
            RecordedConnection rec = dg.takeConnection(RawClient.WAIT);
            assertThat(rec.awaitClosed(RawClient.WAIT)).isTrue();
            long closedAt = System.nanoTime();
            await().atMost(EmulatorConnection.CLOSE_TIMEOUT.plus(PROMPTLY)).until(() -> dg.activeConnections() == 0);
            assertThat(Duration.ofNanos(System.nanoTime() - closedAt))
                    .as("held until the close timeout, not released early")
                    .isGreaterThanOrEqualTo(EmulatorConnection.CLOSE_TIMEOUT.minusMillis(100));
            assertThat(rec.closedBy()).contains(ClosedBy.SERVER);
            assertThat(rec.closeCode()).contains(1000);
        }
        assertSlotUsableAgain();
    }

    private void upgrade(Socket raw) throws Exception {
        RawSockets.upgrade(raw, dg.port(), "/v1/listen" + V1);
    }

    private static void writeMaskedBinary(OutputStream out, byte[] payload) throws Exception {
        RawSockets.writeMaskedBinary(out, payload);
    }

    /** With {@code maxConnections(1)}, a held slot would refuse the next connection with 429. */
    private void assertSlotUsableAgain() throws Exception {
        try (RawClient c = RawClient.connect(dg.listenUrl() + V1)) {
            assertThat(dg.activeConnections()).isEqualTo(1);
        }
    }
}
