package io.github.dgstream.internal;

import io.github.dgstream.DeepgramException;
import io.github.dgstream.ErrorEvent;
import java.util.concurrent.TimeUnit;

/**
 * The liveness tick of the current socket: every {@link Liveness#tickMs()} on the session actor it checks the
 * healthy period, reports an in-band Error that no close followed within 1 s, lets {@link Liveness} decide whether
 * the connection is dead (pong, receive and send deadlines; it also queues KeepAlive/ping) and pumps the outbound
 * queue. Its timer is cancelled with the connection ({@link Connection#teardown()}), and a tick that finds its
 * connection no longer current cancels it too.
 */
final class Watchdog {
    private final SessionStateMachine engine;
    private final RetryBudget retry;
    private final Liveness liveness;
    private final Outbound out;
    private final java.util.function.BooleanSupplier expectsMessages;
    private final Clock clock;
    private final Scheduler scheduler;
    private final SerialExecutor actor;

    Watchdog(
            SessionStateMachine engine,
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

    /**
     * Starts the ticks of {@code c} (cancelled by {@link Connection#teardown()}): one repeating series per connection
     * (the real timer runs all of them from one {@link TickWheel}), and each tick runs on the timer thread when the
     * actor is idle (it is short engine work and never blocks), so a tick costs no allocation, no pool hand-off and
     * no thread wake-up of its own (2,000 ticks a second at 1,000 streams).
     */
    void schedule(Connection c) {
        Runnable tick = () -> tick(c);
        c.tick = scheduler.scheduleRepeating(
                Scheduler.Kind.LIVENESS,
                TimeUnit.MILLISECONDS.toNanos(liveness.tickMs()),
                () -> actor.executeInline(tick));
    }

    private void tick(Connection c) {
        if (c.dead || engine.connection() != c || !c.open) {
            if (c.tick != null) {
                c.tick.cancel();
            }
            return;
        }
        long now = clock.nanoTime();
        retry.checkHealthy(c);
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
    }
}
