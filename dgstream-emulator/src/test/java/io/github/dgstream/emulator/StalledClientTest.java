package io.github.dgstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.dgstream.emulator.speech.AudioFormat;
import io.github.dgstream.emulator.speech.SpeechEncoder;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A client that sends audio but never reads must not make the emulator buffer without bound. */
@Timeout(60)
class StalledClientTest {
    static final AudioFormat PCM = AudioFormat.linear16(16000);
    static final String V1 = "?encoding=linear16&sample_rate=16000";
    static final byte[] BIG_TEXT = ("{\"type\":\"Padding\",\"x\":\"" + "x".repeat(60_000) + "\"}").getBytes();
    DeepgramEmulator dg;

    @BeforeEach
    void start() {
        dg = DeepgramEmulator.builder().maxOutgoingFrames(8).start();
    }

    @AfterEach
    void stop() {
        dg.close();
    }

    @Test
    void clientThatStopsReadingIsDisconnectedOnceItsOutgoingQueueIsFull() throws Exception {
        // 400 frames of 60 KB (24 MB) to a client that reads nothing: more than any socket buffer holds.
        ConnectionScript.Builder script = ConnectionScript.builder();
        for (int i = 0; i < 400; i++) {
            script.sendRawTextAfter(0.005 * (i + 1), new String(BIG_TEXT));
        }
        dg.enqueue(script.build());
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new java.net.InetSocketAddress("127.0.0.1", dg.port()));
            RawSockets.upgrade(stalled, dg.port(), "/v1/listen" + V1);
            RawSockets.writeMaskedBinary(stalled.getOutputStream(), SpeechEncoder.silence(2.5, PCM));
            RecordedConnection rec = dg.takeConnection(Duration.ofSeconds(10));
            assertThat(rec.awaitClosed(Duration.ofSeconds(30)))
                    .as("disconnected")
                    .isTrue();
            assertThat(rec.closedBy()).contains(ClosedBy.ABNORMAL);
            assertThat(rec.closeReason()).hasValueSatisfying(r -> assertThat(r).contains("not reading"));
            assertThat(rec.messagesSent()).as("stopped short of the script").isLessThan(400);
            await().atMost(Duration.ofSeconds(10)).until(() -> dg.activeConnections() == 0);
        }
        // and it still serves a well-behaved client
        try (RawClient c = RawClient.connect(dg.listenUrl() + V1)) {
            c.send(SpeechEncoder.encode("still here", PCM));
            c.sendType("CloseStream");
            assertThat(c.until(n -> n.path("type").asText().equals("Metadata")).toString())
                    .contains("still")
                    .contains("here");
        }
    }
}
