package io.github.dgstream.emulator.speech;

/** Converts between samples in [-1, 1] and the byte layout of an {@link AudioFormat}, including G.711 mu-law. */
final class SampleCodec {

    private static final int MULAW_BIAS = 0x84;
    private static final int MULAW_CLIP = 32635;
    private static final short[] MULAW_TO_LINEAR = new short[256];

    static {
        for (int i = 0; i < 256; i++) {
            MULAW_TO_LINEAR[i] = mulawToLinear((byte) i);
        }
    }

    private SampleCodec() {}

    /** Quantizes a sample in [-1, 1] (clipped) to signed 16 bits. */
    static short toPcm16(double sample) {
        double clipped = Math.max(-1.0, Math.min(1.0, sample));
        return (short) Math.round(clipped * 32767.0);
    }

    /** Writes one sample frame (the same value on every channel) at the given byte offset. */
    static void write(double sample, AudioFormat format, byte[] out, int offset) {
        short pcm = toPcm16(sample);
        int position = offset;
        for (int channel = 0; channel < format.channels(); channel++) {
            if (format.encoding() == AudioEncoding.LINEAR16) {
                out[position] = (byte) pcm;
                out[position + 1] = (byte) (pcm >> 8);
                position += 2;
            } else {
                out[position] = linearToMulaw(pcm);
                position += 1;
            }
        }
    }

    /** Reads one channel sample at the given byte offset as a value in [-1, 1). */
    static double read(AudioFormat format, byte[] data, int offset) {
        if (format.encoding() == AudioEncoding.LINEAR16) {
            int pcm = (data[offset] & 0xFF) | (data[offset + 1] << 8);
            return pcm / 32768.0;
        }
        return MULAW_TO_LINEAR[data[offset] & 0xFF] / 32768.0;
    }

    /** G.711 mu-law encoding of a 16-bit sample (the classic Sun/CCITT reference algorithm). */
    static byte linearToMulaw(short pcm) {
        int sample = pcm;
        int sign = (sample >> 8) & 0x80;
        if (sign != 0) {
            sample = -sample;
        }
        if (sample > MULAW_CLIP) {
            sample = MULAW_CLIP;
        }
        sample += MULAW_BIAS;
        int exponent = 7;
        for (int mask = 0x4000; (sample & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = (sample >> (exponent + 3)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }

    /** G.711 mu-law decoding to a 16-bit sample. */
    static short mulawToLinear(byte mulaw) {
        int value = ~mulaw & 0xFF;
        int sign = value & 0x80;
        int exponent = (value >> 4) & 0x07;
        int mantissa = value & 0x0F;
        int magnitude = (((mantissa << 3) + MULAW_BIAS) << exponent) - MULAW_BIAS;
        return (short) (sign != 0 ? -magnitude : magnitude);
    }
}
