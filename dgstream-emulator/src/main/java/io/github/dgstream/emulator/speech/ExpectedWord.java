package io.github.dgstream.emulator.speech;

/**
 * A word of encoded speech-code audio with its true timing, as produced by {@link SpeechEncoder#timeline}.
 *
 * @param word the normalized word
 * @param start seconds from the first sample to the first sample of the word's first character tone
 * @param end seconds from the first sample to the end of the word's last character tone
 */
public record ExpectedWord(String word, double start, double end) {}
