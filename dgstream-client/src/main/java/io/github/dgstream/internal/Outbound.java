package io.github.dgstream.internal;

import io.github.dgstream.DeepgramException;
import io.github.dgstream.ReplayPolicy;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The one outbound queue of a session: audio from the {@link AudioJournal} interleaved with control messages at
 * their source positions, written to the current socket one frame at a time (the JDK allows one pending send), each
 * send bounded by a timeout after which the socket is aborted ({@link #sendOverdue}, asked by the liveness tick). A
 * failed write is reported to {@code onWriteFailed} at once and, after a short grace for I/O errors, to {@code
 * onFailure} (the engine's connection-lost path), on the timer's thread. Otherwise confined to the session actor.
 */
final class Outbound {
    /**
     * How long a failed write waits for the reader to report why the socket died: the JDK's reader may still hold the
     * server's Error or close frame, which came before the reset on the wire. Measured at 1,000 streams with faults
     * (round 11), the wait never paid: after 181 drops that showed first as a failed write the reader reported nothing
     * at all (nor within 2 s, when the wait was raised to that; nor did it for the plain JDK client under the same
     * load), and after 2,589 Error-then-close faults the reader always reported before any write failed. It only
     * covers the JDK's hand-over of frames already read (within 1.5 ms of the failed write in a plain-JDK loop): the
     * JDK hands a write error to its read side, which ends with it before reading the socket again, so a reason not yet
     * read is lost and no wait brings it back (round 14: a CI run where the write failed first). It was 250 ms until
     * round 10, 50 in round 10.
     */
    static final long WRITE_FAILURE_GRACE_MS = 10;

    private static final int MAX_FRAME = 32 * 1024;
    /** Writes one {@link #pump} call may finish before yielding to the actor's other tasks (up to 512 KiB). */
    private static final int MAX_WRITES_PER_PUMP = 16;

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
    private final java.util.function.Consumer<Connection> onWriteFailed;
    private final java.util.function.Consumer<Connection> onAcked;
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
            java.util.function.Consumer<Connection> onWriteFailed,
            java.util.function.Consumer<Connection> onAcked) {
        this.journal = journal;
        this.actor = actor;
        this.clock = clock;
        this.scheduler = scheduler;
        this.sendTimeoutMs = sendTimeoutMs;
        this.onFailure = onFailure;
        this.onWriteFailed = onWriteFailed;
        this.onAcked = onAcked;
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

    /**
     * Writes queued frames to {@code c} while it is open and idle. A write the transport finishes at once (the usual
     * case: the socket buffer has room) is completed here and the next frame follows in the same call, up to {@value
     * #MAX_WRITES_PER_PUMP} frames; a write still pending completes through the actor, which pumps again. Either way
     * one pool task or none per audio frame, and no timer per frame: the send deadline is checked by the liveness
     * tick ({@link Liveness}).
     */
    void pump(Connection c) {
        for (int i = 0; i < MAX_WRITES_PER_PUMP; i++) {
            CompletableFuture<?> f = startNext(c);
            if (f == null) {
                return;
            }
            if (!f.isDone()) {
                f.whenComplete((r, err) -> actor.execute(() -> {
                    if (completed(c, err)) {
                        pump(c);
                    }
                }));
                return;
            }
            if (!completed(c, failureOf(f))) {
                return;
            }
        }
        actor.execute(() -> pump(c)); // more to write: let other tasks of this actor (and the caller) go first
    }

    /** Starts the next write on {@code c}, or returns {@code null} when there is nothing to write or it is busy. */
    private CompletableFuture<?> startNext(Connection c) {
        if (c == null || !c.open || c.dead || c.sending || c.writeFailed) {
            return null;
        }
        long now = clock.nanoTime();
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
                c.pingOutstandingSince = now;
                c.lastPingAt = now;
                return started(c, now, -1, false, c.socket.sendPing());
            }
            return started(c, now, -1, true, c.socket.sendText(ctl.text));
        }
        if (c.closeStreamSent) {
            return null; // nothing may follow CloseStream
        }
        AudioJournal.Slice s = journal.read(c.nextPos, MAX_FRAME, audioLimit(c));
        if (s == null) {
            return null;
        }
        ByteBuffer data = s.data();
        int len = data.remaining();
        c.timeline.sent(s.pos(), len);
        c.nextPos = s.pos() + len;
        highestSentPos = Math.max(highestSentPos, c.nextPos);
        if (c.firstUnansweredAudioAt < 0) {
            c.firstUnansweredAudioAt = now;
        }
        return started(c, now, c.nextPos, true, c.socket.sendBinary(data));
    }

    private static CompletableFuture<?> started(
            Connection c, long now, long endPos, boolean countsAsSend, CompletableFuture<?> f) {
        c.sending = true;
        c.sendStartedAt = now;
        c.sendEndPos = endPos;
        if (countsAsSend) {
            c.lastSendAt = now;
        }
        return f;
    }

    /** The write on {@code c} finished; returns whether more may be written now. */
    private boolean completed(Connection c, Throwable err) {
        if (c.dead) {
            return false;
        }
        c.sending = false;
        if (err != null) {
            Throwable t = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            failed(c, Classifier.transport(t, null));
            return false;
        }
        if (c.sendEndPos >= 0) {
            c.ackedPos = c.sendEndPos;
        }
        onAcked.accept(c);
        return true;
    }

    private static Throwable failureOf(CompletableFuture<?> done) {
        if (!done.isCompletedExceptionally()) {
            return null;
        }
        try {
            done.getNow(null);
            return null;
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            return e;
        }
    }

    /** Whether the write in progress on {@code c} has taken longer than the send timeout (checked by each tick). */
    DeepgramException sendOverdue(Connection c, long now, String requestId) {
        if (c.sending && now - c.sendStartedAt > TimeUnit.MILLISECONDS.toNanos(sendTimeoutMs)) {
            return Classifier.dead(
                    DeepgramException.Kind.TIMEOUT,
                    "Send did not complete within " + sendTimeoutMs + " ms; connection aborted",
                    requestId);
        }
        return null;
    }

    /** Where the next audio frame must stop: the position of the first control still to go out behind audio. */
    private long audioLimit(Connection c) {
        long limit = Long.MAX_VALUE;
        if (controls.isEmpty()) {
            return limit;
        }
        for (Control ctl : controls) {
            if (ctl.sentGen != c.gen && ctl.pos >= 0) {
                limit = Math.min(limit, ctl.pos);
            }
        }
        return limit;
    }

    private Control nextControl(Connection c) {
        if (controls.isEmpty()) {
            return null; // the common case, once per audio frame: no iterator
        }
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

    /**
     * A write failed. An I/O error usually means the server closed, and the reader is about to deliver why (an
     * in-band Error, a close frame): stop writing and give the reader a short grace period, so that reason is
     * classified and reported instead of a bare "broken pipe". {@code onWriteFailed} hears of it at once (the engine
     * dials the next socket meanwhile).
     */
    private void failed(Connection c, DeepgramException ex) {
        c.writeFailed = true;
        c.writeFailedAt = clock.nanoTime();
        onWriteFailed.accept(c);
        scheduler.schedule(
                Scheduler.Kind.LIVENESS,
                TimeUnit.MILLISECONDS.toNanos(WRITE_FAILURE_GRACE_MS),
                () -> onFailure.accept(c, ex)); // on the timer's thread: the engine takes it onto its actor
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
