package io.github.dgstream;

/** The typed event keys of a v1 live connection, for {@code connection.on(KEY, handler)}. */
public final class LiveTranscriptionEvents {
    private LiveTranscriptionEvents() {}

    public static final EventKey<OpenEvent> OPEN = EventKey.of(EventType.OPEN, OpenEvent.class);
    public static final EventKey<CloseEvent> CLOSE = EventKey.of(EventType.CLOSE, CloseEvent.class);
    public static final EventKey<StreamEvent.Transcript> TRANSCRIPT =
            EventKey.of(EventType.TRANSCRIPT, StreamEvent.Transcript.class);
    public static final EventKey<StreamEvent.Metadata> METADATA =
            EventKey.of(EventType.METADATA, StreamEvent.Metadata.class);
    public static final EventKey<StreamEvent.SpeechStarted> SPEECH_STARTED =
            EventKey.of(EventType.SPEECH_STARTED, StreamEvent.SpeechStarted.class);
    public static final EventKey<StreamEvent.UtteranceEnd> UTTERANCE_END =
            EventKey.of(EventType.UTTERANCE_END, StreamEvent.UtteranceEnd.class);
    public static final EventKey<Reconnecting> RECONNECTING = EventKey.of(EventType.RECONNECTING, Reconnecting.class);
    public static final EventKey<Reconnected> RECONNECTED = EventKey.of(EventType.RECONNECTED, Reconnected.class);
    public static final EventKey<ReconnectFailed> RECONNECT_FAILED =
            EventKey.of(EventType.RECONNECT_FAILED, ReconnectFailed.class);
    public static final EventKey<ErrorEvent> ERROR = EventKey.of(EventType.ERROR, ErrorEvent.class);
    public static final EventKey<UnhandledMessage> UNHANDLED = EventKey.of(EventType.UNHANDLED, UnhandledMessage.class);
}
