package io.github.dgstream.bench;

import java.util.concurrent.CompletableFuture;

/** One benchmark stream: paced audio in, transcript accounting out. Subclasses are the engine and the bare client. */
abstract class LoadStream {
    final int id;
    final StreamStats stats;
    /** When audio started (nanoTime); 0 until open. Written by the opener, read by the pacer. */
    volatile long t0;

    volatile boolean failed;
    volatile String failure;
    /** Chunks handed to {@link #send}; pacer thread only. */
    int chunksSent;

    LoadStream(int id, StreamStats stats) {
        this.id = id;
        this.stats = stats;
    }

    /** Connects; completes when audio may be sent. */
    abstract CompletableFuture<Void> open();

    /** Queues one chunk (never blocks). */
    abstract void send(byte[] audio, int off, int len);

    /** Ends the input; completes when the last results were delivered and the stream closed. */
    abstract CompletableFuture<Void> finish();

    /** Closes at once. */
    abstract void abort();

    /** Heap bytes of this stream's replay storage (the engine's journal blocks); 0 for the bare clients. */
    long replayStorageBytes() {
        return 0;
    }

    void fail(String why) {
        if (!failed) {
            failure = why;
            failed = true;
        }
    }
}
