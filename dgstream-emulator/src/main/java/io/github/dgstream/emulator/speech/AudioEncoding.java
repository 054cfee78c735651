package io.github.dgstream.emulator.speech;

import java.util.Locale;
import java.util.Optional;

/** Sample encodings the emulator understands, named as in Deepgram's {@code encoding} query parameter. */
public enum AudioEncoding {
    /** Signed 16-bit little-endian PCM. */
    LINEAR16("linear16"),
    /** ITU-T G.711 mu-law, one byte per sample. */
    MULAW("mulaw");

    private final String wireName;

    AudioEncoding(String wireName) {
        this.wireName = wireName;
    }

    /** The name used on the wire, e.g. {@code "linear16"}. */
    public String wireName() {
        return wireName;
    }

    /** Looks up an encoding by its wire name, ignoring case; empty for null or unknown names. */
    public static Optional<AudioEncoding> fromWireName(String s) {
        if (s == null) {
            return Optional.empty();
        }
        String wanted = s.trim().toLowerCase(Locale.ROOT);
        for (AudioEncoding encoding : values()) {
            if (encoding.wireName.equals(wanted)) {
                return Optional.of(encoding);
            }
        }
        return Optional.empty();
    }
}
