package io.github.dgstream;

/**
 * The kind of every event the library delivers, shared by all endpoints so that one record can belong to several
 * sealed event families (v1 {@link StreamEvent} and Flux {@link FluxEvent}).
 */
public enum EventType {
    /** A v1 {@code Results} message ({@link StreamEvent.Transcript}). */
    TRANSCRIPT,
    /** A v1 {@code SpeechStarted} message. */
    SPEECH_STARTED,
    /** A v1 {@code UtteranceEnd} message. */
    UTTERANCE_END,
    /** The server's summary {@code Metadata} message. */
    METADATA,
    /** The first connection of the session is open. */
    OPEN,
    /** The session ended (always the last event). */
    CLOSE,
    /** A reconnect attempt was scheduled. */
    RECONNECTING,
    /** A reconnect attempt succeeded. */
    RECONNECTED,
    /** Reconnecting gave up; terminal. */
    RECONNECT_FAILED,
    /** An error (server error, handler failure, terminal failure). */
    ERROR,
    /** A server message the library does not understand. */
    UNHANDLED,
    /** Flux {@code Connected} (one per socket). */
    CONNECTED,
    /** Flux {@code TurnInfo} StartOfTurn. */
    START_OF_TURN,
    /** Flux {@code TurnInfo} Update. */
    UPDATE,
    /** Flux {@code TurnInfo} EagerEndOfTurn. */
    EAGER_END_OF_TURN,
    /** Flux {@code TurnInfo} TurnResumed. */
    TURN_RESUMED,
    /** Flux {@code TurnInfo} EndOfTurn (possibly synthesized on finish). */
    END_OF_TURN,
    /** Flux {@code ConfigureSuccess}. */
    CONFIGURE_SUCCESS,
    /** Flux {@code ConfigureFailure}. */
    CONFIGURE_FAILURE,
    /** Flux {@code Warning}. */
    WARNING
}
