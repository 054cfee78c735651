package io.github.dgstream.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.TargetDataLine;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Audio to stream: a WAV file (sent in its own format, never resampled), a raw file with a declared format, or
 * the default microphone. Not thread-safe; read from one thread.
 */
final class AudioSource implements AutoCloseable {

    /** The wire format Deepgram is told about. */
    record Format(String encoding, int sampleRate, int channels, int bytesPerFrame) {
        double bytesPerSecond() {
            return (double) sampleRate * bytesPerFrame;
        }
    }

    private final InputStream in;
    private final Format format;
    private final long totalBytes; // -1 when unknown (microphone)
    private final boolean live;
    private final TargetDataLine line;

    private AudioSource(InputStream in, Format format, long totalBytes, boolean live, TargetDataLine line) {
        this.in = in;
        this.format = format;
        this.totalBytes = totalBytes;
        this.live = live;
        this.line = line;
    }

    static AudioSource wav(Path file) {
        requireReadable(file);
        try {
            AudioFileFormat fileFormat = AudioSystem.getAudioFileFormat(file.toFile());
            AudioInputStream stream = AudioSystem.getAudioInputStream(file.toFile());
            javax.sound.sampled.AudioFormat af = stream.getFormat();
            String encoding = wireEncoding(af);
            if (encoding == null) {
                stream.close();
                throw new CliException(
                        ExitCodes.INPUT,
                        file + ": unsupported WAV encoding " + af.getEncoding() + " " + af.getSampleSizeInBits()
                                + "-bit" + (af.isBigEndian() ? " big-endian" : "")
                                + " (use 16-bit little-endian PCM or mu-law)");
            }
            Format format = new Format(encoding, Math.round(af.getSampleRate()), af.getChannels(), af.getFrameSize());
            // getFrameLength() may be -1: fall back to the file size for progress.
            long frames = stream.getFrameLength();
            long total = frames > 0 ? frames * af.getFrameSize() : Math.max(0, Files.size(file) - 44);
            if (fileFormat.getType() != AudioFileFormat.Type.WAVE) {
                stream.close();
                throw new CliException(
                        ExitCodes.INPUT, file + ": not a WAV file (raw audio needs --encoding and --sample-rate)");
            }
            return new AudioSource(stream, format, total, false, null);
        } catch (UnsupportedAudioFileException e) {
            throw new CliException(
                    ExitCodes.INPUT,
                    file + ": not a readable WAV file (for raw audio pass --encoding and --sample-rate)");
        } catch (IOException e) {
            throw new CliException(ExitCodes.INPUT, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static AudioSource raw(Path file, String encoding, int sampleRate, int channels) {
        requireReadable(file);
        int bytesPerSample = switch (encoding) {
            case "linear16" -> 2;
            case "linear32" -> 4;
            case "mulaw", "alaw" -> 1;
            default ->
                throw new CliException(
                        ExitCodes.USAGE,
                        "--encoding must be linear16, linear32, mulaw or alaw for raw audio, not '" + encoding + "'");
        };
        try {
            return new AudioSource(
                    new BufferedInputStream(Files.newInputStream(file)),
                    new Format(encoding, sampleRate, channels, bytesPerSample * channels),
                    Files.size(file),
                    false,
                    null);
        } catch (IOException e) {
            throw new CliException(ExitCodes.INPUT, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The default microphone at 16 kHz mono 16-bit, falling back to 48 kHz and 8 kHz. */
    static AudioSource microphone() {
        for (int rate : new int[] {16000, 48000, 8000}) {
            javax.sound.sampled.AudioFormat af = new javax.sound.sampled.AudioFormat(rate, 16, 1, true, false);
            DataLine.Info info = new DataLine.Info(TargetDataLine.class, af);
            if (!AudioSystem.isLineSupported(info)) {
                continue;
            }
            try {
                TargetDataLine line = (TargetDataLine) AudioSystem.getLine(info);
                line.open(af);
                line.start();
                return new AudioSource(new AudioInputStream(line), new Format("linear16", rate, 1, 2), -1, true, line);
            } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
                throw new CliException(ExitCodes.INPUT, "the microphone is unavailable: " + e.getMessage(), e);
            }
        }
        throw new CliException(ExitCodes.INPUT, "no microphone found (no capture line supports 16-bit mono PCM)");
    }

    Format format() {
        return format;
    }

    /** Total bytes when known (files), else -1. */
    long totalBytes() {
        return totalBytes;
    }

    /** True for a microphone: audio arrives in real time by itself. */
    boolean live() {
        return live;
    }

    /** Reads up to {@code buffer.length} bytes, whole frames only; returns -1 at the end. */
    int read(byte[] buffer) throws IOException {
        int wanted = buffer.length - buffer.length % format.bytesPerFrame();
        int filled = 0;
        while (filled < wanted) {
            int n = in.read(buffer, filled, wanted - filled);
            if (n < 0) {
                break;
            }
            filled += n;
            if (live && filled > 0) {
                filled -= filled % format.bytesPerFrame();
                if (filled > 0) {
                    break;
                }
            }
        }
        return filled == 0 && wanted > 0 ? -1 : filled;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // Nothing useful to do: the stream is being discarded.
        }
        if (line != null) {
            line.close();
        }
    }

    private static String wireEncoding(javax.sound.sampled.AudioFormat af) {
        javax.sound.sampled.AudioFormat.Encoding enc = af.getEncoding();
        if (enc == javax.sound.sampled.AudioFormat.Encoding.PCM_SIGNED
                && af.getSampleSizeInBits() == 16
                && !af.isBigEndian()) {
            return "linear16";
        }
        if (enc == javax.sound.sampled.AudioFormat.Encoding.PCM_SIGNED
                && af.getSampleSizeInBits() == 32
                && !af.isBigEndian()) {
            return "linear32";
        }
        if (enc == javax.sound.sampled.AudioFormat.Encoding.ULAW) {
            return "mulaw";
        }
        if (enc == javax.sound.sampled.AudioFormat.Encoding.ALAW) {
            return "alaw";
        }
        return null;
    }

    private static void requireReadable(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CliException(ExitCodes.INPUT, "no such file: " + file);
        }
        if (!Files.isReadable(file)) {
            throw new CliException(ExitCodes.INPUT, "cannot read " + file + ": permission denied");
        }
    }
}
