package io.github.dgstream.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/** Futures handed to user code. */
public final class UserFutures {
    private UserFutures() {}

    /**
     * A future that completes like {@code f}, but on {@code userPool}: engine code completes {@code f} on an engine
     * or transport thread, and the stages a user attaches without an executor run on whichever thread completes the
     * future, so without the hop they would run there. If the pool no longer takes tasks (the client is closing) the
     * result is passed on in the completing thread, so the caller still learns the outcome.
     */
    public static <T> CompletableFuture<T> handOff(CompletableFuture<T> f, Executor userPool) {
        CompletableFuture<T> handed = new CompletableFuture<>();
        f.whenComplete((r, t) -> {
            Runnable pass = () -> {
                if (t != null) {
                    handed.completeExceptionally(t);
                } else {
                    handed.complete(r);
                }
            };
            try {
                userPool.execute(pass);
            } catch (RejectedExecutionException e) {
                pass.run();
            }
        });
        return handed;
    }
}
