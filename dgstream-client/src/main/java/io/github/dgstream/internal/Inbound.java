package io.github.dgstream.internal;

import io.github.dgstream.DeepgramEvent;
import io.github.dgstream.DeepgramException;
import io.github.dgstream.DeepgramException.Kind;
import io.github.dgstream.ErrorEvent;
import io.github.dgstream.UnhandledMessage;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reading the current socket: each server text message is decoded through the adapter, moves the watermark,
 * acknowledges Finalize/Configure, goes to the sink (reading pauses while the sink is full and resumes when it has
 * room), and in-band errors are acted on. Runs on the session actor after the engine's generation check.
 */
final class Inbound {
    private static final Logger LOG = LoggerFactory.getLogger(SessionEngine.class);

    private final SessionStateMachine engine;
    private final ProtocolAdapter adapter;
    private final EventSink sink;
    private final ReplayState replay;
    private final RetryBudget retry;
    private final Outbound out;
    private final ConfigureSlot configureSlot;
    private final Clock clock;

    Inbound(
            SessionStateMachine engine,
            ProtocolAdapter adapter,
            EventSink sink,
            ReplayState replay,
            RetryBudget retry,
            Outbound out,
            ConfigureSlot configureSlot,
            Clock clock) {
        this.engine = engine;
        this.adapter = adapter;
        this.sink = sink;
        this.replay = replay;
        this.retry = retry;
        this.out = out;
        this.configureSlot = configureSlot;
        this.clock = clock;
    }

    /** {@code c} is the engine's current, live connection. */
    void message(Connection c, String text) {
        long now = clock.nanoTime();
        c.messages++;
        c.lastAliveAt = now;
        c.firstUnansweredAudioAt = -1;
        // Any message proves the peer alive, like a pong: a server that is slow (busy, its pong queued behind our
        // audio) but still sending results must not be declared dead. At 1,000 streams on an overloaded box, pong
        // deadlines alone turned a slow server into a reconnect storm that made it slower (1,012 false verdicts).
        c.pingOutstandingSince = -1;
        retry.checkHealthy(c);
        ProtocolAdapter.Decoded d = decode(c, text);
        if (d.serverError() != null && d.serverError().kind() == Kind.PROTOCOL) {
            for (DeepgramEvent e : d.events()) {
                sink.offer(e);
            }
            LOG.debug("connection {}: {}", c.gen, d.serverError().getMessage());
            engine.connectionLost(c, withRequestId(d.serverError()));
            return;
        }
        if (d.requestId() != null) {
            engine.requestId(d.requestId());
        }
        if (d.serverError() != null) {
            c.pendingServerError = d.serverError();
            c.pendingServerErrorAt = now;
        }
        if (!Double.isNaN(d.watermarkSeconds())) {
            if (replay.onWatermark(d.watermarkSeconds())) {
                replay.trim(c);
            }
            if (adapter.progressResetsRetries()) {
                c.healthy = true; // progress (a completed turn) resets the retry budget
                retry.resetAttempts();
            }
        }
        if (d.finalizeAck()) {
            out.finalizeAcked(c.gen);
        }
        if (d.endOfStream()) {
            c.endOfStreamSeen = true;
        }
        boolean room = true;
        for (DeepgramEvent e : d.events()) {
            room &= sink.offer(e);
        }
        if (d.configureAck() != null) {
            out.configureAcked();
            configureSlot.answered(d.configureAck());
        }
        if (d.serverError() != null && adapter.errorEndsConnection()) {
            c.pendingServerError = null;
            if (!d.serverError().isRetryable()) {
                engine.fail(d.serverError());
            } else {
                engine.emit(new ErrorEvent(d.serverError()));
                engine.connectionLost(c, d.serverError());
            }
            return;
        }
        if (room) {
            c.socket.request(1);
        } else {
            c.paused = true;
        }
    }

    /** A binary frame from the server (Deepgram never sends one): reported, ignored. */
    void binary(long bytes) {
        engine.emit(new ErrorEvent(
                DeepgramException.builder(Kind.PROTOCOL, "Server sent a binary message (" + bytes + " bytes); ignored")
                        .requestId(engine.requestId())
                        .build()));
    }

    /** The sink has room again: resume reading {@code c} (the current connection, or null) if it was paused. */
    void resume(Connection c) {
        if (c != null && c.open && !c.dead && c.paused) {
            c.paused = false;
            // A pong or a result may be queued behind the messages we did not read: restart those deadlines now,
            // or a consumer slower than pongTimeoutMs would make a healthy connection look dead.
            long now = clock.nanoTime();
            if (c.pingOutstandingSince >= 0) {
                c.pingOutstandingSince = now;
            }
            if (c.firstUnansweredAudioAt >= 0) {
                c.firstUnansweredAudioAt = now;
            }
            c.socket.request(1);
        }
    }

    private ProtocolAdapter.Decoded decode(Connection c, String text) {
        try {
            return adapter.decode(text, c.timeline);
        } catch (RuntimeException | StackOverflowError e) {
            // an adapter must not throw; if it does, the message cannot be trusted and the socket must not stall
            return new ProtocolAdapter.Decoded(
                    List.of(new UnhandledMessage(text)),
                    Double.NaN,
                    false,
                    false,
                    null,
                    DeepgramException.builder(Kind.PROTOCOL, "Could not decode a server message: " + e)
                            .cause(e)
                            .retryable(true)
                            .build());
        }
    }

    private DeepgramException withRequestId(DeepgramException e) {
        String requestId = engine.requestId();
        if (e.requestId() != null || requestId == null) {
            return e;
        }
        return DeepgramException.builder(e.kind(), e.getMessage() + " (request " + requestId + ")")
                .cause(e.getCause())
                .requestId(requestId)
                .retryable(e.isRetryable())
                .build();
    }
}
