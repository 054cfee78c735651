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
 * <p>Storage: appended bytes are copied into {@value #BLOCK_BYTES}-byte blocks; an append that does not fit in the
 * current block starts a new one (a larger append gets a block of its own size), so one append is one contiguous
 * run. Blocks released by a normal trim are kept (at most {@value #SPARE_BLOCKS}) and refilled, so steady streaming
 * allocates no audio arrays and stores no new object into the long-lived journal per append (each such store costs
 * the G1 collector card-refinement work, measured at a fifth of a core at 1,000 streams with a record per append).
 * A block released because of an overflow is never reused: a write still pending on a socket may be reading it. A
 * normal trim never releases audio at or after the current socket's acknowledged position, so blocks under a
 * pending write are never refilled.
 *
 * <p>Thread-safe: user threads append, the session actor reads and trims.
 */
public final class AudioJournal {
    /** Size of a storage block (bytes). */
    static final int BLOCK_BYTES = 4096;
    /** Released blocks kept for reuse per journal; beyond this they are left to the GC. */
    static final int SPARE_BLOCKS = 3;

    /** A block: source positions {@code [pos, pos + used)} are {@code data[0, used)}. */
    private static final class Block {
        final byte[] data;
        long pos;
        int used;

        Block(int size) {
            data = new byte[size];
        }

        long end() {
            return pos + used;
        }
    }

    /** A view (between its position and limit) of journal bytes starting at source position {@code pos}. */
    public record Slice(long pos, ByteBuffer data) {}

    private final ArrayDeque<Block> blocks = new ArrayDeque<>();
    private final ArrayDeque<Block> spares = new ArrayDeque<>(SPARE_BLOCKS);
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
        int n = src.remaining();
        if (n == 0) {
            return 0;
        }
        Block tail = blocks.peekLast();
        if (tail == null || tail.data.length - tail.used < n) {
            tail = n <= BLOCK_BYTES && !spares.isEmpty() ? spares.pollFirst() : new Block(Math.max(BLOCK_BYTES, n));
            tail.pos = end;
            tail.used = 0;
            blocks.addLast(tail);
        }
        src.get(tail.data, tail.used, n);
        tail.used += n;
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
        // the newest block is never released: appends continue in it
        while (blocks.size() > 1 && blocks.peekFirst().end() <= newStart) {
            Block b = blocks.removeFirst();
            if (reuse && b.data.length == BLOCK_BYTES && spares.size() < SPARE_BLOCKS) {
                spares.addLast(b);
            }
        }
        start = Math.max(start, newStart);
    }

    /**
     * Reads from {@code pos} (moved forward to {@link #start()} if that audio was dropped), at most {@code maxBytes},
     * never past {@code limit} nor past the end of one storage run. Returns {@code null} when nothing is available in
     * {@code [pos, limit)}. The view shares the journal's storage: it must not be modified.
     */
    public synchronized Slice read(long pos, int maxBytes, long limit) {
        long p = Math.max(pos, start);
        long stop = Math.min(end, limit);
        if (p >= stop) {
            return null;
        }
        Block b = blocks.peekLast();
        if (b.pos > p) { // replaying older audio: find its block
            Iterator<Block> it = blocks.descendingIterator();
            do {
                b = it.next();
            } while (b.pos > p);
        }
        int off = (int) (p - b.pos);
        int len = (int) Math.min(Math.min(b.used - off, maxBytes), stop - p);
        return new Slice(p, ByteBuffer.wrap(b.data, off, len));
    }

    /** {@link #read(long, int, long)} with no limit. */
    public Slice read(long pos, int maxBytes) {
        return read(pos, maxBytes, Long.MAX_VALUE);
    }

    /** Bytes of block storage the journal holds, its spare blocks included (the replay buffer's heap cost). */
    public synchronized long storageBytes() {
        long sum = 0;
        for (Block b : blocks) {
            sum += b.data.length;
        }
        for (Block b : spares) {
            sum += b.data.length;
        }
        return sum;
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
        blocks.clear();
        spares.clear();
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
