package io.github.dgstream.internal;

import io.github.dgstream.DeepgramException;

/** State of one socket generation. Confined to the session actor (except the final {@code gen}). */
final class Connection {
    final int gen;
    Transport.Socket socket;
    boolean open;
    boolean dead;
    Scheduler.Cancellable connectTimer;
    Scheduler.Cancellable tick;
    SocketTimeline timeline;

    /** Next source position to send on this socket; position after the last completed audio send. */
    long nextPos;

    long ackedPos;
    /** A write is pending on the socket (the JDK allows one); since {@link #sendStartedAt}. */
    boolean sending;

    long sendStartedAt;
    /** Source position after the pending write if it carries audio, else -1. */
    long sendEndPos = -1;
    /** A write failed: nothing more is written; the reader has a short grace to report the close. */
    boolean writeFailed;
    /** When the first write failed (nanoTime): the outage starts there, not at the end of the grace. */
    long writeFailedAt;

    boolean closeStreamSent;
    boolean endOfStreamSeen;
    boolean paused;
    boolean closeReceived;
    boolean healthy;

    long openedAt;
    /**
     * When the server last showed this socket alive: a message, a pong or a close frame. The healthy period counts up
     * to here, not to when a loss is noticed, so a socket that died silently right after opening is not healthy
     * because its death was noticed late.
     */
    long lastAliveAt;

    long lastSendAt;
    long lastPingAt;
    long pingOutstandingSince = -1;
    long firstUnansweredAudioAt = -1;
    long messages;

    DeepgramException pendingServerError;
    long pendingServerErrorAt;

    Connection(int gen) {
        this.gen = gen;
    }

    /** The socket opened at {@code now} (nanoTime): every liveness clock starts there. */
    void opened(Transport.Socket s, long now) {
        connectTimer.cancel();
        socket = s;
        open = true;
        openedAt = now;
        lastAliveAt = now;
        lastSendAt = now;
        lastPingAt = now;
    }

    void teardown() {
        dead = true;
        open = false;
        if (connectTimer != null) {
            connectTimer.cancel();
        }
        if (tick != null) {
            tick.cancel();
        }
        if (socket != null && !closeReceived) {
            socket.abort(); // after a server close the transport completes the close handshake itself
        }
    }
}
