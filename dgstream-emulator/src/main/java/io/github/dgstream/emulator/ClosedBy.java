package io.github.dgstream.emulator;

/** Who ended a recorded connection, and how. */
public enum ClosedBy {
    /** The handshake was refused with an HTTP status; no WebSocket was opened. */
    REFUSED,
    /** The emulator sent a close frame (protocol close, error close, or a scripted close fault). */
    SERVER,
    /** The client sent a close frame first. */
    CLIENT,
    /** The emulator dropped the TCP connection without a close frame (scripted drop fault). */
    DROPPED,
    /** The connection was lost without a close frame and the emulator did not ask for it (client abort, I/O error). */
    ABNORMAL,
    /** The emulator was shut down while the connection was open. */
    SHUTDOWN
}
