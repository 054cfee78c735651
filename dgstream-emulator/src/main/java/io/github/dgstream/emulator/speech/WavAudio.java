package io.github.dgstream.emulator.speech;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A minimal RIFF/WAVE reader and writer for the formats of {@link AudioFormat}: 16-bit PCM (format tag 1) and mu-law
 * (format tag 7), also when wrapped in WAVE_FORMAT_EXTENSIBLE. Chunks other than "fmt " and "data" are skipped.
 *
 * @param format the audio format from the "fmt " chunk
 * @param data the raw sample bytes of the "data" chunk (not copied; do not modify)
 */
public record WavAudio(AudioFormat format, byte[] data) {

    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_MULAW = 7;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;

    public WavAudio {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(data, "data");
    }

    public static WavAudio read(Path path) {
        try {
            return read(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /**
     * Parses a WAV file.
     *
     * @throws IllegalArgumentException if it is not a WAV file of a supported format
     */
    public static WavAudio read(byte[] wav) {
        ByteBuffer buffer = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        if (wav.length < 12 || buffer.getInt(0) != fourCc("RIFF") || buffer.getInt(8) != fourCc("WAVE")) {
            throw new IllegalArgumentException("not a RIFF/WAVE file");
        }
        AudioFormat format = null;
        int position = 12;
        while (position + 8 <= wav.length) {
            int id = buffer.getInt(position);
            long size = Integer.toUnsignedLong(buffer.getInt(position + 4));
            int body = position + 8;
            if (id == fourCc("fmt ")) {
                format = parseFormat(buffer, body, size);
            } else if (id == fourCc("data")) {
                if (format == null) {
                    throw new IllegalArgumentException("WAV data chunk before fmt chunk");
                }
                // Streaming writers leave the size at 0 or 0xFFFFFFFF: take everything that is there.
                long available = wav.length - body;
                int length = (int) (size == 0 || size > available ? available : size);
                length -= length % format.bytesPerFrame();
                byte[] data = new byte[length];
                System.arraycopy(wav, body, data, 0, length);
                return new WavAudio(format, data);
            }
            position = (int) Math.min(wav.length, body + size + (size & 1)); // chunks are padded to even sizes
        }
        throw new IllegalArgumentException("WAV file has no data chunk");
    }

    /** A WAV file holding the given raw audio. */
    public static byte[] toWav(AudioFormat format, byte[] data) {
        boolean pcm = format.encoding() == AudioEncoding.LINEAR16;
        ByteBuffer out = ByteBuffer.allocate(44 + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(fourCc("RIFF")).putInt(36 + data.length).putInt(fourCc("WAVE"));
        out.putInt(fourCc("fmt ")).putInt(16);
        out.putShort((short) (pcm ? FORMAT_PCM : FORMAT_MULAW)).putShort((short) format.channels());
        out.putInt(format.sampleRate()).putInt(format.bytesPerSecond());
        out.putShort((short) format.bytesPerFrame()).putShort((short) (8 * format.bytesPerSample()));
        out.putInt(fourCc("data")).putInt(data.length).put(data);
        return out.array();
    }

    /** Duration of the audio in seconds. */
    public double seconds() {
        return format.secondsOf(data.length);
    }

    private static AudioFormat parseFormat(ByteBuffer buffer, int body, long size) {
        if (size < 16 || body + 16 > buffer.capacity()) {
            throw new IllegalArgumentException("WAV fmt chunk too short");
        }
        int tag = Short.toUnsignedInt(buffer.getShort(body));
        int channels = Short.toUnsignedInt(buffer.getShort(body + 2));
        int sampleRate = buffer.getInt(body + 4);
        int bitsPerSample = Short.toUnsignedInt(buffer.getShort(body + 14));
        if (tag == FORMAT_EXTENSIBLE && size >= 26 && body + 26 <= buffer.capacity()) {
            tag = Short.toUnsignedInt(buffer.getShort(body + 24)); // first two bytes of the sub-format GUID
        }
        if (tag == FORMAT_PCM && bitsPerSample == 16) {
            return new AudioFormat(AudioEncoding.LINEAR16, sampleRate, channels);
        }
        if (tag == FORMAT_MULAW && bitsPerSample == 8) {
            return new AudioFormat(AudioEncoding.MULAW, sampleRate, channels);
        }
        throw new IllegalArgumentException("unsupported WAV format tag " + tag + " with " + bitsPerSample
                + " bits per sample;" + " supported: 16-bit PCM and 8-bit mu-law");
    }

    private static int fourCc(String name) {
        return (name.charAt(0)) | (name.charAt(1) << 8) | (name.charAt(2) << 16) | (name.charAt(3) << 24);
    }
}
