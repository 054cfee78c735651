package io.github.dgstream.bench;

import java.util.Map;

/**
 * Per-stream transcript accounting, written only by the stream's own handler (handlers of one stream never run
 * concurrently), read after the stream ended. The script's words are distinct, so every received final word is either
 * the next expected one, a later one (the words skipped are lost) or an earlier one (doubled).
 */
final class StreamStats {
    private final Map<String, Integer> index;
    private final int expected;
    private int cursor;
    int finals;
    int received;
    int lost;
    int doubled;
    int unknown;
    /** Seconds of audio the engine reported as lost ({@code Reconnected.lostSeconds}: journal overflow). */
    double reportedLostSeconds;

    StreamStats(SpeechScript script) {
        this.index = script.index;
        this.expected = script.words.size();
    }

    /** A final result begins (its words follow through {@link #word}). */
    void beginFinal() {
        finals++;
    }

    void word(String w) {
        received++;
        Integer i = index.get(w);
        if (i == null) {
            unknown++;
        } else if (i >= cursor) {
            lost += i - cursor;
            cursor = i + 1;
        } else {
            doubled++;
        }
    }

    /**
     * A word as the script has it: Flux capitalises a turn's first word and ends its last with a full stop; the
     * script's words are lower-case letters only.
     */
    static String plain(String w) {
        StringBuilder sb = new StringBuilder(w.length());
        for (int i = 0; i < w.length(); i++) {
            char c = Character.toLowerCase(w.charAt(i));
            if (c >= 'a' && c <= 'z') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Words never received (call once, at the end). */
    int lostAtEnd() {
        return lost + (expected - cursor);
    }
}
