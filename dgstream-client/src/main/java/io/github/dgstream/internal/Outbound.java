package io.github.dgstream.internal;

import io.github.dgstream.DeepgramException;
import io.github.dgstream.ReplayPolicy;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The one outbound queue of a session: audio from the {@link AudioJournal} interleaved with control messages at
 * their source positions, written to the current socket one frame at a time (the JDK allows one pending send), each
 * send bounded by a timeout after which the socket is aborted. A failed write is reported to {@code onFailure} (the
 * engine's connection-lost path), after a short grace for I/O errors. Confined to the session actor.
 */
final class Outbound {
    private static final int MAX_FRAME = 32 * 1024;

    enum ControlKind {
        KEEPALIVE,
        PING,
        FINALIZE,
        CLOSE_STREAM,
        /** Kept (and re-sent on a new socket) until answered; see {@link #configureAcked()}. */
        CONFIGURE
    }

    /** A control message due once audio up to {@code pos} was sent ({@code pos < 0}: as soon as possible). */
    static final class Control {
        final ControlKind kind;
        final String text;
        final long pos;
        int sentGen = -1;

        Control(ControlKind kind, String text, long pos) {
            this.kind = kind;
            this.text = text;
            this.pos = pos;
        }
    }

    private final AudioJournal journal;
    private final SerialExecutor actor;
    private final Clock clock;
    private final Scheduler scheduler;
    private final long sendTimeoutMs;
    private final BiConsumer<Connection, DeepgramException> onFailure;
    private final Runnable onProgress;
    private final ArrayDeque<Control> controls = new ArrayDeque<>();
    private final int maxControls = 64;

    /** Highest source position ever written to any socket. */
    long highestSentPos;

    Outbound(
            AudioJournal journal,
            SerialExecutor actor,
            Clock clock,
            Scheduler scheduler,
            long sendTimeoutMs,
            BiConsumer<Connection, DeepgramException> onFailure,
            Runnable onProgress) {
        this.journal = journal;
        this.actor = actor;
        this.clock = clock;
        this.scheduler = scheduler;
        this.sendTimeoutMs = sendTimeoutMs;
        this.onFailure = onFailure;
        this.onProgress = onProgress;
    }

    /**
     * Queues a control message. KeepAlive and ping are coalesced (at most one pending); the queue is bounded: when
     * {@value #maxControls} messages wait (only possible with Finalize spam during an outage), the oldest unsent
     * Finalize is dropped, since a later one covers it.
     */
    void add(ControlKind kind, String text, long pos) {
        if (kind == ControlKind.KEEPALIVE || kind == ControlKind.PING) {
            for (Control c : controls) {
                if (c.kind == kind) {
                    return;
                }
            }
        }
        if (controls.size() >= maxControls) {
            Iterator<Control> it = controls.iterator();
            while (it.hasNext()) {
                if (it.next().kind == ControlKind.FINALIZE) {
                    it.remove();
                    break;
                }
            }
        }
        controls.addLast(new Control(kind, text, pos));
    }

    boolean hasPending(ControlKind kind) {
        for (Control c : controls) {
            if (c.kind == kind) {
                return true;
            }
        }
        return false;
    }

    /** A Finalize was answered ({@code from_finalize}) on {@code gen}: forget the oldest one sent there. */
    void finalizeAcked(int gen) {
        Iterator<Control> it = controls.iterator();
        while (it.hasNext()) {
            Control c = it.next();
            if (c.kind == ControlKind.FINALIZE && c.sentGen == gen) {
                it.remove();
                return;
            }
        }
    }

    /** The Configure in flight was answered: forget it. */
    void configureAcked() {
        controls.removeIf(c -> c.kind == ControlKind.CONFIGURE && c.sentGen >= 0);
    }

    /** Audio up to {@code pos} is final: Finalize requests before it need no re-send. */
    void confirmedUpTo(long pos) {
        controls.removeIf(c -> c.kind == ControlKind.FINALIZE && c.sentGen >= 0 && c.pos <= pos);
    }

    void clear() {
        controls.clear();
    }

    /** Starts the next send on {@code c} if it is open and idle. */
    void pump(Connection c) {
        if (c == null || !c.open || c.dead || c.sending || c.writeFailed) {
            return;
        }
        Control ctl = nextControl(c);
        if (ctl != null) {
            ctl.sentGen = c.gen;
            if (ctl.kind == ControlKind.KEEPALIVE || ctl.kind == ControlKind.PING) {
                controls.remove(ctl);
            }
            if (ctl.kind == ControlKind.CLOSE_STREAM) {
                c.closeStreamSent = true;
            }
            if (ctl.kind == ControlKind.PING) {
                c.pingOutstandingSince = clock.nanoTime();
                c.lastPingAt = c.pingOutstandingSince;
                send(c, c.socket.sendPing(), -1, false);
            } else {
                send(c, c.socket.sendText(ctl.text), -1, true);
            }
            return;
        }
        if (c.closeStreamSent) {
            return; // nothing may follow CloseStream
        }
        AudioJournal.Slice s = journal.read(c.nextPos, MAX_FRAME);
        if (s == null) {
            return;
        }
        ByteBuffer data = s.data();
        int len = data.remaining();
        c.timeline.sent(s.pos(), len);
        c.nextPos = s.pos() + len;
        highestSentPos = Math.max(highestSentPos, c.nextPos);
        if (c.firstUnansweredAudioAt < 0) {
            c.firstUnansweredAudioAt = clock.nanoTime();
        }
        send(c, c.socket.sendBinary(data), c.nextPos, true);
    }

    private Control nextControl(Connection c) {
        for (Control ctl : controls) {
            if (ctl.sentGen == c.gen) {
                continue;
            }
            if (ctl.pos < 0 || ctl.pos <= c.nextPos) {
                return ctl;
            }
            if (ctl.kind == ControlKind.CLOSE_STREAM || ctl.kind == ControlKind.FINALIZE) {
                return null; // ordered behind audio: later controls wait too
            }
        }
        return null;
    }

    private void send(Connection c, CompletableFuture<?> f, long endPos, boolean countsAsSend) {
        c.sending = true;
        if (countsAsSend) {
            c.lastSendAt = clock.nanoTime();
        }
        f.orTimeout(sendTimeoutMs, TimeUnit.MILLISECONDS)
                .whenComplete((r, err) -> actor.execute(() -> {
                    if (c.dead) {
                        return;
                    }
                    c.sending = false;
                    if (err != null) {
                        Throwable t = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                                ? err.getCause()
                                : err;
                        DeepgramException ex = t instanceof java.util.concurrent.TimeoutException
                                ? Classifier.dead(
                                        DeepgramException.Kind.TIMEOUT,
                                        "Send did not complete within " + sendTimeoutMs + " ms; connection aborted",
                                        null)
                                : Classifier.transport(t, null);
                        failed(c, ex);
                        return;
                    }
                    if (endPos >= 0) {
                        c.ackedPos = endPos;
                    }
                    onProgress.run();
                }));
    }

    /**
     * A write failed. A timeout means the peer stopped reading: the connection is lost now (the engine aborts it).
     * An I/O error usually means the server closed, and the reader is about to deliver why (an in-band Error, a close
     * frame): stop writing and give the reader a short grace period, so that reason is classified and reported
     * instead of a bare "broken pipe".
     */
    private void failed(Connection c, DeepgramException ex) {
        if (ex.kind() == DeepgramException.Kind.TIMEOUT) {
            onFailure.accept(c, ex);
            return;
        }
        c.writeFailed = true;
        scheduler.schedule(
                Scheduler.Kind.LIVENESS,
                TimeUnit.MILLISECONDS.toNanos(250),
                () -> actor.execute(() -> onFailure.accept(c, ex)));
    }

    /** Where the journal may be trimmed to while {@code c} is live, given the policy and the watermark. */
    static long retainFrom(ReplayPolicy p, long watermarkPos, long ackedPos, double bytesPerSecond) {
        return switch (p.mode()) {
            case OFF -> ackedPos;
            case SINCE_LAST_FINAL -> Math.min(watermarkPos, ackedPos);
            case CAPPED ->
                Math.min(ackedPos, Math.max(watermarkPos, ackedPos - (long) (p.capSeconds() * bytesPerSecond)));
        };
    }

    /** The source position a new socket starts at. */
    static long replayFrom(ReplayPolicy p, long watermarkPos, long highestSent, long highestAcked, double rate) {
        if (rate <= 0) {
            return highestAcked; // no byte rate: replay is impossible, resend only what was never written
        }
        return switch (p.mode()) {
            case OFF -> Math.max(watermarkPos, highestAcked);
            case SINCE_LAST_FINAL -> watermarkPos;
            case CAPPED -> Math.max(watermarkPos, highestSent - (long) (p.capSeconds() * rate));
        };
    }
}
