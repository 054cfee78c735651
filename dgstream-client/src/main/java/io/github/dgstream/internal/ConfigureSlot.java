package io.github.dgstream.internal;

import io.github.dgstream.DeepgramEvent;
import java.util.concurrent.CompletableFuture;

/**
 * The one Configure a session may have in flight (Flux answers each Configure with exactly one ConfigureSuccess or
 * ConfigureFailure and has no correlation id, so one at a time). Thread-safe: claimed by the caller's thread,
 * answered or failed on the session actor.
 */
final class ConfigureSlot {
    private CompletableFuture<DeepgramEvent> pending;

    /**
     * Claims the slot.
     *
     * @throws IllegalStateException if a Configure is still unanswered
     */
    synchronized CompletableFuture<DeepgramEvent> claim() {
        if (pending != null && !pending.isDone()) {
            throw new IllegalStateException("a Configure is already in flight; wait for its answer first");
        }
        pending = new CompletableFuture<>();
        return pending;
    }

    /** The server answered. */
    synchronized void answered(DeepgramEvent ack) {
        if (pending != null) {
            pending.complete(ack);
        }
    }

    /** The session ended (or the Configure could not be sent). */
    synchronized void fail(Throwable cause) {
        if (pending != null) {
            pending.completeExceptionally(cause);
        }
    }
}
