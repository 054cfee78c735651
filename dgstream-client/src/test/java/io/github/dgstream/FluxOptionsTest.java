package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** FluxOptions and FluxConfigure validate every value and name the field. */
class FluxOptionsTest {

    @Test
    void settersNameTheField() {
        FluxOptions.Builder b = FluxOptions.builder();
        assertThatThrownBy(() -> b.model("nova-3")).hasMessageContaining("model");
        assertThatThrownBy(() -> b.encoding("flac")).hasMessageContaining("encoding");
        assertThatThrownBy(() -> b.sampleRate(11025)).hasMessageContaining("sample_rate");
        assertThatThrownBy(() -> b.eotThreshold(0.4)).hasMessageContaining("eot_threshold");
        assertThatThrownBy(() -> b.eagerEotThreshold(0.95)).hasMessageContaining("eager_eot_threshold");
        assertThatThrownBy(() -> b.eotTimeoutMs(100)).hasMessageContaining("eot_timeout_ms");
        assertThatThrownBy(() -> b.keyterm(" ")).hasMessageContaining("keyterm");
        assertThatThrownBy(() -> b.languageHint("not a tag")).hasMessageContaining("language_hint");
        assertThatThrownBy(() -> b.redact("ssn")).hasMessageContaining("redact");
        assertThatThrownBy(() -> b.tag("")).hasMessageContaining("tag");
    }

    @Test
    void crossFieldRules() {
        assertThatThrownBy(() -> FluxOptions.builder().encoding("linear16").build())
                .hasMessageContaining("sample_rate");
        assertThatThrownBy(() -> FluxOptions.builder().sampleRate(16000).build())
                .hasMessageContaining("encoding");
        assertThatThrownBy(() -> FluxOptions.builder().languageHint("es").build())
                .hasMessageContaining("flux-general-multi");
        assertThatThrownBy(() -> FluxOptions.builder()
                        .eotThreshold(0.6)
                        .eagerEotThreshold(0.7)
                        .build())
                .hasMessageContaining("eager_eot_threshold");
        assertThatThrownBy(() -> FluxConfigure.builder().build()).hasMessageContaining("at least one");
        assertThatThrownBy(() -> FluxConfigure.builder().eotTimeoutMs(70_000)).hasMessageContaining("eot_timeout_ms");
    }

    @Test
    void everyProtocolParameterIsWrittenAndRepeatablesRepeat() {
        FluxOptions o = FluxOptions.builder()
                .model("flux-general-multi")
                .encoding("mulaw")
                .sampleRate(8000)
                .eotThreshold(1.0)
                .eagerEotThreshold(0.5)
                .eotTimeoutMs(60_000)
                .keyterm("a")
                .keyterm("b")
                .languageHint("es")
                .languageHint("en-US")
                .numerals(true)
                .profanityFilter(false)
                .redact("numbers")
                .mipOptOut(true)
                .tag("t1")
                .tag("t2")
                .build();
        assertThat(o.queryParameters())
                .extracting(e -> e.getKey() + "=" + e.getValue())
                .containsExactly(
                        "model=flux-general-multi",
                        "encoding=mulaw",
                        "sample_rate=8000",
                        "eot_threshold=1",
                        "eager_eot_threshold=0.5",
                        "eot_timeout_ms=60000",
                        "keyterm=a",
                        "keyterm=b",
                        "language_hint=es",
                        "language_hint=en-US",
                        "numerals=true",
                        "profanity_filter=false",
                        "redact=numbers",
                        "mip_opt_out=true",
                        "tag=t1",
                        "tag=t2");
        FluxOptions applied =
                o.withApplied(new FluxEvent.ConfigureSuccess("r", 0.8, null, 3000, List.of("k"), List.of("fr")));
        assertThat(applied.get("eot_threshold")).isEqualTo("0.8");
        assertThat(applied.get("eager_eot_threshold")).isNull();
        assertThat(applied.getAll("keyterm")).containsExactly("k");
        assertThat(applied.getAll("language_hint")).containsExactly("fr");
        assertThat(applied.getAll("tag")).containsExactly("t1", "t2");
    }
}
