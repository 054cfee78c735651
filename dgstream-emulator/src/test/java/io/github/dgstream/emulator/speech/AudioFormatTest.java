package io.github.dgstream.emulator.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioFormatTest {

    @Test
    void mapsWireNames() {
        assertThat(AudioEncoding.LINEAR16.wireName()).isEqualTo("linear16");
        assertThat(AudioEncoding.MULAW.wireName()).isEqualTo("mulaw");
        assertThat(AudioEncoding.fromWireName("linear16")).contains(AudioEncoding.LINEAR16);
        assertThat(AudioEncoding.fromWireName("MuLaw")).contains(AudioEncoding.MULAW);
        assertThat(AudioEncoding.fromWireName("opus")).isEmpty();
        assertThat(AudioEncoding.fromWireName(null)).isEmpty();
    }

    @Test
    void validatesRatesAndChannels() {
        for (int rate : new int[] {8000, 16000, 24000, 44100, 48000}) {
            assertThat(AudioFormat.linear16(rate).sampleRate()).isEqualTo(rate);
        }
        assertThat(new AudioFormat(AudioEncoding.MULAW, 16000, 1).bytesPerSample())
                .isEqualTo(1);
        assertThatThrownBy(() -> AudioFormat.linear16(22050)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AudioFormat(AudioEncoding.MULAW, 48000, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AudioFormat(AudioEncoding.LINEAR16, 16000, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AudioFormat(null, 16000, 1)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void convertsBetweenBytesAndSeconds() {
        AudioFormat stereo = new AudioFormat(AudioEncoding.LINEAR16, 44100, 2);
        assertThat(stereo.bytesPerFrame()).isEqualTo(4);
        assertThat(stereo.bytesPerSecond()).isEqualTo(176_400);
        assertThat(stereo.secondsOf(176_400 / 2)).isEqualTo(0.5);
        assertThat(AudioFormat.linear16(8000).bytesFor(0.3)).isEqualTo(4800);
        assertThat(AudioFormat.linear16(16000).bytesFor(0.00099)).isEqualTo(30); // 15.84 samples, rounded down
        assertThat(AudioFormat.mulaw8k().bytesFor(1.0)).isEqualTo(8000);
        assertThat(AudioFormat.mulaw8k().bytesFor(-1)).isZero();
    }

    @Test
    void mulawFollowsG711() {
        assertThat(SampleCodec.linearToMulaw((short) 0)).isEqualTo((byte) 0xFF);
        assertThat(SampleCodec.mulawToLinear((byte) 0xFF)).isEqualTo((short) 0);
        assertThat(SampleCodec.mulawToLinear((byte) 0x80)).isEqualTo((short) 32124);
        assertThat(SampleCodec.mulawToLinear((byte) 0x00)).isEqualTo((short) -32124);
        assertThat(SampleCodec.linearToMulaw(Short.MAX_VALUE)).isEqualTo((byte) 0x80);
        assertThat(SampleCodec.linearToMulaw(Short.MIN_VALUE)).isEqualTo((byte) 0x00);
        for (int code = 0; code < 256; code++) {
            if (code != 0x7F) { // 0x7F is "negative zero", which re-encodes as 0xFF
                byte b = (byte) code;
                assertThat(SampleCodec.linearToMulaw(SampleCodec.mulawToLinear(b)))
                        .isEqualTo(b);
            }
        }
    }

    @Test
    void readsWavFilesWithExtraChunks(@TempDir Path dir) throws Exception {
        AudioFormat format = AudioFormat.mulaw8k();
        byte[] data = SpeechEncoder.encode("wav", format);
        byte[] plain = WavAudio.toWav(format, data);
        // Insert a LIST chunk of odd length (padded) between "fmt " and "data".
        ByteBuffer list = ByteBuffer.allocate(8 + 4).order(ByteOrder.LITTLE_ENDIAN);
        list.put("LIST".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt(3)
                .put(new byte[] {1, 2, 3, 0});
        byte[] withList = Decoding.concat(
                java.util.Arrays.copyOfRange(plain, 0, 36),
                list.array(),
                java.util.Arrays.copyOfRange(plain, 36, plain.length));
        Path file = dir.resolve("x.wav");
        Files.write(file, withList);
        WavAudio audio = WavAudio.read(file);
        assertThat(audio.format()).isEqualTo(format);
        assertThat(audio.data()).isEqualTo(data);
        assertThat(audio.seconds()).isEqualTo(format.secondsOf(data.length));
        assertThatThrownBy(() -> WavAudio.read(data)).isInstanceOf(IllegalArgumentException.class);
    }
}
