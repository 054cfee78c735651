package io.github.dgstream.internal;

import io.github.dgstream.CloseEvent;
import io.github.dgstream.DeepgramEvent;
import io.github.dgstream.DeepgramException;
import io.github.dgstream.ErrorEvent;
import io.github.dgstream.OpenEvent;
import io.github.dgstream.ReconnectFailed;
import io.github.dgstream.Reconnected;
import io.github.dgstream.Reconnecting;
import io.github.dgstream.SessionState;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actor side of a {@link SessionEngine}: the state machine and socket generations, with its parts in
 * collaborators: {@link Connector} (dialing, transport listener), {@link Inbound} (server messages), {@link Outbound}
 * (send queue), {@link ReplayState} (watermark, replay), {@link RetryBudget} (reconnect decisions, backoff),
 * {@link Watchdog} + {@link Liveness} (dead-connection detection) and {@link Finisher} (finish, normal end). Protocol
 * specifics come from a {@link ProtocolAdapter}; events go to an {@link EventSink}. Split from the engine's command
 * side (user threads) so that each half reads on its own.
 *
 * <p>All state changes run on one actor ({@link SerialExecutor}) over the client's engine pool. Transport callbacks
 * only post to the actor, tagged with their socket generation; callbacks of an older generation are ignored.
 */
