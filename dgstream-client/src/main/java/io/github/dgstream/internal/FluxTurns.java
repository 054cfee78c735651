package io.github.dgstream.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dgstream.DeepgramEvent;
import io.github.dgstream.FluxEvent;
import io.github.dgstream.UnhandledMessage;
import io.github.dgstream.Word;
import java.util.ArrayList;
import java.util.List;

/**
 * Reconciles the per-socket Flux turn stream into one session-wide turn stream (resilience notes §3 edge cases
 * 35-40). Each socket restarts {@code turn_index} and its clock at 0 and, after a mid-turn reconnect, re-transcribes
 * the unfinished turn from the replayed audio. This class:
 *
 * <ul>
 *   <li>numbers turns per session (the count of EndOfTurn events delivered so far);
 *   <li>rebases window and word times with the socket's {@link SocketTimeline}, and never lets a turn start before
 *       the previous turn's end;
 *   <li>emits exactly one StartOfTurn and one EndOfTurn per turn: a new socket's StartOfTurn for a turn already open
 *       becomes an Update, Updates that do not get past what was already delivered (the replay catching up) are
 *       dropped, a repeated EagerEndOfTurn with the same text is dropped, and Updates outside any turn (trailing
 *       ones after an EndOfTurn) never open a phantom turn;
 *   <li>reports the watermark: {@code audio_window_end} of each EndOfTurn (a cut point in the silence after the
 *       turn's last word; never before that word's end).
 * </ul>
 *
 * Confined to the session actor.
 */
final class FluxTurns {
    private enum State {
        IDLE,
        ONGOING,
        AWAITING_END
    }

    /** What one TurnInfo turned into. */
    record Result(List<DeepgramEvent> events, double watermark) {}

    private State state = State.IDLE;
    private int turnIndex;
    private double lastEndOfTurn;
    private double lastEmittedEnd;
    private String lastTranscript = "";
    private String eagerTranscript;
    private FluxEvent.Turn lastTurnEvent;
    private boolean socketInTurn;

    /** A new socket opened: its own turn state starts afresh. */
    void newSocket() {
        socketInTurn = false;
    }

    /** Whether the current socket is inside a turn (so it owes us Updates). */
    boolean socketInTurn() {
        return socketInTurn;
    }

    Result onTurnInfo(JsonNode n, String json, SocketTimeline tl) {
        String event = n.path("event").asText("");
        double start = Math.max(tl.toSession(n.path("audio_window_start").asDouble(0)), lastEndOfTurn);
        double end = Math.max(tl.toSession(n.path("audio_window_end").asDouble(0)), start);
        String transcript = n.path("transcript").asText("");
        List<Word> words = new ArrayList<>();
        for (JsonNode w : n.path("words")) {
            words.add(new Word(
                    w.path("word").asText(""),
                    null,
                    tl.toSession(w.path("start").asDouble(0)),
                    tl.toSession(w.path("end").asDouble(0)),
                    w.path("confidence").asDouble(0),
                    null));
        }
        double conf = n.path("end_of_turn_confidence").asDouble(0);
        List<DeepgramEvent> out = new ArrayList<>(2);
        double watermark = Double.NaN;
        switch (event) {
            case "StartOfTurn", "Update" -> {
                boolean start0 = event.equals("StartOfTurn");
                if (start0) {
                    socketInTurn = true;
                }
                if (state == State.IDLE) {
                    if (start0) {
                        state = State.ONGOING;
                        emit(out, new FluxEvent.StartOfTurn(turnIndex, start, end, transcript, words, conf));
                    }
                    // an Update outside any turn (e.g. trailing after EndOfTurn) never opens a phantom turn
                } else if (end > lastEmittedEnd + 1e-9
                        || (end > lastEmittedEnd - 1e-9 && !transcript.equals(lastTranscript))) {
                    emit(out, new FluxEvent.Update(turnIndex, start, end, transcript, words, conf));
                }
            }
            case "EagerEndOfTurn" -> {
                socketInTurn = true;
                openIfIdle(out, start, end, transcript, words);
                if (state == State.AWAITING_END && transcript.equals(eagerTranscript)) {
                    break; // the replayed socket re-announced the same eager end
                }
                if (state == State.AWAITING_END) {
                    emit(out, new FluxEvent.TurnResumed(turnIndex, start, end, transcript, words, 0));
                }
                state = State.AWAITING_END;
                eagerTranscript = transcript;
                emit(out, new FluxEvent.EagerEndOfTurn(turnIndex, start, end, transcript, words, conf));
            }
            case "TurnResumed" -> {
                socketInTurn = true;
                if (state == State.AWAITING_END) {
                    state = State.ONGOING;
                    eagerTranscript = null;
                    emit(out, new FluxEvent.TurnResumed(turnIndex, start, end, transcript, words, conf));
                }
            }
            case "EndOfTurn" -> {
                openIfIdle(out, start, end, transcript, words);
                if (state == State.AWAITING_END && !transcript.equals(eagerTranscript)) {
                    emit(out, new FluxEvent.TurnResumed(turnIndex, start, end, transcript, words, 0));
                }
                String trigger = n.hasNonNull("trigger") ? n.get("trigger").asText() : null;
                out.add(new FluxEvent.EndOfTurn(turnIndex, start, end, transcript, words, conf, trigger, false));
                double lastWordEnd =
                        words.isEmpty() ? start : words.get(words.size() - 1).end();
                watermark = Math.max(end, lastWordEnd);
                closeTurn(watermark);
            }
            default -> out.add(new UnhandledMessage(json)); // open enum: tolerate unknown events
        }
        return new Result(out, watermark);
    }

    /** True when the last EndOfTurn on this socket was a ForceEndTurn answer. */
    static boolean isManual(JsonNode n) {
        return "EndOfTurn".equals(n.path("event").asText())
                && "manual".equals(n.path("trigger").asText());
    }

    /** On a normal finish: the unfinished turn's last text as a synthesized EndOfTurn, or nothing. */
    List<DeepgramEvent> finish() {
        if (state == State.IDLE || lastTurnEvent == null) {
            return List.of();
        }
        FluxEvent.Turn t = lastTurnEvent;
        FluxEvent.EndOfTurn eot = new FluxEvent.EndOfTurn(
                turnIndex,
                t.audioWindowStart(),
                t.audioWindowEnd(),
                t.transcript(),
                t.words(),
                t.endOfTurnConfidence(),
                null,
                true);
        closeTurn(t.audioWindowEnd());
        return List.of(eot);
    }

    private void openIfIdle(List<DeepgramEvent> out, double start, double end, String transcript, List<Word> words) {
        if (state == State.IDLE) {
            state = State.ONGOING;
            emit(out, new FluxEvent.StartOfTurn(turnIndex, start, end, transcript, words, 0));
        }
    }

    private void closeTurn(double end) {
        turnIndex++;
        lastEndOfTurn = Math.max(lastEndOfTurn, end);
        lastEmittedEnd = 0;
        lastTranscript = "";
        eagerTranscript = null;
        lastTurnEvent = null;
        state = State.IDLE;
        socketInTurn = false;
    }

    private void emit(List<DeepgramEvent> out, FluxEvent.Turn e) {
        out.add(e);
        lastEmittedEnd = Math.max(lastEmittedEnd, e.audioWindowEnd());
        lastTranscript = e.transcript();
        lastTurnEvent = e;
    }
}
