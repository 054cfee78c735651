package io.github.dgstream.internal;

import io.github.dgstream.DeepgramException;
import io.github.dgstream.ErrorEvent;
import java.util.concurrent.TimeUnit;

/**
 * The liveness tick of the current socket: every {@link Liveness#tickMs()} on the session actor it checks the
 * healthy period, reports an in-band Error that no close followed within 1 s, lets {@link Liveness} decide whether
 * the connection is dead (pong, receive and send deadlines; it also queues KeepAlive/ping) and pumps the outbound
 * queue. Stops by itself once its connection is no longer the engine's current one.
 */
final class Watchdog {
    private final SessionEngine engine;
    private final RetryBudget retry;
    private final Liveness liveness;
    private final Outbound out;
    private final java.util.function.BooleanSupplier expectsMessages;
    private final Clock clock;
    private final Scheduler scheduler;
    private final SerialExecutor actor;

    Watchdog(
            SessionEngine engine,
            RetryBudget retry,
            Liveness liveness,
            Outbound out,
            java.util.function.BooleanSupplier expectsMessages,
            Clock clock,
            Scheduler scheduler,
            SerialExecutor actor) {
        this.engine = engine;
        this.retry = retry;
        this.liveness = liveness;
        this.out = out;
        this.expectsMessages = expectsMessages;
        this.clock = clock;
        this.scheduler = scheduler;
        this.actor = actor;
    }

    /** Schedules the next tick of {@code c} (cancelled by {@link Connection#teardown()}). */
    void schedule(Connection c) {
        c.tick = scheduler.schedule(
                Scheduler.Kind.LIVENESS,
                TimeUnit.MILLISECONDS.toNanos(liveness.tickMs()),
                () -> actor.execute(() -> tick(c)));
    }

    private void tick(Connection c) {
        if (c.dead || engine.connection() != c || !c.open) {
            return;
        }
        long now = clock.nanoTime();
        retry.checkHealthy(c, now);
        if (c.pendingServerError != null && now - c.pendingServerErrorAt > TimeUnit.SECONDS.toNanos(1)) {
            engine.emit(new ErrorEvent(c.pendingServerError)); // an Error not followed by a close
            c.pendingServerError = null;
        }
        DeepgramException dead = liveness.check(c, now, out, engine.requestId(), expectsMessages.getAsBoolean());
        if (dead != null) {
            engine.connectionLost(c, dead);
            return;
        }
        out.pump(c);
        schedule(c);
    }
}
