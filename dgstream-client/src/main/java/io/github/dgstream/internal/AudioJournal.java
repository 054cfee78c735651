package io.github.dgstream.internal;

import java.nio.ByteBuffer;

/**
 * The session's audio journal: every byte the user sent gets a <em>source position</em> (bytes since the start of
 * the session, never reused). The journal keeps the contiguous range {@code [start, end)}: audio not yet sent plus
 * the replay window. It is bounded by {@code capacityBytes}; on overflow the <b>oldest</b> audio is dropped (whole
 * sample frames). Dropped audio keeps its positions, so the session timeline still advances over it.
 *
 * <p>Storage: appended bytes are copied into {@value #BLOCK_BYTES}-byte blocks; an append that does not fit in the
 * current block starts a new one (a larger append gets a block of its own size), so one append is one contiguous
 * run. The blocks sit in a ring of slots, oldest live block first. A block released by a normal trim stays in its
 * slot as a spare and is refilled when the ring comes round to it, so steady streaming neither allocates audio
 * arrays nor stores a reference into the long-lived journal. Such stores matter: each dirties a G1 card that a
 * refinement thread must scan, and at 1,000 streams the two per block of the earlier deque of blocks were among the
 * stores that kept G1 refining cards for longer after start-up (docs/bench, round 8).
 *
 * <p>Spares are bounded: after each trim the journal holds at most one block more than the most live blocks it
 * needed over its last two trim periods (at least {@value #MIN_KEPT_BLOCKS}, at most {@value #MAX_KEPT_BLOCKS}
 * blocks, live ones included); beyond that the ring is rebuilt with exactly that many blocks (after an outage's backlog,
 * say) and the surplus goes to the GC. A block released because of an overflow is never reused: a
 * write still pending on a socket may be reading it. A normal trim never releases audio at or after the current
 * socket's acknowledged position, so blocks under a pending write are never refilled.
 *
 * <p>Thread-safe: user threads append, the session actor reads and trims.
 */
public final class AudioJournal {
    /** Size of a storage block (bytes). */
    static final int BLOCK_BYTES = 4096;
    /** Blocks (live and spare) a journal may keep after a trim, at least and at most. */
    static final int MIN_KEPT_BLOCKS = 4;

    static final int MAX_KEPT_BLOCKS = 32;

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

    /** Slots {@code head .. head + live - 1} (mod length) hold the live blocks, oldest first; the others spares or null. */
    private Block[] ring = new Block[MIN_KEPT_BLOCKS];

    private int head;
    private int live;
    /** Non-null slots: live blocks plus spares. */
    private int held;
    /** Most live blocks since the last trim that released one, and in the period before it. */
    private int peak;

    private int previousPeak;
    private final long capacityBytes;
    private final int frameBytes;
    private long start;
    private long end;
    private long droppedBytes;
    /** Blocks ever allocated (for tests: steady streaming must stop allocating). */
    private long blocksAllocated;

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
        Block tail = live == 0 ? null : liveBlock(live - 1);
        if (tail == null || tail.data.length - tail.used < n) {
            tail = startBlock(n);
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

    private Block liveBlock(int i) {
        return ring[(head + i) % ring.length];
    }

    /** Makes the slot after the newest live block live: its spare when one fits, else a new block. */
    private Block startBlock(int n) {
        if (live == ring.length) {
            resize(ring.length + Math.max(MIN_KEPT_BLOCKS, ring.length / 2));
        }
        int slot = (head + live) % ring.length;
        Block b = ring[slot];
        if (b == null || b.data.length < n) {
            if (b == null) {
                held++;
            }
            b = new Block(Math.max(BLOCK_BYTES, n));
            blocksAllocated++;
            ring[slot] = b; // the journal's only reference store; steady streaming refills spares instead
        }
        b.pos = end;
        b.used = 0;
        live++;
        peak = Math.max(peak, live);
        return b;
    }

    /** Releases audio before {@code pos} (no loss: it was confirmed or is not needed for replay). */
    public synchronized void trimBefore(long pos) {
        if (pos > start) {
            trimTo(Math.min(alignDown(pos), end), true);
        }
    }

    private void trimTo(long newStart, boolean reuse) {
        int released = 0;
        // the newest block is never released: appends continue in it
        while (live > 1 && ring[head].end() <= newStart) {
            if (!reuse || ring[head].data.length != BLOCK_BYTES) {
                ring[head] = null; // an overflow's block may be under a pending write; a big one is not kept
                held--;
            }
            head = (head + 1) % ring.length;
            live--;
            released++;
        }
        start = Math.max(start, newStart);
        if (released > 0) {
            int kept = Math.min(MAX_KEPT_BLOCKS, Math.max(MIN_KEPT_BLOCKS, Math.max(peak, previousPeak) + 1));
            previousPeak = peak;
            peak = live;
            if (held > kept) {
                resize(Math.max(kept, live)); // lets the surplus spares go: the ring is exactly its blocks again
            }
        }
    }

    /**
     * Moves the blocks into a ring of {@code size} slots: the live ones first, then spares in the order the ring would
     * have refilled them, as many as fit. A ring whose every slot holds a block refills them all in turn and never
     * allocates, so a shrink leaves no empty slot; a grown ring's new slots get blocks as the ring reaches them.
     */
    private void resize(int size) {
        Block[] next = new Block[size];
        int j = 0;
        for (int i = 0; i < ring.length && j < size; i++) {
            Block b = ring[(head + i) % ring.length];
            if (b != null) { // every live slot holds a block
                next[j++] = b;
            }
        }
        held = j;
        ring = next; // a new array: the copies above went into a young object, which costs G1 no card
        head = 0;
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
        int i = live - 1;
        Block b = liveBlock(i);
        while (b.pos > p) { // replaying older audio: find its block
            b = liveBlock(--i);
        }
        int off = (int) (p - b.pos);
        int len = (int) Math.min(Math.min(b.used - off, maxBytes), stop - p);
        return new Slice(p, ByteBuffer.wrap(b.data, off, len));
    }

    /** {@link #read(long, int, long)} with no limit. */
    public Slice read(long pos, int maxBytes) {
        return read(pos, maxBytes, Long.MAX_VALUE);
    }

    synchronized long blocksAllocated() {
        return blocksAllocated;
    }

    synchronized int ringSlots() {
        return ring.length;
    }

    /** Bytes of block storage the journal holds: live blocks and spares (the replay buffer's heap cost). */
    public synchronized long storageBytes() {
        long sum = 0;
        for (Block b : ring) {
            if (b != null) {
                sum += b.data.length;
            }
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
        ring = new Block[MIN_KEPT_BLOCKS];
        head = 0;
        live = 0;
        held = 0;
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
