package io.github.dgstream;

/**
 * What a {@link StreamSession} does when its consumer falls behind and the event buffer holds {@link
 * StreamingOptions#eventBufferCapacity()} events. Lifecycle events ({@link OpenEvent}, {@link Reconnecting}, {@link
 * Reconnected}, {@link ReconnectFailed}, {@link ErrorEvent}, {@link CloseEvent}) are never dropped under any policy.
 */
public enum OverflowPolicy {
    /**
     * Stop reading the socket until the consumer has taken half of the buffer (the default). Nothing is lost: the
     * server's messages wait in the TCP buffers and TCP pushes back on the server. Keepalives keep flowing and the
     * liveness watchdog does not count the pause against the connection. If the consumer stalls for long, Deepgram
     * may end the stream on its side.
     */
    BLOCK,

    /**
     * Make room by discarding interim results ({@link StreamEvent.Transcript} with {@code isFinal() == false}),
     * oldest first, including an arriving interim result. Finals, {@code SpeechStarted}, {@code UtteranceEnd},
     * {@code Metadata} and lifecycle events are never dropped: when the buffer holds only such events it behaves as
     * {@link #BLOCK}. The count of discarded results is {@link StreamSession#droppedInterimResults()}.
     */
    DROP_INTERIM,

    /**
     * Fail the session when a server event arrives at a full buffer: the buffered events stay deliverable, the
     * overflowing and later server events are discarded, then an {@link ErrorEvent} whose {@link DeepgramException}
     * has kind {@link DeepgramException.Kind#OVERFLOW} and a {@link CloseEvent} end the stream (state {@link
     * SessionState#FAILED}); the socket is released at once, without CloseStream.
     */
    FAIL
}
