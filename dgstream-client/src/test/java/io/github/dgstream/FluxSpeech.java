package io.github.dgstream;

import io.github.dgstream.emulator.speech.ExpectedWord;
import java.util.ArrayList;
import java.util.List;

/** Multi-turn test speech for Flux (the same encoded audio as {@link Speech}); one utterance = one turn. */
final class FluxSpeech {
    /** Words of each utterance, in order. */
    static final List<List<ExpectedWord>> UTTERANCES = split(Speech.TIMELINE);

    static FluxOptions options() {
        return FluxOptions.builder()
                .model("flux-general-en")
                .encoding("linear16")
                .sampleRate(16000)
                .eotThreshold(0.7)
                .eagerEotThreshold(0.5)
                .build();
    }

    /** Audio seconds shortly before the first word. */
    static double beforeTurns() {
        return UTTERANCES.get(0).get(0).start() * 0.5;
    }

    /** Audio seconds in the middle of utterance {@code u}. */
    static double insideTurn(int u) {
        List<ExpectedWord> ws = UTTERANCES.get(u);
        return (ws.get(0).start() + ws.get(ws.size() - 1).end()) / 2;
    }

    /** Audio seconds after the end of turn {@code u} (EndOfTurn sent) and before the next turn starts. */
    static double betweenTurns(int u) {
        List<ExpectedWord> ws = UTTERANCES.get(u);
        return ws.get(ws.size() - 1).end() + 0.5;
    }

    /** The text Flux gives a finished turn: first word capitalised, '.' at the end. */
    static String turnText(int u) {
        StringBuilder sb = new StringBuilder();
        List<ExpectedWord> ws = UTTERANCES.get(u);
        for (int i = 0; i < ws.size(); i++) {
            String w = ws.get(i).word();
            if (i == 0) {
                w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
            }
            sb.append(i == 0 ? "" : " ").append(w);
        }
        return sb.toString();
    }

    private static List<List<ExpectedWord>> split(List<ExpectedWord> timeline) {
        List<List<ExpectedWord>> out = new ArrayList<>();
        List<ExpectedWord> cur = new ArrayList<>();
        for (ExpectedWord w : timeline) {
            if (!cur.isEmpty() && w.start() - cur.get(cur.size() - 1).end() > 0.4) {
                out.add(cur);
                cur = new ArrayList<>();
            }
            cur.add(w);
        }
        out.add(cur);
        return List.copyOf(out);
    }

    private FluxSpeech() {}
}
