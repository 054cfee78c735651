package io.github.dgstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

class ExtensionTest {
    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class StaticField {
        // a static field inside a non-static nested class is allowed since Java 16
        @RegisterExtension
        static DeepgramEmulatorExtension dg = new DeepgramEmulatorExtension();

        static int firstPort;

        @Test
        @Order(1)
        void startedForTheClass() throws Exception {
            firstPort = dg.emulator().port();
            assertThat(dg.baseUrl()).isEqualTo("ws://127.0.0.1:" + firstPort);
            try (RawClient c = RawClient.connect(dg.listenUrl() + "?encoding=linear16&sample_rate=16000")) {
                assertThat(dg.emulator().takeConnection(RawClient.WAIT)).isNotNull();
            }
        }

        @Test
        @Order(2)
        void sameEmulatorForTheNextTest() {
            assertThat(dg.emulator().port()).isEqualTo(firstPort);
            assertThat(dg.emulator().connectionCount()).isEqualTo(1);
        }
    }

    @Nested
    class InstanceField {
        @RegisterExtension
        DeepgramEmulatorExtension dg =
                new DeepgramEmulatorExtension(DeepgramEmulator.builder().listenIdleTimeout(Duration.ofMillis(300)));

        @Test
        void freshEmulatorPerTest() throws Exception {
            assertThat(dg.emulator().connectionCount()).isZero();
            dg.emulator().enqueue(ConnectionScript.refuse(429));
            assertThat(HandshakeTest.refused(dg.listenUrl(), java.util.Map.of("Authorization", "Token k"))
                            .statusCode())
                    .isEqualTo(429);
        }

        @Test
        void configuredFromTheBuilder() throws Exception {
            assertThat(dg.emulator().connectionCount()).isZero();
            try (RawClient c = RawClient.connect(dg.listenUrl() + "?encoding=linear16&sample_rate=16000")) {
                assertThat(c.awaitClose().code()).isEqualTo(1011); // 300 ms NET-0001
            }
        }
    }

    @Test
    void extensionClosesTheEmulator() throws Exception {
        DeepgramEmulatorExtension ext = new DeepgramEmulatorExtension(DeepgramEmulator::start);
        ext.beforeEach(null);
        DeepgramEmulator e = ext.emulator();
        ext.afterEach(null);
        assertThat(e.toString()).contains("closed");
    }

    @Test
    void mainPrintsTheUrl() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeepgramEmulator dg = EmulatorMain.launch(
                new String[] {"--port", "0", "--idle-timeout-ms", "5000"},
                new PrintStream(out, true, StandardCharsets.UTF_8))) {
            assertThat(out.toString(StandardCharsets.UTF_8).trim()).isEqualTo("ws://127.0.0.1:" + dg.port());
            RawClient.connect(dg.listenUrl()).close();
        }
    }
}
