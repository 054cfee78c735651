package io.github.dgstream.emulator;

import io.github.dgstream.emulator.speech.AudioFormat;
import io.github.dgstream.emulator.speech.DecodedWord;
import io.github.dgstream.emulator.speech.SpeechDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One connection's audio: hashing, the container/undecodable check, and feeding the decoder in 10 ms steps on the
 * connection's audio timeline, so the emulator's decisions do not depend on how the client chunks its audio.
 *
 * <p>The DATA-0000 rule: when raw {@code encoding} was declared, a stream that begins with a container magic
 * ({@code RIFF}, {@code OggS}, {@code fLaC}, {@code ID3}, EBML/WebM) is undecodable. When no {@code encoding} was
 * declared, the stream must begin with a WAV header (PCM 16-bit mono at 8/16/24/48 kHz, or mu-law 8 kHz mono);
 * anything else is undecodable. Nothing is checked mid-stream (an odd linear16 byte count is fine).
 */
final class AudioInput {
    static final long STEP_MS = 10;
    private static final int MAX_WAV_HEADER = 64 * 1024;

    /** Called at each 10 ms boundary; return false to stop processing the rest of the frame. */
    interface StepListener {
        boolean onStep(long audioMs);
    }

    private final boolean expectWav;
    private final MessageDigest sha256;
    private final ByteArrayOutputStream prefix = new ByteArrayOutputStream();
    private final List<DecodedWord> completed = new ArrayList<>();
    private AudioFormat format;
    private SpeechDecoder decoder;
    private long stepBytes;
    private boolean started;
    private long totalBytes;
    private long dataBytes;

    AudioInput(AudioFormat declared) {
        this.expectWav = declared == null;
        if (declared != null) {
            setFormat(declared);
        }
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void setFormat(AudioFormat f) {
        this.format = f;
        this.decoder = new SpeechDecoder(f);
        this.stepBytes = f.bytesPerSecond() * STEP_MS / 1000;
    }

    /**
     * Feeds one binary frame.
     *
     * @return null, or the reason the audio is undecodable (the caller closes 1008 DATA-0000)
     */
    String feed(byte[] data, StepListener listener) {
        totalBytes += data.length;
        sha256.update(data);
        if (!started) {
            prefix.writeBytes(data);
            byte[] head = prefix.toByteArray();
            if (expectWav) {
                WavHeader.Result r = WavHeader.parse(head, MAX_WAV_HEADER);
                if (r.error() != null) {
                    return r.error();
                }
                if (r.format() == null) {
                    return null; // need more header bytes
                }
                setFormat(r.format());
                started = true;
                prefix.reset();
                return step(head, r.dataOffset(), listener);
            }
            if (head.length < 4) {
                return null;
            }
            String magic = containerMagic(head);
            if (magic != null) {
                return "a " + magic + " container arrived but raw "
                        + format.encoding().wireName() + " was declared";
            }
            started = true;
            prefix.reset();
            return step(head, 0, listener);
        }
        return step(data, 0, listener);
    }

    private String step(byte[] data, int offset, StepListener listener) {
        int off = offset;
        while (off < data.length) {
            long toBoundary = stepBytes - (dataBytes % stepBytes);
            int n = (int) Math.min(toBoundary, data.length - off);
            completed.addAll(decoder.accept(data, off, n));
            dataBytes += n;
            off += n;
            if (dataBytes % stepBytes == 0 && !listener.onStep(dataBytes / stepBytes * STEP_MS)) {
                return null;
            }
        }
        return null;
    }

    static String containerMagic(byte[] h) {
        String four = new String(h, 0, 4, StandardCharsets.ISO_8859_1);
        if (four.equals("RIFF")) {
            return "RIFF/WAV";
        }
        if (four.equals("OggS")) {
            return "Ogg";
        }
        if (four.equals("fLaC")) {
            return "FLAC";
        }
        if (four.startsWith("ID3")) {
            return "MP3 (ID3)";
        }
        if ((h[0] & 0xff) == 0x1A && (h[1] & 0xff) == 0x45 && (h[2] & 0xff) == 0xDF && (h[3] & 0xff) == 0xA3) {
            return "WebM/Matroska";
        }
        return null;
    }

    /** Words completed since the last call. */
    List<DecodedWord> drainWords() {
        if (completed.isEmpty()) {
            return List.of();
        }
        List<DecodedWord> out = List.copyOf(completed);
        completed.clear();
        return out;
    }

    /** Force-completes the word in progress; returns every undelivered completed word. */
    List<DecodedWord> flush() {
        if (decoder != null) {
            completed.addAll(decoder.flush());
        }
        return drainWords();
    }

    SpeechDecoder decoder() {
        return decoder;
    }

    /** Whether decoding started (format known, first bytes checked). */
    boolean started() {
        return started;
    }

    long totalBytes() {
        return totalBytes;
    }

    double seconds() {
        return format == null ? 0 : format.secondsOf(dataBytes);
    }

    /** Audio time in whole milliseconds (floor). */
    long audioMs() {
        return format == null ? 0 : dataBytes * 1000 / format.bytesPerSecond();
    }

    String sha256Hex() {
        try {
            MessageDigest copy = (MessageDigest) sha256.clone();
            return HexFormat.of().formatHex(copy.digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }
}
