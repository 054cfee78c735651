package io.github.dgstream.emulator.speech;

/**
 * A stretch of speech activity found by {@link SpeechDecoder}.
 *
 * @param word the decoded word, or the empty string when the audio was voiced but not decodable speech code
 * @param start seconds from the first sample the decoder saw to the word's onset
 * @param end seconds from the first sample the decoder saw to the word's offset
 * @param confidence in [0, 1]: the share of the word's analysis frames that belonged to a character; 0 when not
 *     recognized
 */
public record DecodedWord(String word, double start, double end, double confidence) {
    /** True when the audio decoded to actual characters. */
    public boolean recognized() {
        return !word.isEmpty();
    }
}
