package io.github.dgstream.internal;

import io.github.dgstream.DeepgramException;
import io.github.dgstream.DeepgramException.Kind;
import io.github.dgstream.ErrorEvent;
import io.github.dgstream.SessionState;
import java.util.concurrent.TimeUnit;

/**
 * The end of a session's input ({@code finish()}): CloseStream behind the queued audio, the finish deadline, and
 * deciding when a close is the normal end of the stream. Confined to the session actor; terminating goes through
 * the engine.
 */
final class Finisher {
    private final SessionStateMachine engine;
    private final ProtocolAdapter adapter;
    private final Outbound out;
    private final AudioJournal journal;
    private final ReplayState replay;
    private final Scheduler scheduler;
    private final SerialExecutor actor;
    private final long finishTimeoutMs;
    private boolean finishing;
    private Scheduler.Cancellable finishTimer;

    Finisher(
            SessionStateMachine engine,
            ProtocolAdapter adapter,
            Outbound out,
            AudioJournal journal,
            ReplayState replay,
            Scheduler scheduler,
            SerialExecutor actor,
            long finishTimeoutMs) {
        this.engine = engine;
        this.adapter = adapter;
        this.out = out;
        this.journal = journal;
        this.replay = replay;
        this.scheduler = scheduler;
        this.actor = actor;
        this.finishTimeoutMs = finishTimeoutMs;
    }

    /** Whether the input has ended (finish requested, or the session is terminal). */
    boolean finishing() {
        return finishing;
    }

    /** Queues CloseStream behind all audio sent so far and starts the finish deadline. */
    void begin(boolean neverStarted, Connection conn) {
        if (engine.state().isTerminal()) {
            return;
        }
        finishing = true;
        if (neverStarted) {
            engine.terminate(SessionState.CLOSED, null, true);
            return;
        }
        if (conn == null && engine.everOpened() && nothingLeftToConfirm()) {
            endNormally(); // waiting to reconnect, but there is nothing left for a new socket to transcribe
            return;
        }
        engine.setState(SessionState.CLOSING);
        out.add(Outbound.ControlKind.CLOSE_STREAM, adapter.closeStreamMessage(), journal.end());
        long ms = finishTimeoutMs;
        finishTimer = scheduler.schedule(
                Scheduler.Kind.FINISH, TimeUnit.MILLISECONDS.toNanos(ms), () -> actor.execute(() -> timedOut(ms)));
        out.pump(conn);
    }

    /** Whether a close of {@code c} with {@code code} is the normal end of the stream. */
    boolean isNormalEnd(Connection c, int code) {
        return finishing && c.closeStreamSent && (c.endOfStreamSeen || adapter.isNormalCloseAfterCloseStream(code));
    }

    /**
     * Whether a new socket would have nothing to do but CloseStream: the server confirmed all audio (the watermark
     * reached the end of the journal) and no Finalize or Configure awaits an answer. A connection lost in that state
     * ends the session normally instead of reconnecting.
     */
    boolean nothingLeftToConfirm() {
        return replay.allAudioConfirmed()
                && !out.hasPending(Outbound.ControlKind.FINALIZE)
                && !out.hasPending(Outbound.ControlKind.CONFIGURE);
    }

    /** The stream ended as asked: the adapter's closing events, then CLOSED. */
    void endNormally() {
        adapter.streamEnded().forEach(engine::emit);
        engine.terminate(SessionState.CLOSED, null, true);
    }

    private void timedOut(long ms) {
        if (engine.state().isTerminal()) {
            return;
        }
        Connection c = engine.connection();
        if (c != null && c.endOfStreamSeen) {
            endNormally(); // all results are in; the server was just slow to close
            return;
        }
        DeepgramException ex = DeepgramException.builder(
                        Kind.TIMEOUT,
                        "finish() timed out after " + ms + " ms before the server confirmed the end of the stream")
                .requestId(engine.requestId())
                .retryable(false)
                .build();
        engine.emit(new ErrorEvent(ex));
        engine.terminate(SessionState.CLOSED, ex, true);
    }

    /** The session is ending: no more finish work. */
    void terminated() {
        finishing = true;
        if (finishTimer != null) {
            finishTimer.cancel();
        }
    }
}
