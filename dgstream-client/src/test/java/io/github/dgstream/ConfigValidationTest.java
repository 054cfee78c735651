package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dgstream.internal.Backoff;
import io.github.dgstream.internal.V1Adapter;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pure tests: config validation messages, the backoff table, LiveOptions and URL building, misuse. */
class ConfigValidationTest {

    @Test
    void reconnectionDefaultsMatchTheIssue() {
        ReconnectionConfig c = ReconnectionConfig.defaults();
        assertThat(c.enabled()).isFalse();
        assertThat(c.maxRetries()).isEqualTo(5);
        assertThat(c.initialDelayMs()).isEqualTo(1000);
        assertThat(c.maxDelayMs()).isEqualTo(30_000);
        assertThat(c.backoffMultiplier()).isEqualTo(2.0);
        assertThat(c.jitter()).isTrue();
        assertThat(c.replay()).isEqualTo(ReplayPolicy.sinceLastFinal());
        assertThat(c.bufferSeconds()).isEqualTo(30.0);
        assertThat(c.toBuilder().build().toString()).isEqualTo(c.toString());
    }

    @Test
    void invalidReconnectionConfigNamesTheField() {
        assertThatThrownBy(() -> ReconnectionConfig.builder().initialDelayMs(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initialDelayMs");
        assertThatThrownBy(() -> ReconnectionConfig.builder().maxDelayMs(-5)).hasMessageContaining("maxDelayMs");
        assertThatThrownBy(() -> ReconnectionConfig.builder().backoffMultiplier(0.5))
                .hasMessageContaining("backoffMultiplier");
        assertThatThrownBy(() -> ReconnectionConfig.builder().maxRetries(-1)).hasMessageContaining("maxRetries");
        assertThatThrownBy(() -> ReconnectionConfig.builder().bufferSeconds(0)).hasMessageContaining("bufferSeconds");
        assertThatThrownBy(() -> ReconnectionConfig.builder()
                        .initialDelayMs(5000)
                        .maxDelayMs(1000)
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("initialDelayMs")
                .hasMessageContaining("maxDelayMs");
        assertThatThrownBy(() -> ReplayPolicy.capped(-1)).hasMessageContaining("capSeconds");
        assertThatThrownBy(() -> LivenessConfig.builder().pongTimeoutMs(0)).hasMessageContaining("pongTimeoutMs");
    }

    @ParameterizedTest(name = "attempt {0}, random {1} -> {2} ms")
    @CsvSource({
        "1, 0.0, 0",
        "1, 0.5, 250",
        "1, 0.999, 500",
        "2, 0.5, 500",
        "3, 0.5, 1000",
        "4, 1.0, 4000",
        "5, 1.0, 5000",
        "9, 0.5, 2500"
    })
    void fullJitterBackoffTable(int attempt, double random, long expected) {
        ReconnectionConfig c = ReconnectionConfig.builder()
                .initialDelayMs(500)
                .maxDelayMs(5000)
                .backoffMultiplier(2.0)
                .jitter(true)
                .build();
        assertThat(Backoff.delayMs(c, attempt, false, random)).isEqualTo(expected);
        assertThat(Backoff.delayMs(c, attempt, true, random))
                .as("fast retry after healthy")
                .isZero();
    }

    @Test
    void backoffWithoutJitterIsTheFormula() {
        ReconnectionConfig c = ReconnectionConfig.builder()
                .initialDelayMs(100)
                .maxDelayMs(1000)
                .backoffMultiplier(3.0)
                .jitter(false)
                .build();
        long[] expected = {100, 300, 900, 1000, 1000};
        for (int n = 1; n <= 5; n++) {
            assertThat(Backoff.delayMs(c, n, false, 0.123)).isEqualTo(expected[n - 1]);
        }
    }

    @Test
    void liveOptionsBuildTheUrlWithRepeatedKeysAndLowercaseBooleans() {
        LiveOptions o = LiveOptions.builder()
                .model("nova-3")
                .language("en-US")
                .encoding("linear16")
                .sampleRate(16000)
                .channels(2)
                .multichannel(true)
                .interimResults(true)
                .utteranceEndMs(1000)
                .smartFormat(true)
                .endpointingDisabled()
                .keyterm("Deepgram")
                .keyterm("customer service")
                .redact("pci")
                .redact("ssn")
                .replace("foo:bar")
                .search("hello")
                .tag("a:b")
                .tag("c")
                .extra("k:v")
                .build();
        URI uri = new V1Adapter(o).uri(URI.create("ws://127.0.0.1:1234/"));
        assertThat(uri.toString())
                .isEqualTo("ws://127.0.0.1:1234/v1/listen?model=nova-3&language=en-US&encoding=linear16"
                        + "&sample_rate=16000&channels=2&multichannel=true&interim_results=true&utterance_end_ms=1000"
                        + "&smart_format=true&endpointing=false&keyterm=Deepgram&keyterm=customer%20service"
                        + "&redact=pci&redact=ssn&replace=foo%3Abar&search=hello&tag=a%3Ab&tag=c&extra=k%3Av");
        V1Adapter a = new V1Adapter(o);
        assertThat(a.bytesPerSecond()).isEqualTo(64000.0);
        assertThat(a.frameBytes()).isEqualTo(4);
        assertThat(new V1Adapter(LiveOptions.builder().model("nova-3").build()).bytesPerSecond())
                .isZero();
        assertThat(new V1Adapter(LiveOptions.builder()
                                .encoding("mulaw")
                                .sampleRate(8000)
                                .build())
                        .bytesPerSecond())
                .isEqualTo(8000.0);
    }

    @Test
    void invalidLiveOptionsNameTheField() {
        assertThatThrownBy(() -> LiveOptions.builder().encoding("mp3")).hasMessageContaining("encoding");
        assertThatThrownBy(() -> LiveOptions.builder().sampleRate(0)).hasMessageContaining("sampleRate");
        assertThatThrownBy(() -> LiveOptions.builder().language("english us")).hasMessageContaining("language");
        assertThatThrownBy(() -> LiveOptions.builder().redact("everything")).hasMessageContaining("redact");
        assertThatThrownBy(() -> LiveOptions.builder().diarizeModel("v2")).hasMessageContaining("diarizeModel");
        assertThatThrownBy(() -> LiveOptions.builder().callbackMethod("PATCH")).hasMessageContaining("callbackMethod");
        assertThatThrownBy(() -> LiveOptions.builder().tag("x".repeat(129))).hasMessageContaining("tag");
        assertThatThrownBy(() -> LiveOptions.builder().utteranceEndMs(1000).build())
                .hasMessageContaining("utteranceEndMs")
                .hasMessageContaining("interimResults");
        assertThatThrownBy(() -> LiveOptions.builder().encoding("linear16").build())
                .hasMessageContaining("sampleRate");
    }

    @Test
    void clientBuilderValidatesAndNeverPrintsTheKey() {
        assertThatThrownBy(() -> DeepgramClient.builder().baseUrl(URI.create("http://x")))
                .hasMessageContaining("baseUrl");
        try (DeepgramClient c = DeepgramClient.builder()
                .apiKey("super-secret-key")
                .baseUrl(URI.create("ws://127.0.0.1:1"))
                .build()) {
            assertThat(c.toString()).doesNotContain("super-secret-key").contains("****");
            ListenWebSocketClient conn = c.listen().live().v("1");
            assertThatThrownBy(() -> conn.send(new byte[] {1}))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("before start()");
            assertThatThrownBy(() -> conn.send((byte[]) null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> c.listen().live().v("2")).hasMessageContaining("version");
            conn.finish(); // finish before start: a no-op
        }
    }
}
