package io.github.dgstream.internal;

import java.util.Arrays;

/**
 * Maps one connection's server times (seconds of audio received on <em>that</em> connection) to session time (source
 * audio seconds). With a known byte rate it keeps segments {@code (socketByte, sourceByte)}: normally one, starting
 * at the source position of the first byte sent on the socket; a new one only if the journal dropped unsent audio
 * while the socket was live. Without a byte rate (compressed audio) it adds a fixed offset: the previous connection's
 * last final end.
 */
public final class SocketTimeline {
    private static final int MAX_SEGMENTS = 1024;

    private final double bytesPerSecond;
    private final double offsetSeconds;
    private long[] socketStarts = new long[4];
    private long[] sourceStarts = new long[4];
    private int count;
    private long socketBytes;
    private long lastSourceEnd = -1;

    /** Timeline for a known byte rate. */
    public static SocketTimeline bytes(double bytesPerSecond) {
        return new SocketTimeline(bytesPerSecond, 0);
    }

    /** Timeline for unknown byte rate: {@code session = offset + server}. */
    public static SocketTimeline offset(double offsetSeconds) {
        return new SocketTimeline(0, offsetSeconds);
    }

    private SocketTimeline(double bytesPerSecond, double offsetSeconds) {
        this.bytesPerSecond = bytesPerSecond;
        this.offsetSeconds = offsetSeconds;
    }

    /** Records that {@code len} bytes starting at source position {@code sourcePos} were sent on this socket. */
    public void sent(long sourcePos, int len) {
        if (len <= 0) {
            return;
        }
        if (sourcePos != lastSourceEnd) {
            if (count == MAX_SEGMENTS) {
                System.arraycopy(socketStarts, 1, socketStarts, 0, count - 1);
                System.arraycopy(sourceStarts, 1, sourceStarts, 0, count - 1);
                count--;
            }
            if (count == socketStarts.length) {
                socketStarts = Arrays.copyOf(socketStarts, count * 2);
                sourceStarts = Arrays.copyOf(sourceStarts, count * 2);
            }
            socketStarts[count] = socketBytes;
            sourceStarts[count] = sourcePos;
            count++;
        }
        socketBytes += len;
        lastSourceEnd = sourcePos + len;
    }

    /** Session seconds for a server time of this socket. */
    public double toSession(double serverSeconds) {
        if (bytesPerSecond <= 0) {
            return offsetSeconds + serverSeconds;
        }
        if (count == 0) {
            return serverSeconds; // nothing sent yet: cannot happen for real results
        }
        double socketPos = serverSeconds * bytesPerSecond;
        int i = count - 1;
        while (i > 0 && socketStarts[i] > socketPos) {
            i--;
        }
        return (sourceStarts[i] + (socketPos - socketStarts[i])) / bytesPerSecond;
    }

    /** Bytes sent on this socket so far. */
    public long socketBytes() {
        return socketBytes;
    }

    /** Source position after the last byte sent on this socket, or -1. */
    public long sourceEnd() {
        return lastSourceEnd;
    }

    /** Audio bytes per second, or 0 for an offset timeline. */
    public double bytesPerSecond() {
        return bytesPerSecond;
    }

    public boolean byteExact() {
        return bytesPerSecond > 0;
    }
}
