package io.github.dgstream.emulator.speech;

import java.util.Objects;
import java.util.Set;

/**
 * A raw audio stream format: encoding, sample rate and channel count.
 *
 * <p>Supported: {@link AudioEncoding#LINEAR16} at 8000, 16000, 24000, 44100 or 48000 Hz; {@link AudioEncoding#MULAW} at
 * 8000 or 16000 Hz; 1 to 8 interleaved channels. All supported rates are multiples of 100 Hz, which the speech code
 * relies on (a 10 ms analysis frame is a whole number of samples). Multi-channel audio is encoded with the same signal
 * on every channel and decoded from the average of the channels. The constructor throws IllegalArgumentException for
 * any other combination.
 */
public record AudioFormat(AudioEncoding encoding, int sampleRate, int channels) {

    private static final Set<Integer> LINEAR16_RATES = Set.of(8000, 16000, 24000, 44100, 48000);
    private static final Set<Integer> MULAW_RATES = Set.of(8000, 16000);
    /** Upper bound on channels; only guards against nonsense values. */
    public static final int MAX_CHANNELS = 8;

    public AudioFormat {
        Objects.requireNonNull(encoding, "encoding");
        Set<Integer> rates = encoding == AudioEncoding.LINEAR16 ? LINEAR16_RATES : MULAW_RATES;
        if (!rates.contains(sampleRate)) {
            throw new IllegalArgumentException(
                    "unsupported sample rate " + sampleRate + " for " + encoding.wireName() + "; supported: " + rates);
        }
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw new IllegalArgumentException(
                    "unsupported channel count " + channels + "; supported: 1.." + MAX_CHANNELS);
        }
    }

    /** Mono signed 16-bit little-endian PCM at the given rate. */
    public static AudioFormat linear16(int sampleRate) {
        return new AudioFormat(AudioEncoding.LINEAR16, sampleRate, 1);
    }

    /** Mono 8 kHz mu-law, the telephony format. */
    public static AudioFormat mulaw8k() {
        return new AudioFormat(AudioEncoding.MULAW, 8000, 1);
    }

    /** Bytes per sample of one channel: 2 for linear16, 1 for mu-law. */
    public int bytesPerSample() {
        return encoding == AudioEncoding.LINEAR16 ? 2 : 1;
    }

    /** Bytes per sample frame (one sample of every channel). */
    public int bytesPerFrame() {
        return bytesPerSample() * channels;
    }

    public int bytesPerSecond() {
        return bytesPerFrame() * sampleRate;
    }

    /** Duration in seconds of the given number of bytes. */
    public double secondsOf(long bytes) {
        return (double) bytes / bytesPerSecond();
    }

    /** Bytes holding the given duration, rounded down to a whole sample frame; 0 for negative durations. */
    public long bytesFor(double seconds) {
        if (!(seconds > 0)) {
            return 0;
        }
        // The tiny epsilon keeps e.g. 0.3 s at 8 kHz at 2400 frames despite binary rounding of 0.3.
        long frames = (long) Math.floor(seconds * sampleRate + 1e-6);
        return frames * bytesPerFrame();
    }
}
