package io.github.dgstream.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The session's audio journal: every byte the user sent gets a <em>source position</em> (bytes since the start of
 * the session, never reused). The journal keeps the contiguous range {@code [start, end)}: audio not yet sent plus
 * the replay window. It is bounded by {@code capacityBytes}; on overflow the <b>oldest</b> audio is dropped (whole
 * sample frames). Dropped audio keeps its positions, so the session timeline still advances over it.
 *
 * <p>Thread-safe: user threads append, the session actor reads and trims.
 */
public final class AudioJournal {
    private record Chunk(long pos, byte[] data) {
        long end() {
            return pos + data.length;
        }
    }

    /** A read-only view (between its position and limit) of journal bytes starting at source position {@code pos}. */
    public record Slice(long pos, ByteBuffer data) {}

    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private final long capacityBytes;
    private final int frameBytes;
    private long start;
    private long end;
    private long droppedBytes;

    public AudioJournal(long capacityBytes, int frameBytes) {
        if (capacityBytes < frameBytes || frameBytes < 1) {
            throw new IllegalArgumentException("capacity " + capacityBytes + " / frame " + frameBytes);
        }
        this.capacityBytes = capacityBytes - capacityBytes % frameBytes;
        this.frameBytes = frameBytes;
    }

    /**
     * Appends a copy-owned array (the caller must not modify it afterwards).
     *
     * @return bytes dropped from the front to stay within capacity
     */
    public synchronized long append(byte[] data) {
        if (data.length == 0) {
            return 0;
        }
        chunks.addLast(new Chunk(end, data));
        end += data.length;
        long over = (end - start) - capacityBytes;
        if (over <= 0) {
            return 0;
        }
        long newStart = alignUp(start + over);
        long dropped = newStart - start;
        trimTo(newStart);
        droppedBytes += dropped;
        return dropped;
    }

    /** Releases audio before {@code pos} (no loss: it was confirmed or is not needed for replay). */
    public synchronized void trimBefore(long pos) {
        if (pos > start) {
            trimTo(Math.min(alignDown(pos), end));
        }
    }

    private void trimTo(long newStart) {
        while (!chunks.isEmpty() && chunks.peekFirst().end() <= newStart) {
            chunks.removeFirst();
        }
        start = Math.max(start, newStart);
    }

    /**
     * Reads from {@code pos} (moved forward to {@link #start()} if that audio was dropped) to the end of the chunk
     * containing it, at most {@code maxBytes}. Returns {@code null} when nothing is available at or after {@code
     * pos}.
     */
    public synchronized Slice read(long pos, int maxBytes) {
        long p = Math.max(pos, start);
        if (p >= end) {
            return null;
        }
        Iterator<Chunk> it = chunks.descendingIterator();
        while (it.hasNext()) {
            Chunk c = it.next();
            if (c.pos() <= p) {
                int off = (int) (p - c.pos());
                int len = Math.min(c.data().length - off, maxBytes);
                return new Slice(p, ByteBuffer.wrap(c.data(), off, len).asReadOnlyBuffer());
            }
        }
        throw new IllegalStateException("journal corrupted at " + p);
    }

    public synchronized long start() {
        return start;
    }

    public synchronized long end() {
        return end;
    }

    /** Total bytes dropped by overflow since the session began. */
    public synchronized long droppedBytes() {
        return droppedBytes;
    }

    /** Bytes currently retained. */
    public synchronized long size() {
        return end - start;
    }

    public long capacityBytes() {
        return capacityBytes;
    }

    public int frameBytes() {
        return frameBytes;
    }

    /** Releases all memory (terminal). */
    public synchronized void clear() {
        chunks.clear();
        start = end;
    }

    public long alignDown(long pos) {
        return pos - Math.floorMod(pos, frameBytes);
    }

    private long alignUp(long pos) {
        long r = Math.floorMod(pos, frameBytes);
        return r == 0 ? pos : pos + frameBytes - r;
    }
}
