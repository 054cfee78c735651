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
 * <p>Storage: appended bytes are copied into {@value #BLOCK_BYTES}-byte blocks (a larger append gets an array of its
 * own), one chunk record per append, never split: a read returns at most one append, so a control message queued at
 * {@link #end()} keeps its place between frames. Blocks released by a normal trim are kept (at most {@value #SPARE_BLOCKS}) and refilled, so steady
 * streaming allocates no audio arrays. A block released because of an overflow is never reused: a write still
 * pending on a socket may be reading it. A normal trim never releases audio at or after the current socket's
 * acknowledged position, so blocks under a pending write are never refilled.
 *
 * <p>Thread-safe: user threads append, the session actor reads and trims.
 */
public final class AudioJournal {
    /** Size of a storage block (bytes). */
    static final int BLOCK_BYTES = 4096;
    /** Released blocks kept for reuse per journal; beyond this they are left to the GC. */
    static final int SPARE_BLOCKS = 3;

    private record Chunk(long pos, byte[] block, int off, int len) {
        long end() {
            return pos + len;
        }
    }

    /** A view (between its position and limit) of journal bytes starting at source position {@code pos}. */
    public record Slice(long pos, ByteBuffer data) {}

    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private final ArrayDeque<byte[]> spares = new ArrayDeque<>(SPARE_BLOCKS);
    private final long capacityBytes;
    private final int frameBytes;
    /** The block appends go to, and how much of it is used; chunks may still point into earlier blocks. */
    private byte[] tail;

    private int tailUsed;
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

    /** Appends a copy of {@code data}. */
    public long append(byte[] data) {
        return append(ByteBuffer.wrap(data));
    }

    /**
     * Appends a copy of {@code src}'s remaining bytes, consuming them (its position moves to its limit).
     *
     * @return bytes dropped from the front to stay within capacity
     */
    public synchronized long append(ByteBuffer src) {
        if (!src.hasRemaining()) {
            return 0;
        }
        int n = src.remaining();
        if (tail == null || tail.length - tailUsed < n) {
            // an append never spans blocks, so a read returns it whole (one frame per send, as the user chunked it)
            tail = n <= BLOCK_BYTES && !spares.isEmpty() ? spares.pollFirst() : new byte[Math.max(BLOCK_BYTES, n)];
            tailUsed = 0;
        }
        src.get(tail, tailUsed, n);
        chunks.addLast(new Chunk(end, tail, tailUsed, n));
        tailUsed += n;
        end += n;
        long over = (end - start) - capacityBytes;
        if (over <= 0) {
            return 0;
        }
        long newStart = alignUp(start + over);
        long dropped = newStart - start;
        trimTo(newStart, false);
        droppedBytes += dropped;
        return dropped;
    }

    /** Releases audio before {@code pos} (no loss: it was confirmed or is not needed for replay). */
    public synchronized void trimBefore(long pos) {
        if (pos > start) {
            trimTo(Math.min(alignDown(pos), end), true);
        }
    }

    private void trimTo(long newStart, boolean reuse) {
        while (!chunks.isEmpty() && chunks.peekFirst().end() <= newStart) {
            byte[] block = chunks.removeFirst().block();
            Chunk next = chunks.peekFirst();
            boolean released = block != tail && (next == null || next.block() != block);
            if (released && reuse && block.length == BLOCK_BYTES && spares.size() < SPARE_BLOCKS) {
                spares.addLast(block);
            }
        }
        start = Math.max(start, newStart);
    }

    /**
     * Reads from {@code pos} (moved forward to {@link #start()} if that audio was dropped) to the end of the chunk
     * containing it, at most {@code maxBytes}. Returns {@code null} when nothing is available at or after {@code
     * pos}. The view shares the journal's storage: it must not be modified.
     */
    public synchronized Slice read(long pos, int maxBytes) {
        long p = Math.max(pos, start);
        if (p >= end) {
            return null;
        }
        Chunk last = chunks.peekLast();
        if (last.pos() <= p) {
            return slice(last, p, maxBytes); // streaming: the newest chunk, no iterator
        }
        Iterator<Chunk> it = chunks.descendingIterator();
        while (it.hasNext()) {
            Chunk c = it.next();
            if (c.pos() <= p) {
                return slice(c, p, maxBytes);
            }
        }
        throw new IllegalStateException("journal corrupted at " + p);
    }

    private static Slice slice(Chunk c, long p, int maxBytes) {
        int off = (int) (p - c.pos());
        int len = Math.min(c.len() - off, maxBytes);
        return new Slice(p, ByteBuffer.wrap(c.block(), c.off() + off, len));
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
        spares.clear();
        tail = null;
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
