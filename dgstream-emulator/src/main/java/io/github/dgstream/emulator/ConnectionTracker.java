package io.github.dgstream.emulator;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bookkeeping of one {@link DeepgramEmulator}'s handshake attempts and connections: numbers the attempts, keeps
 * their recordings, counts open WebSocket connections against the concurrency limit, and holds the open ones so
 * that closing the emulator can shut them down. Shared by the emulator's API and the handshake path
 * ({@link UpgradeCreator}). Thread-safe.
 */
final class ConnectionTracker {
    private final int maxConnections;
    private final AtomicInteger nextIndex = new AtomicInteger();
    private final AtomicInteger activeConnections = new AtomicInteger();
    private final Recordings recordings;
    private final Set<EmulatorConnection> open = ConcurrentHashMap.newKeySet();

    ConnectionTracker(int maxConnections, int maxRecordedConnections) {
        this.maxConnections = maxConnections;
        this.recordings = new Recordings(maxRecordedConnections);
    }

    /** The index of a new handshake attempt. */
    int nextIndex() {
        return nextIndex.getAndIncrement();
    }

    /** Handshake attempts so far (refused ones included). */
    int attempts() {
        return nextIndex.get();
    }

    Recordings recordings() {
        return recordings;
    }

    void recorded(RecordedConnection r) {
        recordings.add(r);
    }

    /** Takes one of the {@code maxConnections} slots; false if all are taken. */
    boolean tryAcquireSlot() {
        while (true) {
            int n = activeConnections.get();
            if (n >= maxConnections) {
                return false;
            }
            if (activeConnections.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** A connection ended: frees its slot and forgets ended connections. */
    void releaseSlot() {
        activeConnections.decrementAndGet();
        open.removeIf(c -> c.rec.isClosed());
    }

    int activeConnections() {
        return activeConnections.get();
    }

    void opened(EmulatorConnection c) {
        open.add(c);
    }

    /** Shuts down every connection still open (the emulator is closing). */
    void shutdownAll() {
        for (EmulatorConnection c : List.copyOf(open)) {
            c.shutdown();
        }
    }
}
