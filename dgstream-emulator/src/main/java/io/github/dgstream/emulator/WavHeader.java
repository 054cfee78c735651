package io.github.dgstream.emulator;

import io.github.dgstream.emulator.speech.AudioFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Parses the start of a WAV stream: RIFF/WAVE, {@code fmt }, then the {@code data} chunk. */
final class WavHeader {
    /** {@code format} null and {@code error} null: need more bytes. */
    record Result(AudioFormat format, int dataOffset, String error) {}

    private WavHeader() {}

    static Result parse(byte[] b, int maxHeader) {
        if (b.length >= 4 && !new String(b, 0, 4, StandardCharsets.ISO_8859_1).equals("RIFF")) {
            return error("no encoding was declared, so a WAV (RIFF) header was expected");
        }
        if (b.length >= 12 && !new String(b, 8, 4, StandardCharsets.ISO_8859_1).equals("WAVE")) {
            return error("RIFF container is not WAVE");
        }
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        AudioFormat fmt = null;
        while (b.length >= pos + 8) {
            String id = new String(b, pos, 4, StandardCharsets.ISO_8859_1);
            long size = buf.getInt(pos + 4) & 0xffffffffL;
            if (id.equals("data")) {
                if (fmt == null) {
                    return error("WAV data chunk before fmt chunk");
                }
                return new Result(fmt, pos + 8, null);
            }
            if (b.length < pos + 8 + size) {
                break;
            }
            if (id.equals("fmt ")) {
                if (size < 16) {
                    return error("WAV fmt chunk too short");
                }
                int audioFormat = buf.getShort(pos + 8) & 0xffff;
                int channels = buf.getShort(pos + 10) & 0xffff;
                int rate = buf.getInt(pos + 12);
                int bits = buf.getShort(pos + 22) & 0xffff;
                if (channels != 1) {
                    return error("WAV must be mono");
                }
                if (audioFormat == 1
                        && bits == 16
                        && (rate == 8000 || rate == 16000 || rate == 24000 || rate == 48000)) {
                    fmt = AudioFormat.linear16(rate);
                } else if (audioFormat == 7 && bits == 8 && rate == 8000) {
                    fmt = AudioFormat.mulaw8k();
                } else {
                    return error("unsupported WAV format " + audioFormat + "/" + bits + " bit/" + rate + " Hz");
                }
            }
            pos += 8 + (int) size + (int) (size & 1);
        }
        if (b.length > maxHeader) {
            return error("WAV header too long");
        }
        return new Result(null, 0, null);
    }

    private static Result error(String e) {
        return new Result(null, 0, e);
    }
}
