package io.github.dgstream.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dgstream.emulator.speech.DecodedWord;
import io.github.dgstream.emulator.speech.SpeechDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Flux turn state machine (protocol doc §B.3): Initial →StartOfTurn→ TurnOngoing →EagerEndOfTurn→
 * AwaitingEnd →TurnResumed→ TurnOngoing; AwaitingEnd or TurnOngoing →EndOfTurn→ Initial. Produces TurnInfo bodies
 * (without {@code request_id}/{@code sequence_id}) on audio steps. Thresholds map to silence durations as documented
 * in {@link FluxThresholds}.
 */
final class TurnTracker {
    enum State {
        IDLE,
        ONGOING,
        AWAITING_END
    }

    static final long UPDATE_EVERY_MS = 250;
    static final long CUT_MARGIN_MS = 30;

    private final Consumer<ObjectNode> sink;
    private double eot;
    private Double eager;
    private int timeoutMs;
    private State state = State.IDLE;
    private int turnIndex;
    private long windowStartMs;
    private long lastUpdateMs;
    private final List<DecodedWord> words = new ArrayList<>();

    TurnTracker(Consumer<ObjectNode> sink, double eot, Double eager, int timeoutMs) {
        this.sink = sink;
        thresholds(eot, eager, timeoutMs);
    }

    void thresholds(double eot, Double eager, int timeoutMs) {
        this.eot = eot;
        this.eager = eager;
        this.timeoutMs = timeoutMs;
    }

    State state() {
        return state;
    }

    void step(long t, List<DecodedWord> newWords, SpeechDecoder d) {
        boolean inWord = d.inSpeech() || !d.partialWord().isEmpty();
        if (state == State.IDLE) {
            if (!inWord && newWords.isEmpty()) {
                return;
            }
            add(newWords);
            state = State.ONGOING;
            emit("StartOfTurn", t, withPartial(d), 0.0, null);
            return;
        }
        boolean resumedText = newWords.stream().anyMatch(DecodedWord::recognized);
        add(newWords);
        if (state == State.AWAITING_END && (inWord || resumedText)) {
            state = State.ONGOING;
            emit("TurnResumed", t, withPartial(d), 0.0, null);
            return;
        }
        if (!inWord) {
            double silenceMs = d.silenceSeconds() * 1000;
            if (state == State.ONGOING
                    && eager != null
                    && !words.isEmpty()
                    && silenceMs >= FluxThresholds.silenceMs(eager)) {
                state = State.AWAITING_END;
                emit("EagerEndOfTurn", t, punctuated(words, true), FluxThresholds.confidence(silenceMs), null);
            }
            if (eot < 1.0 && silenceMs >= FluxThresholds.silenceMs(eot)) {
                endTurn(t - CUT_MARGIN_MS, "model", FluxThresholds.confidence(silenceMs));
                return;
            }
            if (silenceMs >= timeoutMs) {
                endTurn(t - CUT_MARGIN_MS, "timeout", FluxThresholds.confidence(silenceMs));
                return;
            }
        }
        if (t - lastUpdateMs >= UPDATE_EVERY_MS) {
            emit(
                    "Update",
                    t,
                    withPartial(d),
                    inWord ? 0.0 : FluxThresholds.confidence(d.silenceSeconds() * 1000),
                    null);
        }
    }

    /** ForceEndTurn at audio time {@code t}; {@code flushed} are the words the decoder flush completed. */
    void forceEnd(long t, List<DecodedWord> flushed) {
        if (state == State.IDLE) {
            return;
        }
        boolean changed = flushed.stream().anyMatch(DecodedWord::recognized);
        add(flushed);
        if (state == State.AWAITING_END && changed) {
            emit("TurnResumed", t, punctuated(words, false), 0.0, null);
        }
        endTurn(Math.max(t, windowStartMs), "manual", 1.0);
    }

    /** CloseStream: a trailing Update for a turn in progress (no EndOfTurn). */
    void closeStream(long t, List<DecodedWord> flushed) {
        if (state == State.IDLE) {
            return;
        }
        add(flushed);
        emit("Update", Math.max(t, windowStartMs), punctuated(words, false), 0.0, null);
    }

    private void endTurn(long cutMs, String trigger, double confidence) {
        emit("EndOfTurn", cutMs, punctuated(words, true), confidence, trigger);
        turnIndex++;
        state = State.IDLE;
        words.clear();
        windowStartMs = cutMs;
    }

    private void add(List<DecodedWord> newWords) {
        for (DecodedWord w : newWords) {
            if (w.recognized()) {
                words.add(w);
            }
        }
    }

    private List<DecodedWord> withPartial(SpeechDecoder d) {
        List<DecodedWord> all = new ArrayList<>(words);
        if (!d.partialWord().isEmpty()) {
            all.add(new DecodedWord(d.partialWord(), d.currentSpeechStart(), d.lastVoicedEnd(), 0.9));
        }
        return punctuated(all, false);
    }

    /** Words as Flux sends them: first word capitalised, the last gets '.' when the turn (eagerly) ends. */
    private static List<DecodedWord> punctuated(List<DecodedWord> ws, boolean end) {
        List<DecodedWord> out = new ArrayList<>();
        for (int i = 0; i < ws.size(); i++) {
            DecodedWord w = ws.get(i);
            String p = w.word();
            if (i == 0) {
                p = Character.toUpperCase(p.charAt(0)) + p.substring(1);
            }
            if (end && i == ws.size() - 1) {
                p = p + ".";
            }
            out.add(new DecodedWord(p, w.start(), w.end(), w.confidence()));
        }
        return out;
    }

    private void emit(String event, long endMs, List<DecodedWord> ws, double eotConfidence, String trigger) {
        ObjectNode n = Json.object(null);
        n.put("event", event);
        n.put("turn_index", turnIndex);
        n.put("audio_window_start", Json.sec(windowStartMs));
        n.put("audio_window_end", Json.sec(endMs));
        StringBuilder transcript = new StringBuilder();
        ArrayNode arr = Json.array();
        for (DecodedWord w : ws) {
            ObjectNode o = arr.addObject();
            o.put("word", w.word());
            o.put("confidence", Json.round(w.confidence()));
            o.put("start", Json.round(w.start()));
            o.put("end", Json.round(w.end()));
            if (transcript.length() > 0) {
                transcript.append(' ');
            }
            transcript.append(w.word());
        }
        n.put("transcript", transcript.toString());
        n.set("words", arr);
        n.put("end_of_turn_confidence", eotConfidence);
        if (trigger != null) {
            n.put("trigger", trigger);
        }
        lastUpdateMs = endMs;
        sink.accept(n);
    }
}
