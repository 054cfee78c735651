package io.github.dgstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dgstream.emulator.speech.AudioFormat;
import io.github.dgstream.emulator.speech.SpeechEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Fault.SendRaw}: raw text and binary frames for hostile-server tests of clients. */
class SendRawFaultTest {
    static final AudioFormat PCM = AudioFormat.linear16(16000);
    static final String V1 = "?encoding=linear16&sample_rate=16000";
    DeepgramEmulator dg;

    @BeforeEach
    void start() {
        dg = DeepgramEmulator.builder().start();
    }

    @AfterEach
    void stop() {
        dg.close();
    }

    @Test
    void rawTextAndBinaryFramesAreSentAndTheConnectionGoesOn() throws Exception {
        dg.enqueue(ConnectionScript.builder()
                .at(Fault.Trigger.onOpen(), Fault.SendRaw.text("{\"type\":\"Res"))
                .sendRawBinaryAfter(0.5, new byte[] {1, 2, 3})
                .build());
        try (RawClient c = RawClient.connect(dg.listenUrl() + V1)) {
            JsonNode first = c.next();
            assertThat(first.path("type").asText()).isEqualTo("<not json>");
            assertThat(first.path("text").asText()).isEqualTo("{\"type\":\"Res");
            c.send(SpeechEncoder.encode("hello world", PCM));
            c.until(n -> n.path("type").asText().equals("<binary>"));
            c.sendType("CloseStream");
            assertThat(c.until(n -> n.path("type").asText().equals("Metadata"))).isNotEmpty();
            assertThat(c.awaitClose().code()).isEqualTo(1000);
        }
        RecordedConnection rec = dg.takeConnection(RawClient.WAIT);
        assertThat(rec.sentTypes()).contains("<raw>", "Results", "Metadata");
    }

    @Test
    void sendRawNeedsExactlyOnePayload() {
        assertThatThrownBy(() -> new Fault.SendRaw(null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Fault.SendRaw("a", new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThat(Fault.SendRaw.binary(new byte[10]).toString()).contains("10 bytes");
    }
}
