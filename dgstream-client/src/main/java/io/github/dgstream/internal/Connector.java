package io.github.dgstream.internal;

import io.github.dgstream.DeepgramException;
import io.github.dgstream.DeepgramException.Kind;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Dials one socket generation: the connect deadline, the handshake-failure classification and the transport
 * listener. Every transport callback is posted to the session actor tagged with its {@link Connection}; the engine
 * checks the generation before acting, so callbacks of an older socket are ignored.
 *
 * <p>It also holds an <em>early</em> dial: the next socket, dialed while a failed write's grace runs on the current
 * one ({@link Outbound#WRITE_FAILURE_GRACE_MS}), so that the reconnect the loss will most likely start does not wait
 * for the grace. Until the engine adopts it ({@link #adoptEarly}) it is not the engine's connection: its open socket
 * is held unread (demand 1, so at most one message arrives, kept for the engine). If it fails first (a refused
 * handshake, a connect timeout, or a server that accepts and then closes or drops it), the failure is kept: it is
 * the reconnect's first attempt, and the engine learns of it when it adopts the dial, so a 429, a 503 or an
 * accept-then-drop counts as an attempt and starts the backoff instead of being followed by a hidden immediate
 * retry. Confined to the session actor.
 */
final class Connector {
    private final Transport transport;
    private final Credentials credentials;
    private final Scheduler scheduler;
    private final Clock clock;
    private final SerialExecutor actor;
    private final long connectTimeoutMs;
    private final SessionStateMachine engine;
    /** The early dial, not yet adopted; null if none. */
    private Connection early;
    /** {@link #early}'s socket, once it opened. */
    private Transport.Socket earlySocket;
    /** The one message {@link #early} delivered before it was adopted (its demand was 1), or null. */
    private String earlyText;
    /**
     * {@link #early}'s failure before it was adopted, as the callback the engine gets at adoption (the one it would
     * have got had it dialed the socket itself), or null (see the class comment).
     */
    private Runnable earlyFailure;

    Connector(
            Transport transport,
            Credentials credentials,
            Scheduler scheduler,
            Clock clock,
            SerialExecutor actor,
            long connectTimeoutMs,
            SessionStateMachine engine) {
        this.transport = transport;
        this.credentials = credentials;
        this.scheduler = scheduler;
        this.clock = clock;
        this.actor = actor;
        this.connectTimeoutMs = connectTimeoutMs;
        this.engine = engine;
    }

    /**
     * Starts the handshake of {@code c}: a new generation, already the current one (a failing credential provider
     * fails the session at once), or the early dial (which such a failure only forgets).
     */
    void dial(Connection c, URI uri) {
        String authorization;
        try {
            authorization = credentials.authorizationHeader();
        } catch (RuntimeException e) {
            if (c == early) {
                early = null; // the engine's own dial, if the loss makes one, asks again and reports it
                return;
            }
            engine.fail(DeepgramException.builder(
                            Kind.CLIENT,
                            "Credential provider failed: " + e.getClass().getName()
                                    + (e instanceof Credentials.InvalidCredential ? ": " + e.getMessage() : ""))
                    .cause(e)
                    .build());
            return;
        }
        long timeoutMs = connectTimeoutMs;
        c.connectTimer = scheduler.schedule(
                Scheduler.Kind.CONNECT_TIMEOUT,
                TimeUnit.MILLISECONDS.toNanos(timeoutMs),
                () -> actor.execute(() -> {
                    if (!c.open) {
                        lost(c, Classifier.dead(Kind.TIMEOUT, "Connect timed out after " + timeoutMs + " ms", null));
                    }
                }));
        Transport.Listener l = new Transport.Listener() {
            @Override
            public void onOpen(Transport.Socket s) {
                if (engine.opened().isDone()) {
                    // A reconnect: inline when the actor is idle, so the replay starts without waiting for a pool
                    // thread (at 1,000 streams with faults, open to first replayed frame p99 7-8 ms -> 3-5 ms).
                    // Only engine code runs: the opened() future, whose dependants may be user code, is complete.
                    actor.executeInline(() -> opened(c, s));
                    return;
                }
                // the first open completes the session's opened() future: not on a transport thread
                actor.execute(() -> opened(c, s));
            }

            @Override
            public void onText(String text) {
                // inline when the actor is idle: the result skips the engine pool's queue (see SerialExecutor)
                actor.executeInline(() -> {
                    if (c == early) {
                        if (earlyText != null) {
                            discardEarly(); // a second one despite demand 1: not kept, this socket is not trusted
                        } else {
                            earlyText = text;
                        }
                    } else {
                        engine.message(c, text);
                    }
                });
            }

            @Override
            public void onBinary(long bytes) {
                actor.execute(() -> {
                    if (c != early) {
                        engine.binary(c, bytes);
                    }
                });
            }

            @Override
            public void onPong() {
                actor.executeInline(() -> {
                    c.pingOutstandingSince = -1;
                    c.lastAliveAt = clock.nanoTime();
                });
            }

            @Override
            public void onClose(int code, String reason) {
                reportLoss(() -> {
                    if (c == early) {
                        failEarly(() -> engine.closed(c, code, reason));
                    } else {
                        engine.closed(c, code, reason);
                    }
                });
            }

            @Override
            public void onError(Throwable error) {
                reportLoss(() -> lost(c, Classifier.transport(error, engine.requestId())));
            }
        };
        transport
                .connect(uri, Map.of("Authorization", authorization), Duration.ofMillis(timeoutMs), l)
                .whenComplete((s, err) -> {
                    if (err != null) {
                        actor.execute(() -> lost(c, handshakeFailure(err)));
                    }
                });
    }

    /** Whether dialing runs user code: the token provider, asked on every handshake. */
    boolean dialRunsUserCode() {
        return credentials.refreshable();
    }

    /**
     * Runs a loss (a socket's close or error, the end of a failed write's grace) on the actor: inline when it is idle
     * and nothing the loss leads to runs user code (an API key, not a token provider, and the first open done, whose
     * future user code may depend on), so that the reconnect it starts dials on the reporting thread without waiting
     * for a pool thread ({@link #dialAfterThisTurn}). The credentials check is a second guard: with a token provider
     * that dial goes to the pool anyway, and only a handshake's 401 (which comes through the pool) asks the provider
     * inside the loss's own turn.
     */
    void reportLoss(Runnable task) {
        if (!dialRunsUserCode() && engine.opened().isDone()) {
            actor.executeInline(task);
        } else {
            actor.execute(task);
        }
    }

    /**
     * From the actor: runs {@code dial} (a task that dials) right after this turn, on the same thread when it runs no
     * user code (an API key), even a transport's or the timer's; otherwise as the actor's next task, on an engine
     * thread, since dialing asks the token provider. A pool thread's wake-up on a saturated machine was the
     * loss-to-dial p99 of 5-11 ms at 1,000 streams.
     */
    void dialAfterThisTurn(Runnable dial) {
        if (dialRunsUserCode()) {
            actor.execute(dial);
        } else {
            actor.executeNext(dial);
        }
    }

    /** Dials {@code c} early (see the class comment), replacing (and discarding) an earlier early dial. */
    void dialEarly(Connection c, URI uri) {
        discardEarly();
        early = c;
        dial(c, uri);
    }

    /** The early dial, or null: the engine makes it its connection, then calls {@link #adoptEarly}. */
    Connection early() {
        return early;
    }

    /**
     * The engine made the early dial its connection: an open socket goes to the engine's {@code opened} now, with the
     * message it delivered meanwhile; a failed dial reports its failure now, as a first attempt that failed; a dial
     * still in progress reports to the engine when it opens or fails.
     */
    void adoptEarly() {
        Connection c = early;
        Transport.Socket s = earlySocket;
        String text = earlyText;
        Runnable failure = earlyFailure;
        early = null;
        earlySocket = null;
        earlyText = null;
        earlyFailure = null;
        if (c != null && failure != null) {
            failure.run();
        } else if (c != null && s != null) {
            engine.opened(c, s);
            if (text != null) {
                engine.message(c, text);
            }
        }
    }

    /** Forgets the early dial, if any, and aborts its socket. */
    void discardEarly() {
        Connection c = early;
        if (c == null) {
            return;
        }
        Transport.Socket s = earlySocket;
        early = null;
        earlySocket = null;
        earlyText = null;
        earlyFailure = null;
        c.teardown(); // marks it dead: a socket that opens later is aborted by the engine
        if (s != null) {
            s.abort();
        }
    }

    private void opened(Connection c, Transport.Socket s) {
        if (c == early) {
            if (earlyFailure != null) {
                s.abort(); // opened after its connect deadline had already failed it
            } else {
                earlySocket = s; // held: read nothing more and write nothing until the engine adopts it
            }
            return;
        }
        engine.opened(c, s);
    }

    private void lost(Connection c, DeepgramException cause) {
        if (c == early) {
            failEarly(() -> engine.connectionLost(c, cause));
        } else {
            engine.connectionLost(c, cause);
        }
    }

    /** The early dial failed: the reconnect's first attempt, reported at adoption; later reports add nothing. */
    private void failEarly(Runnable report) {
        if (earlyFailure != null) {
            return;
        }
        earlyFailure = report;
        if (early.connectTimer != null) {
            early.connectTimer.cancel();
        }
        if (earlySocket != null) {
            earlySocket.abort();
        }
        earlySocket = null; // its held message, if any, is never delivered (adoptEarly)
    }

    private static DeepgramException handshakeFailure(Throwable err) {
        Throwable t = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        return t instanceof Transport.HandshakeFailure h
                ? Classifier.handshake(h.status(), h.dgError(), h.requestId(), h.body())
                : Classifier.transport(t, null);
    }
}
