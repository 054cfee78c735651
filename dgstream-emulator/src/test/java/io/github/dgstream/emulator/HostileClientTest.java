package io.github.dgstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dgstream.emulator.speech.AudioFormat;
import io.github.dgstream.emulator.speech.SpeechEncoder;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile clients against the emulator (users run it): garbage and huge frames, many idle TCP connections, more
 * WebSockets than {@code maxConnections}. It stays up, refuses with 429 past its limit, and still answers a
 * well-behaved client quickly. Bounded: 2,000 idle sockets (ulimit -n permitting), seeded garbage.
 */
@Timeout(120)
class HostileClientTest {
    static final AudioFormat PCM = AudioFormat.linear16(16000);
    static final String V1 = "?encoding=linear16&sample_rate=16000";
    DeepgramEmulator dg;

    @BeforeEach
    void start() {
        dg = DeepgramEmulator.builder()
                .maxConnections(16)
                .idleTimeout(java.time.Duration.ofMinutes(2)) // idle WebSockets must stay while we count
                .start();
    }

    @AfterEach
    void stop() {
        dg.close();
    }

    /** A normal session: audio, CloseStream, the transcript, Metadata; returns the elapsed milliseconds. */
    long wellBehavedSession() throws Exception {
        long t0 = System.nanoTime();
        try (RawClient c = RawClient.connect(dg.listenUrl() + V1)) {
            c.send(SpeechEncoder.encode("hello world", PCM));
            c.sendType("CloseStream");
            List<JsonNode> all = c.until(n -> n.path("type").asText().equals("Metadata"));
            assertThat(all.toString()).contains("hello").contains("world");
            assertThat(c.awaitClose().code()).isEqualTo(1000);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    void awaitActive(int n) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (dg.activeConnections() != n && System.nanoTime() < deadline) {
            Thread.sleep(10); // polling the emulator's counter
        }
        assertThat(dg.activeConnections()).isEqualTo(n);
    }

    @Test
    void serverInitiatedCloseReleasesTheSlotAtOnce() throws Exception {
        // before: after the emulator's close 1000 no more demand was issued, so the client's close reply was never
        // read and the slot stayed taken until the transport idle timeout (10 min): 64 sessions, then only 429s
        for (int i = 0; i < 20; i++) { // more sessions than maxConnections (16)
            wellBehavedSession();
        }
        awaitActive(0);
    }

    @Test
    void garbageTextFramesGetSchemaErrorsAndTheConnectionStaysUsable() throws Exception {
        SplittableRandom rnd = new SplittableRandom(42);
        try (RawClient c = RawClient.connect(dg.listenUrl() + V1)) {
            List<String> garbage = new ArrayList<>(List.of(
                    "",
                    "not json",
                    "[".repeat(60_000),
                    "{\"type\":",
                    "{\"type\":42}",
                    "{\"type\":null}",
                    "[]",
                    "{\"type\":\"Configure\",\"keyterms\":{\"a\":1}}",
                    "{\"type\":\"Configure\",\"keyterms\":[1e999]}",
                    "{\"type\":\"" + "x".repeat(60_000) + "\"}"));
            for (int i = 0; i < 40; i++) {
                StringBuilder b = new StringBuilder();
                for (int k = rnd.nextInt(300); k > 0; k--) {
                    b.append((char) rnd.nextInt(0x20, 0x7f));
                }
                garbage.add(b.toString());
            }
            for (String g : garbage) {
                c.sendText(g);
            }
            c.send(SpeechEncoder.encode("still here", PCM));
            c.sendType("CloseStream");
            List<JsonNode> all = c.until(n -> n.path("type").asText().equals("Metadata"));
            assertThat(all.toString()).contains("still").contains("here").contains("SchemaError");
        }
        assertThat(wellBehavedSession()).isLessThan(5000);
    }

    @Test
    void hugeFramesAreClosedWith1009AndOthersAreStillServed() throws Exception {
        try (RawClient c = RawClient.connect(dg.listenUrl() + V1)) {
            catchThrowable(() -> c.send(new byte[4 << 20])); // 4 MiB > 1 MiB limit
            // the client may still be writing when the server closes: it sees 1009 or a reset (1006)
            assertThat(c.awaitClose().code()).isIn(1009, 1006);
        }
        RecordedConnection big = dg.connection(0, RawClient.WAIT);
        assertThat(big.awaitClosed(RawClient.WAIT)).isTrue();
        assertThat(big.closeCode()).contains(1009);
        try (RawClient c = RawClient.connect(dg.listenUrl() + V1)) {
            catchThrowable(() -> c.sendText("x".repeat(200_000))); // > 64 KiB text limit
            // as above: 200 KB may still be in flight when the server closes, so the client may see a reset
            assertThat(c.awaitClose().code()).isIn(1009, 1006);
        }
        RecordedConnection longText = dg.connection(1, RawClient.WAIT);
        assertThat(longText.awaitClosed(RawClient.WAIT)).isTrue();
        assertThat(longText.closeCode()).contains(1009); // the server's verdict, which the reset cannot hide
        assertThat(wellBehavedSession()).isLessThan(5000);
    }

    @Test
    void thousandsOfIdleConnectionsAndTheWebSocketLimitDoNotStarveAWellBehavedClient() throws Exception {
        List<Socket> idle = new ArrayList<>();
        List<RawClient> ws = new ArrayList<>();
        try {
            for (int i = 0; i < 2000; i++) { // raw TCP, never a byte of HTTP: Jetty holds them without a thread
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", dg.port()), 5000);
                idle.add(s);
            }
            for (int i = 0; i < 15; i++) { // idle WebSockets up to one below the limit
                ws.add(RawClient.connect(dg.listenUrl() + V1));
            }
            assertThat(dg.activeConnections()).isEqualTo(15);
            long ms = wellBehavedSession(); // the last slot
            System.out.println("well-behaved session with 2000 idle sockets and 15 idle WebSockets: " + ms + " ms");
            assertThat(ms).isLessThan(5000);
            awaitActive(15); // the well-behaved session's slot is released asynchronously
            ws.add(RawClient.connect(dg.listenUrl() + V1)); // fills the limit
            Throwable refused = catchThrowable(() -> RawClient.connect(dg.listenUrl() + V1));
            assertThat(refused).isInstanceOf(WebSocketHandshakeException.class);
            assertThat(((WebSocketHandshakeException) refused).getResponse().statusCode())
                    .isEqualTo(429);
        } finally {
            for (RawClient c : ws) {
                c.close();
            }
            for (Socket s : idle) {
                s.close();
            }
        }
        awaitActive(0); // the slots come back once the clients are gone
        assertThat(wellBehavedSession()).isLessThan(5000);
    }
}
