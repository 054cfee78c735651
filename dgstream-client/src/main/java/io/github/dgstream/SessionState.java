package io.github.dgstream;

/**
 * The life cycle of a streaming session (one {@code start()} .. {@code finish()}); see the README's state table.
 * Sessions are single-use: CLOSED and FAILED are terminal.
 */
public enum SessionState {
    /** Created, not started. */
    NEW,
    /** Dialling the first connection. */
    CONNECTING,
    /** A connection is open; audio flows. */
    STREAMING,
    /** A connection was lost; waiting for or dialling the next attempt. Audio is buffered. */
    RECONNECTING,
    /** {@code finish()} was called: flushing audio, CloseStream, waiting for the last results and the close. */
    CLOSING,
    /** Ended normally (or by {@code close()}). */
    CLOSED,
    /** Ended by a fatal error or by giving up reconnecting. */
    FAILED;

    public boolean isTerminal() {
        return this == CLOSED || this == FAILED;
    }
}
