package io.github.dgstream;

/**
 * One recognised word. Times are session-relative audio seconds (monotonic across reconnects).
 *
 * @param word the word as recognised (v1: lower case, unpunctuated)
 * @param punctuatedWord the punctuated/cased form, or {@code null} when the server did not send one
 * @param start start of the word in session audio seconds
 * @param end end of the word in session audio seconds
 * @param confidence recogniser confidence in [0, 1]
 * @param speaker diarization speaker, or {@code null} without diarization
 */
public record Word(String word, String punctuatedWord, double start, double end, double confidence, Integer speaker) {

    /** The punctuated form when present, otherwise the plain word. */
    public String displayText() {
        return punctuatedWord != null ? punctuatedWord : word;
    }
}
