package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.github.dgstream.emulator.ConnectionScript;
import io.github.dgstream.emulator.DeepgramEmulator;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Acceptance 2: fatal faults give no retry, one clear error, and release everything. */
class FatalFaultsTest {
    DeepgramEmulator dg;
    DeepgramClient client;

    @BeforeEach
    void setUp() {
        dg = DeepgramEmulator.builder()
                .acceptedKeys("good-key")
                .acceptedTokens("valid-token")
                .start();
        client = newClient("good-key");
    }

    DeepgramClient newClient(String key) {
        return DeepgramClient.builder()
                .apiKey(key)
                .baseUrl(URI.create(dg.baseUrl()))
                .build();
    }

    @AfterEach
    void tearDown() {
        client.close();
        dg.close();
    }

    static ReconnectionConfig enabled() {
        return ReconnectionConfig.builder()
                .enabled(true)
                .initialDelayMs(20)
                .maxDelayMs(100)
                .build();
    }

    static Throwable startFailure(Driver d) {
        Throwable t = catchThrowable(() -> d.start(Speech.options()));
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    void assertOneErrorAndReleased(Driver d) {
        await().atMost(Duration.ofSeconds(5)).until(d.log::closed);
        assertThat(d.log.of(ErrorEvent.class)).hasSize(1);
        assertThat(d.log.of(Reconnecting.class)).isEmpty();
        assertThat(d.log.of(ReconnectFailed.class)).isEmpty();
        assertThat(d.log.types()).endsWith(EventType.ERROR, EventType.CLOSE);
        assertThat(d.state()).isEqualTo(SessionState.FAILED);
        Throwable misuse = catchThrowable(() -> d.send(new byte[] {1, 2}, 0, 2));
        assertThat(misuse).isInstanceOf(IllegalStateException.class).hasMessageContaining("FAILED");
    }

    @ParameterizedTest
    @EnumSource(Driver.Kind.class)
    void handshake400And402And403AreFatal(Driver.Kind kind) {
        for (int status : new int[] {400, 402, 403}) {
            int before = dg.connectionCount();
            dg.script(before, ConnectionScript.refuse(status));
            Driver d = Driver.create(kind, client);
            d.configure(enabled(), LivenessConfig.defaults());
            Throwable t = startFailure(d);
            assertThat(t).isInstanceOf(DeepgramException.class);
            DeepgramException e = (DeepgramException) t;
            assertThat(e.httpStatus()).isEqualTo(status);
            assertThat(e.isRetryable()).isFalse();
            assertThat(e.dgError()).isNotBlank();
            assertThat(e.requestId()).isNotBlank();
            assertThat(e.getMessage()).contains(Integer.toString(status)).doesNotContain("good-key");
            assertOneErrorAndReleased(d);
            assertThat(dg.connectionCount()).isEqualTo(before + 1);
        }
    }

    @ParameterizedTest
    @EnumSource(Driver.Kind.class)
    void staticKey401IsFatalAtOnce(Driver.Kind kind) {
        try (DeepgramClient bad = newClient("wrong-key")) {
            Driver d = Driver.create(kind, bad);
            d.configure(enabled(), LivenessConfig.defaults());
            DeepgramException e = (DeepgramException) startFailure(d);
            assertThat(e.httpStatus()).isEqualTo(401);
            assertThat(e.getMessage()).doesNotContain("wrong-key");
            assertThat(e.toString()).doesNotContain("wrong-key");
            assertOneErrorAndReleased(d);
            assertThat(dg.connectionCount()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Driver.Kind.class)
    void tokenStill401AfterOneRefreshIsFatal(Driver.Kind kind) {
        AtomicInteger calls = new AtomicInteger();
        try (DeepgramClient c = DeepgramClient.builder()
                .accessTokenProvider(() -> "expired-" + calls.incrementAndGet())
                .baseUrl(URI.create(dg.baseUrl()))
                .build()) {
            Driver d = Driver.create(kind, c);
            d.configure(enabled(), LivenessConfig.defaults());
            DeepgramException e = (DeepgramException) startFailure(d);
            assertThat(e.httpStatus()).isEqualTo(401);
            assertThat(e.errCode()).isEqualTo("INVALID_AUTH");
            assertOneErrorAndReleased(d);
            assertThat(calls.get()).isEqualTo(2);
            assertThat(dg.connectionCount()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Driver.Kind.class)
    void data0000CloseMidStreamIsFatal(Driver.Kind kind) throws Exception {
        dg.script(0, ConnectionScript.closeAfter(1.0, 1008, "DATA-0000 The payload cannot be decoded as audio"));
        Driver d = Driver.create(kind, client);
        d.configure(enabled(), LivenessConfig.defaults());
        d.start(Speech.options());
        // Exactly the second of audio that triggers the close, then none: writing on would race the close frame
        // against a write failing on the closed socket, retried as a broken pipe when the reader is late.
        d.stream(java.util.Arrays.copyOf(Speech.AUDIO, Speech.BYTES_PER_SECOND), Speech.BYTES_PER_SECOND, 5);
        await().atMost(Duration.ofSeconds(5)).until(d.log::closed);
        DeepgramException e = d.log.of(ErrorEvent.class).get(0).error();
        assertThat(e.closeCode()).isEqualTo(1008);
        assertThat(e.closeReason()).startsWith("DATA-0000");
        assertThat(e.isRetryable()).isFalse();
        d.finish(); // idempotent no-op on a failed session
        assertOneErrorAndReleased(d);
        assertThat(dg.connectionCount()).isEqualTo(1);
    }
}
