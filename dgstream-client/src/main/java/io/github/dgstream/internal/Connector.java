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
 */
final class Connector {
    private final Transport transport;
    private final Credentials credentials;
    private final Scheduler scheduler;
    private final Clock clock;
    private final SerialExecutor actor;
    private final long connectTimeoutMs;
    private final SessionEngine engine;

    Connector(
            Transport transport,
            Credentials credentials,
            Scheduler scheduler,
            Clock clock,
            SerialExecutor actor,
            long connectTimeoutMs,
            SessionEngine engine) {
        this.transport = transport;
        this.credentials = credentials;
        this.scheduler = scheduler;
        this.clock = clock;
        this.actor = actor;
        this.connectTimeoutMs = connectTimeoutMs;
        this.engine = engine;
    }

    /**
     * Starts the handshake of {@code c} (a new generation, already the current one). A failing credential provider
     * fails the session at once.
     */
    void dial(Connection c, URI uri) {
        String authorization;
        try {
            authorization = credentials.authorizationHeader();
        } catch (RuntimeException e) {
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
                        engine.connectionLost(
                                c, Classifier.dead(Kind.TIMEOUT, "Connect timed out after " + timeoutMs + " ms", null));
                    }
                }));
        Transport.Listener l = new Transport.Listener() {
            @Override
            public void onOpen(Transport.Socket s) {
                if (engine.opened().isDone()) {
                    // A reconnect: inline when the actor is idle, so the replay starts without waiting for a pool
                    // thread (at 1,000 streams with faults, open to first replayed frame p99 7-8 ms -> 3-5 ms).
                    // Only engine code runs: the opened() future, whose dependants may be user code, is complete.
                    actor.executeInline(() -> engine.opened(c, s));
                    return;
                }
                // the first open completes the session's opened() future: not on a transport thread
                actor.execute(() -> engine.opened(c, s));
            }

            @Override
            public void onText(String text) {
                // inline when the actor is idle: the result skips the engine pool's queue (see SerialExecutor)
                actor.executeInline(() -> engine.message(c, text));
            }

            @Override
            public void onBinary(long bytes) {
                actor.execute(() -> engine.binary(c, bytes));
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
                actor.execute(() -> engine.closed(c, code, reason));
            }

            @Override
            public void onError(Throwable error) {
                actor.execute(() -> engine.connectionLost(c, Classifier.transport(error, engine.requestId())));
            }
        };
        transport
                .connect(uri, Map.of("Authorization", authorization), Duration.ofMillis(timeoutMs), l)
                .whenComplete((s, err) -> {
                    if (err != null) {
                        actor.execute(() -> engine.connectionLost(c, handshakeFailure(err)));
                    }
                });
    }

    private static DeepgramException handshakeFailure(Throwable err) {
        Throwable t = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        return t instanceof Transport.HandshakeFailure h
                ? Classifier.handshake(h.status(), h.dgError(), h.requestId(), h.body())
                : Classifier.transport(t, null);
    }
}
