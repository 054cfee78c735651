package io.github.dgstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QueryValidationTest {
    static final Map<String, String> AUTH = Map.of("Authorization", "Token k");
    static DeepgramEmulator dg;

    @BeforeAll
    static void start() {
        dg = DeepgramEmulator.builder().start();
    }

    @AfterAll
    static void stop() {
        dg.close();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "encoding=linear16&sample_rate=16000&bogus=1",
                "encoding=linear16",
                "encoding=linear16&sample_rate=abc",
                "encoding=linear16&sample_rate=44100",
                "encoding=mulaw&sample_rate=16000",
                "encoding=opus&sample_rate=48000",
                "encoding=wav&sample_rate=16000",
                "encoding=linear16&sample_rate=16000&channels=2",
                "encoding=linear16&sample_rate=16000&interim_results=yes",
                "encoding=linear16&sample_rate=16000&utterance_end_ms=1000",
                "encoding=linear16&sample_rate=16000&interim_results=false&utterance_end_ms=1000",
                "encoding=linear16&sample_rate=16000&interim_results=true&utterance_end_ms=soon",
                "encoding=linear16&sample_rate=16000&endpointing=-5",
                "encoding=linear16&sample_rate=16000&endpointing=maybe",
                "encoding=linear16&sample_rate=16000&language=english!",
                "encoding=linear16&sample_rate=16000&model=flux-general-en",
                "encoding=linear16&sample_rate=16000&model=nova-2&keyterm=x",
                "encoding=linear16&sample_rate=16000&model=nova-3&keywords=x:2",
                "encoding=linear16&sample_rate=16000&diarize_model=v2",
                "encoding=linear16&sample_rate=16000&redact=everything",
                "encoding=linear16&sample_rate=16000&callback_method=PATCH",
                "encoding=linear16&sample_rate=16000&punctuate=true&punctuate=false",
                "encoding=linear16&sample_rate=16000&extra=novalue",
                "encoding=linear16&sample_rate=16000&vad_events="
            })
    void invalidV1OptionsGive400(String query) throws Exception {
        HttpResponse<?> r = HandshakeTest.refused(dg.listenUrl() + "?" + query, AUTH);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(HandshakeTest.body(r).path("err_msg").asText()).isNotBlank();
        assertThat(r.headers().firstValue("dg-error")).isPresent();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "encoding=mulaw&sample_rate=8000",
                "encoding=linear16&sample_rate=24000&model=nova-3&keyterm=a&keyterm=b&language=en-US",
                "encoding=linear16&sample_rate=16000&interim_results=true&utterance_end_ms=1000&vad_events=true",
                "encoding=linear16&sample_rate=16000&endpointing=false&punctuate=true&smart_format=TRUE",
                "encoding=linear16&sample_rate=16000&model=nova-2&keywords=deepgram:2&redact=pci&redact=ssn",
                "encoding=linear16&sample_rate=16000&tag=a&tag=b&extra=k:v&diarize=true&diarize_model=v1",
                "encoding=linear16&sample_rate=48000&language=multi&no_delay=true&mip_opt_out=false"
            })
    void validV1OptionsUpgrade(String query) throws Exception {
        RawClient.connect(dg.listenUrl() + "?" + query, AUTH, List.of()).close();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "encoding=linear16&sample_rate=16000",
                "model=nova-3&encoding=linear16&sample_rate=16000",
                "model=flux-general-en&encoding=linear16&sample_rate=12345",
                "model=flux-general-en&encoding=linear16&sample_rate=16000&eot_threshold=0.4",
                "model=flux-general-en&encoding=linear16&sample_rate=16000&eot_threshold=1.1",
                "model=flux-general-en&encoding=linear16&sample_rate=16000&eot_threshold=high",
                "model=flux-general-en&encoding=linear16&sample_rate=16000&eager_eot_threshold=0.2",
                "model=flux-general-en&encoding=linear16&sample_rate=16000&eager_eot_threshold=0.8&eot_threshold=0.6",
                "model=flux-general-en&encoding=linear16&sample_rate=16000&eot_timeout_ms=100",
                "model=flux-general-en&encoding=linear16&sample_rate=16000&eot_timeout_ms=70000",
                "model=flux-general-en&encoding=linear16&sample_rate=16000&language_hint=es",
                "model=flux-general-multi&encoding=linear16&sample_rate=16000&language_hint=",
                "model=flux-general-en&encoding=linear16&sample_rate=16000&interim_results=true",
                "model=flux-general-en&encoding=alaw&sample_rate=8000",
                "model=flux-general-en&encoding=linear16&sample_rate=16000&redact=pci"
            })
    void invalidFluxOptionsGive400(String query) throws Exception {
        assertThat(HandshakeTest.refused(dg.fluxUrl() + "?" + query, AUTH).statusCode())
                .isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "model=flux-general-en&encoding=linear16&sample_rate=16000",
                "model=flux-general-en&encoding=mulaw&sample_rate=8000&eot_threshold=1.0&eot_timeout_ms=60000",
                "model=flux-general-en&encoding=linear16&sample_rate=16000&eager_eot_threshold=0.3&keyterm=x",
                "model=flux-general-multi&encoding=linear16&sample_rate=48000&language_hint=es&language_hint=en",
                "model=flux-general-en&numerals=true&profanity_filter=false&redact=numbers&tag=t&mip_opt_out=true"
            })
    void validFluxOptionsUpgrade(String query) throws Exception {
        try (RawClient c = RawClient.connect(dg.fluxUrl() + "?" + query, AUTH, List.of())) {
            assertThat(c.next().path("type").asText()).isEqualTo("Connected");
        }
    }
}