final class SessionStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(SessionEngine.class);

    private final ProtocolAdapter adapter;
    private final SessionEngine.Settings settings;
    private final EventSink sink;
    private final SerialExecutor actor;
    private final Clock clock;
    private final Scheduler scheduler;
    private final AudioJournal journal;
    private final Outbound out;
    private final ReplayState replay;
    private final RetryBudget retry;
    private final Finisher finisher;
    private final Connector connector;
    private final Inbound inbound;
    private final Watchdog watchdog;
    private final ConfigureSlot configureSlot = new ConfigureSlot();
    private final AtomicBoolean pumpScheduled = new AtomicBoolean();
    private final Runnable pumpTask = this::pumpNow;
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile SessionState state = SessionState.NEW;
    private volatile String requestId;

    // ---- actor-confined ----
    private Connection conn;
    private int generation;
    private boolean everOpened;
    private Scheduler.Cancellable backoffTimer;
    private int lastCloseCode = -1;
    private String lastCloseReason = "";

    SessionStateMachine(ClientResources res, ProtocolAdapter adapter, SessionEngine.Settings settings, EventSink sink) {
        this.adapter = adapter;
        this.settings = settings;
        this.sink = sink;
        this.actor = new SerialExecutor(res.enginePool());
        this.clock = res.clock();
        this.scheduler = res.scheduler();
        double rate = adapter.bytesPerSecond();
        double bytesPerSec = rate > 0 ? rate : 32_000; // unknown rate: budget as 16 kHz linear16
        long cap =
                Math.max(adapter.frameBytes(), (long) (settings.reconnection().bufferSeconds() * bytesPerSec));
        this.journal = new AudioJournal(cap, adapter.frameBytes());
        this.out = new Outbound(
                journal,
                actor,
                clock,
                scheduler,
                settings.liveness().sendTimeoutMs(),
                this::writeFailureGraceEnded,
                this::writeFailed,
                this::afterSend);
        this.replay = new ReplayState(journal, out, settings.reconnection().replay(), rate);
        this.retry =
                new RetryBudget(settings.reconnection(), settings.credentials().refreshable(), clock, res.random());
        this.finisher = new Finisher(
                this,
                adapter,
                out,
                journal,
                replay,
                scheduler,
                actor,
                settings.liveness().finishTimeoutMs());
        this.connector = new Connector(
                res.transport(),
                settings.credentials(),
                scheduler,
                clock,
                actor,
                settings.liveness().connectTimeoutMs(),
                this);
        this.watchdog = new Watchdog(
                this,
                retry,
                new Liveness(settings.liveness(), adapter.keepAliveMessage()),
                out,
                adapter::expectsMessages, // asked on every tick: Flux expects messages only mid-turn
                clock,
                scheduler,
                actor);
        this.inbound = new Inbound(this, adapter, sink, replay, retry, out, configureSlot, clock);
        sink.onSpace(() -> actor.execute(() -> inbound.resume(conn)));
    }

    // ================= state and parts, for the command side and the collaborators =================

    SessionState state() {
        return state;
    }

    String requestId() {
        return requestId;
    }

    void requestId(String id) {
        if (!id.equals(requestId)) { // every result names it: store only a change (a store here costs G1 a card)
            requestId = id;
        }
    }

    /** Whether a socket ever opened. Actor only. */
    boolean everOpened() {
        return everOpened;
    }

    /** The current socket generation, or null between sockets. Actor only. */
    Connection connection() {
        return conn;
    }

    /** Completes when the first connection opens; fails if the session ends before. */
    CompletableFuture<Void> opened() {
        return opened;
    }

    /** Completes when the session is terminal and every event has been delivered to the sink. */
    CompletableFuture<Void> terminated() {
        return terminated;
    }

    SerialExecutor actor() {
        return actor;
    }

    AudioJournal journal() {
        return journal;
    }

    Outbound out() {
        return out;
    }

    ConfigureSlot configureSlot() {
        return configureSlot;
    }

    /**
     * Pumps the send queue on the actor, inline when it is idle: the caller's thread writes the frame, as a bare
     * WebSocket client would. At most one pump is pending, so a burst of sends costs one task.
     */
    void schedulePump() {
        if (pumpScheduled.compareAndSet(false, true)) {
            actor.executeInline(pumpTask);
        }
    }

    /** The audio pump of {@link #schedulePump}: one object for the session, not one per chunk. */
    private void pumpNow() {
        pumpScheduled.set(false);
        out.pump(conn);
    }

    /** Adds a control message to the send queue ({@link Outbound#add} orders it) and pumps. Actor. */
    void enqueue(Outbound.ControlKind kind, String text, long pos) {
        out.add(kind, text, pos);
        out.pump(conn);
    }

    /** {@code finish()} on the actor: {@code neverStarted} if the session was not started. */
    void beginFinish(boolean neverStarted) {
        finisher.begin(neverStarted || state == SessionState.NEW, conn);
    }

    // ================= connecting =================

    void connectNow() {
        backoffTimer = null;
        if (state.isTerminal()) {
            return;
        }
        Connection early = connector.early();
        Connection c = early != null ? early : new Connection(++generation);
        conn = c;
        setState(
                finisher.finishing()
                        ? SessionState.CLOSING
                        : everOpened ? SessionState.RECONNECTING : SessionState.CONNECTING);
        if (early != null) {
            connector.adoptEarly();
        } else {
            connector.dial(c, adapter.uri(settings.baseUrl()));
        }
    }

    /** On the timer's thread: a failed write's grace ended without the reader saying why the socket died. */
    private void writeFailureGraceEnded(Connection c, DeepgramException cause) {
        connector.reportLoss(() -> connectionLost(c, cause));
    }

    /** A write on {@code c} failed: {@link #dialEarly} after this turn (not inside the write's). */
    private void writeFailed(Connection c) {
        connector.dialAfterThisTurn(() -> dialEarly(c));
    }

    /**
     * A write on {@code c} failed, and {@link Outbound} gives the reader its grace to say why. If losing {@code c}
     * would reconnect at once (the usual case: a healthy connection), the next socket is dialed now, so the
     * reconnect does not wait for the grace; if the reader then gives a reason that ends the session, or the loss is
     * not retried at once after all, that socket is aborted unused. If it fails before the loss is taken (refused,
     * or accepted and then dropped), that is the reconnect's first failed attempt ({@link Connector}). Not while
     * finishing, where the reader's close is likely the normal end.
     */
    private void dialEarly(Connection c) {
        if (c.dead || conn != c || state.isTerminal() || finisher.finishing() || !retry.wouldRetryAtOnce(c)) {
            return;
        }
        connector.dialEarly(new Connection(++generation), adapter.uri(settings.baseUrl()));
    }

    void opened(Connection c, Transport.Socket s) {
        if (c.dead || conn != c || state.isTerminal()) {
            s.abort();
            return;
        }
        LOG.debug("connection {} open", c.gen);
        c.opened(s, clock.nanoTime());
        long downtime = retry.opened();
        ReplayState.Start start = replay.startSocket(c);
        adapter.onNewSocket(start.fromSeconds());
        setState(finisher.finishing() ? SessionState.CLOSING : SessionState.STREAMING);
        if (everOpened) {
            emit(new Reconnected(
                    retry.attempt(),
                    Duration.ofNanos(downtime),
                    replay.seconds(start.replayedBytes()),
                    replay.seconds(start.lostBytes()),
                    null));
        } else {
            everOpened = true;
            emit(new OpenEvent(null));
            opened.complete(null);
        }
        watchdog.schedule(c);
        out.pump(c);
    }

    // ================= inbound =================

    void message(Connection c, String text) {
        if (c.dead || conn != c) {
            return;
        }
        inbound.message(c, text);
    }

    void binary(Connection c, long bytes) {
        if (c.dead || conn != c) {
            return;
        }
        inbound.binary(bytes);
    }

    void closed(Connection c, int code, String reason) {
        if (c.dead || conn != c) {
            return;
        }
        if (code != 1006) {
            c.lastAliveAt = clock.nanoTime(); // a close frame: the server was there to send it (1006 means none came)
        }
        lastCloseCode = code;
        lastCloseReason = reason == null ? "" : reason;
        c.closeReceived = true;
        if (finisher.isNormalEnd(c, code)) {
            finisher.endNormally();
            return;
        }
        connectionLost(c, Classifier.close(code, reason, requestId, c.pendingServerError));
    }

    // ================= failures and reconnects =================

    /** Also the path of a failed write ({@link Outbound}) and of a dead connection ({@link Watchdog}). */
    void connectionLost(Connection c, DeepgramException cause) {
        if (c.dead || conn != c || state.isTerminal()) {
            return;
        }
        retry.checkHealthy(c);
        boolean wasHealthy = c.healthy;
        LOG.debug("connection {} lost: {}", c.gen, cause.getMessage());
        replay.lost(c);
        c.teardown();
        conn = null;
        if (finisher.finishing() && retry.retryable(cause) && finisher.nothingLeftToConfirm()) {
            // Every byte sent was transcribed and nothing awaits an answer: a new socket would only carry CloseStream.
            LOG.debug("connection {} lost while finishing with nothing unconfirmed: closing", c.gen);
            finisher.endNormally();
            return;
        }
        RetryBudget.Verdict verdict =
                retry.onLoss(cause, wasHealthy, c.writeFailed ? c.writeFailedAt : clock.nanoTime());
        if (verdict != RetryBudget.Verdict.RETRY || retry.delayMs() != 0) {
            connector.discardEarly(); // dialed for an immediate reconnect, which this is not
        }
        switch (verdict) {
            case REFRESH_AUTH -> {
                LOG.debug("handshake 401: asking the token provider again");
                connectNow();
            }
            case FAIL -> fail(cause);
            case RETRY -> {
                long delay = retry.delayMs();
                setState(finisher.finishing() ? SessionState.CLOSING : SessionState.RECONNECTING);
                emit(new Reconnecting(retry.attempt(), Duration.ofMillis(delay), cause));
                if (delay == 0) {
                    // The immediate first attempt after a healthy connection: not a timer and a hop back (two thread
                    // wake-ups, slow on a saturated machine), and not a call (this turn is not done with the old
                    // socket).
                    connector.dialAfterThisTurn(this::connectNow);
                    return;
                }
                backoffTimer = scheduler.schedule(
                        Scheduler.Kind.BACKOFF,
                        TimeUnit.MILLISECONDS.toNanos(delay),
                        () -> actor.execute(this::connectNow));
            }
        }
    }

    void fail(DeepgramException cause) {
        if (retry.inReconnectSequence()) {
            emit(new ReconnectFailed(retry.attempt(), cause));
        } else {
            emit(new ErrorEvent(cause));
        }
        terminate(SessionState.FAILED, cause, false);
    }

    // ================= ending =================

    void terminate(SessionState end, DeepgramException cause, boolean byClient) {
        if (state.isTerminal()) {
            return;
        }
        setState(end);
        finisher.terminated();
        if (backoffTimer != null) {
            backoffTimer.cancel();
        }
        connector.discardEarly();
        if (conn != null) {
            conn.teardown();
            conn = null;
        }
        journal.clear();
        out.clear();
        configureSlot.fail(
                cause != null ? cause : new IllegalStateException("session ended before the Configure was answered"));
        emit(new CloseEvent(lastCloseCode, lastCloseReason, byClient));
        opened.completeExceptionally(
                cause != null ? cause : new IllegalStateException("session closed before a connection opened"));
        sink.complete(() -> terminated.complete(null));
    }

    // ================= helpers =================

    /** A write on {@code c} (the current connection) completed: audio the policy no longer needs may go. */
    private void afterSend(Connection c) {
        replay.trim(c);
    }

    void emit(DeepgramEvent e) {
        sink.offer(e);
    }

    void setState(SessionState s) {
        state = s;
    }
}
