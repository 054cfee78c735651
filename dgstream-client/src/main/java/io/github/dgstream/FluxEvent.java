package io.github.dgstream;

import java.util.List;

/**
 * Everything a Flux ({@code /v2/listen}) session delivers, in order: server messages plus the shared lifecycle
 * events. The same records are the payloads of the callback API ({@link FluxEvents}) and the elements of the pull API
 * ({@link FluxSession}).
 *
 * <p>Turn events are reconciled across reconnects: {@link Turn#turnIndex()} keeps increasing over the whole session
 * (0, 1, 2, ... with no gap or repeat), {@link Turn#audioWindowStart()}, {@link Turn#audioWindowEnd()} and word times
 * are session-relative audio seconds (monotonic across sockets), each turn gets exactly one {@link StartOfTurn} and one
 * {@link EndOfTurn}, and a reconnect in the middle of a turn is invisible apart from the {@link Reconnecting} and
 * {@link Reconnected} events (see the module README, "Flux").
 */
public sealed interface FluxEvent extends DeepgramEvent
        permits FluxEvent.Connected,
                FluxEvent.Turn,
                FluxEvent.ConfigureSuccess,
                FluxEvent.ConfigureFailure,
                FluxEvent.Warning,
                OpenEvent,
                CloseEvent,
                Reconnecting,
                Reconnected,
                ReconnectFailed,
                ErrorEvent,
                UnhandledMessage {

    /**
     * The server's {@code Connected} message, once per socket (the first one follows {@link OpenEvent}, later ones
     * follow {@link Reconnected}).
     *
     * @param requestId the socket's request id
     */
    record Connected(String requestId) implements FluxEvent {
        @Override
        public EventType type() {
            return EventType.CONNECTED;
        }
    }

    /** The fields shared by every {@code TurnInfo} event. */
    sealed interface Turn extends FluxEvent permits StartOfTurn, Update, EagerEndOfTurn, TurnResumed, EndOfTurn {
        /** Session-wide turn number, from 0, increasing by one after each {@link EndOfTurn}. */
        int turnIndex();

        /** Start of the turn's audio window, session seconds. */
        double audioWindowStart();

        /** End of the audio transcribed so far (or the turn's cut point for {@link EndOfTurn}), session seconds. */
        double audioWindowEnd();

        /** The whole turn's text so far (not a delta). */
        String transcript();

        /** The turn's words (already punctuated and cased by Flux), session times. */
        List<Word> words();

        /** The model's end-of-turn confidence in [0, 1]. */
        double endOfTurnConfidence();
    }

    /** A new turn began (exactly once per turn, never repeated by a reconnect). */
    record StartOfTurn(
            int turnIndex,
            double audioWindowStart,
            double audioWindowEnd,
            String transcript,
            List<Word> words,
            double endOfTurnConfidence)
            implements Turn {
        public StartOfTurn {
            words = List.copyOf(words);
        }

        @Override
        public EventType type() {
            return EventType.START_OF_TURN;
        }
    }

    /** More of the current turn was transcribed (about every 0.25 s of audio). */
    record Update(
            int turnIndex,
            double audioWindowStart,
            double audioWindowEnd,
            String transcript,
            List<Word> words,
            double endOfTurnConfidence)
            implements Turn {
        public Update {
            words = List.copyOf(words);
        }

        @Override
        public EventType type() {
            return EventType.UPDATE;
        }
    }

    /** The turn probably ended (requires {@code eager_eot_threshold}); a reply may be prepared speculatively. */
    record EagerEndOfTurn(
            int turnIndex,
            double audioWindowStart,
            double audioWindowEnd,
            String transcript,
            List<Word> words,
            double endOfTurnConfidence)
            implements Turn {
        public EagerEndOfTurn {
            words = List.copyOf(words);
        }

        @Override
        public EventType type() {
            return EventType.EAGER_END_OF_TURN;
        }
    }

    /** The speaker went on after an {@link EagerEndOfTurn}: discard the speculative reply. */
    record TurnResumed(
            int turnIndex,
            double audioWindowStart,
            double audioWindowEnd,
            String transcript,
            List<Word> words,
            double endOfTurnConfidence)
            implements Turn {
        public TurnResumed {
            words = List.copyOf(words);
        }

        @Override
        public EventType type() {
            return EventType.TURN_RESUMED;
        }
    }

    /**
     * The turn ended; its transcript is final. Exactly one per turn.
     *
     * @param trigger why it ended as sent by the server ({@code model}, {@code manual}, {@code timeout}, or another
     *     value of this open set), or {@code null}
     * @param synthesized true when the library made this event up on {@code finish()}: Flux sends no EndOfTurn after
     *     CloseStream, so the last Update of an unfinished turn is surfaced as the turn's final text
     */
    record EndOfTurn(
            int turnIndex,
            double audioWindowStart,
            double audioWindowEnd,
            String transcript,
            List<Word> words,
            double endOfTurnConfidence,
            String trigger,
            boolean synthesized)
            implements Turn {
        public EndOfTurn {
            words = List.copyOf(words);
        }

        @Override
        public EventType type() {
            return EventType.END_OF_TURN;
        }
    }

    /**
     * A Configure was applied; the values now in effect.
     *
     * @param eagerEotThreshold {@code null} when eager end-of-turn is off
     */
    record ConfigureSuccess(
            String requestId,
            double eotThreshold,
            Double eagerEotThreshold,
            int eotTimeoutMs,
            List<String> keyterms,
            List<String> languageHints)
            implements FluxEvent {
        public ConfigureSuccess {
            keyterms = List.copyOf(keyterms);
            languageHints = List.copyOf(languageHints);
        }

        @Override
        public EventType type() {
            return EventType.CONFIGURE_SUCCESS;
        }
    }

    /** A Configure was rejected; the previous settings stay in effect and the connection stays open. */
    record ConfigureFailure(String requestId, String code, String description) implements FluxEvent {
        @Override
        public EventType type() {
            return EventType.CONFIGURE_FAILURE;
        }
    }

    /** A non-fatal server {@code Warning}; the connection stays open. */
    record Warning(String code, String description) implements FluxEvent {
        @Override
        public EventType type() {
            return EventType.WARNING;
        }
    }
}
