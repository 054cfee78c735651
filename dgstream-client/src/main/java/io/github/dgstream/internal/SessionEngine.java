package io.github.dgstream.internal;

import io.github.dgstream.CloseEvent;
import io.github.dgstream.DeepgramEvent;
import io.github.dgstream.DeepgramException;
import io.github.dgstream.DeepgramException.Kind;
import io.github.dgstream.ErrorEvent;
import io.github.dgstream.LivenessConfig;
import io.github.dgstream.OpenEvent;
import io.github.dgstream.ReconnectFailed;
import io.github.dgstream.Reconnected;
import io.github.dgstream.Reconnecting;
import io.github.dgstream.ReconnectionConfig;
import io.github.dgstream.SessionState;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resilient session engine shared by every streaming API (v1 callbacks today; the pull API and Flux next): state
 * machine, socket generations, outbound queue, audio journal and replay, timebase, liveness, classification and
 * backoff. Protocol specifics come from a {@link ProtocolAdapter}; events go to an {@link EventSink}.
 *
 * <p>All state changes run on one actor ({@link SerialExecutor}) over the client's engine pool. Transport callbacks
 * only post to the actor, tagged with their socket generation; callbacks of an older generation are ignored.
 */
public final class SessionEngine {
    private static final Logger LOG = LoggerFactory.getLogger(SessionEngine.class);

    /** Immutable per-session settings. */
    public record Settings(
            URI baseUrl, Credentials credentials, ReconnectionConfig reconnection, LivenessConfig liveness) {}

    private final ProtocolAdapter adapter;
    private final Settings settings;
    private final EventSink sink;
    private final SerialExecutor actor;
    private final Clock clock;
    private final Scheduler scheduler;
    private final ClientResources res;
    private final AudioJournal journal;
    private final Outbound out;
    private final Liveness liveness;
    private final double rate;
    private final ConfigureSlot configureSlot = new ConfigureSlot();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean finishRequested = new AtomicBoolean();
    private final AtomicBoolean pumpScheduled = new AtomicBoolean();
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile SessionState state = SessionState.NEW;
    private volatile String requestId;

    // ---- actor-confined ----
    private Connection conn;
    private int generation;
    private boolean everOpened;
    private int attempt;
    private long outageStart = -1;
    private boolean authRefreshUsed;
    private double watermarkSec;
    private double lastFinalEndSec;
    private long lossAccountedUpTo;
    private long highestAckedPos;
    private boolean finishing;
    private Scheduler.Cancellable backoffTimer;
    private Scheduler.Cancellable finishTimer;
    private int lastCloseCode = -1;
    private String lastCloseReason = "";

    public SessionEngine(ClientResources res, ProtocolAdapter adapter, Settings settings, EventSink sink) {
        this.res = res;
        this.adapter = adapter;
        this.settings = settings;
        this.sink = sink;
        this.actor = new SerialExecutor(res.enginePool());
        this.clock = res.clock();
        this.scheduler = res.scheduler();
        this.rate = adapter.bytesPerSecond();
        double bytesPerSec = rate > 0 ? rate : 32_000; // unknown rate: budget as 16 kHz linear16
        long cap =
                Math.max(adapter.frameBytes(), (long) (settings.reconnection().bufferSeconds() * bytesPerSec));
        this.journal = new AudioJournal(cap, adapter.frameBytes());
        this.out = new Outbound(
                journal, actor, clock, settings.liveness().sendTimeoutMs(), this::sendFailed, this::afterSend);
        this.liveness = new Liveness(settings.liveness(), adapter.keepAliveMessage());
        sink.onSpace(() -> actor.execute(this::resumeReading));
    }

    // ================= commands (any thread) =================

    public SessionState state() {
        return state;
    }

    public String requestId() {
        return requestId;
    }

    /** Completes when the first connection opens; fails if the session ends before. */
    public CompletableFuture<Void> opened() {
        return opened;
    }

    /** Completes when the session is terminal and every event has been delivered to the sink. */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("start() may only be called once per connection object");
        }
        setState(SessionState.CONNECTING);
        actor.execute(this::connectNow);
    }

    /**
     * Queues audio. Never blocks on the network and never throws because of a reconnect. Empty input is ignored (a
     * zero-length frame would mean CloseStream to Deepgram).
     */
    public void send(ByteBuffer audio) {
        java.util.Objects.requireNonNull(audio, "audio");
        checkSendable("send()");
        if (!audio.hasRemaining()) {
            return;
        }
        byte[] copy = new byte[audio.remaining()];
        audio.get(copy);
        long dropped = journal.append(copy);
        if (dropped > 0 && LOG.isDebugEnabled()) {
            LOG.debug("audio journal full: dropped {} oldest bytes", dropped);
        }
        schedulePump();
    }

    public void keepAlive() {
        checkSendable("keepAlive()");
        String ka = adapter.keepAliveMessage();
        actor.execute(() -> {
            out.add(ka != null ? Outbound.ControlKind.KEEPALIVE : Outbound.ControlKind.PING, ka, -1);
            out.pump(conn);
        });
    }

    public void sendFinalize() {
        checkSendable("sendFinalize()");
        String f = adapter.finalizeMessage();
        if (f == null) {
            throw new UnsupportedOperationException("this endpoint has no Finalize message");
        }
        long pos = journal.end();
        actor.execute(() -> {
            out.add(Outbound.ControlKind.FINALIZE, f, pos);
            out.pump(conn);
        });
    }

    /**
     * Sends a Configure message (ahead of queued audio) and returns a future completed with the server's answer
     * (the adapter's ack event, success or failure). One Configure may be in flight at a time. If the socket dies
     * before the answer, the message is re-sent on the next socket; the future fails if the session ends first.
     *
     * @throws IllegalStateException if another Configure is still unanswered, or the session cannot send
     */
    public CompletableFuture<DeepgramEvent> configure(String json) {
        checkSendable("configure()");
        CompletableFuture<DeepgramEvent> f = configureSlot.claim();
        actor.execute(() -> {
            if (state.isTerminal()) {
                configureSlot.fail(new IllegalStateException("session ended before the Configure was sent"));
                return;
            }
            out.add(Outbound.ControlKind.CONFIGURE, json, -1);
            out.pump(conn);
        });
        return ConfigureSlot.handOff(f, res.handlerPool());
    }

    /** Ends the input: flush, CloseStream, deliver the last results, close. Idempotent; never blocks. */
    public CompletableFuture<Void> finish() {
        if (finishRequested.compareAndSet(false, true)) {
            actor.execute(this::beginFinish);
        }
        return terminated;
    }

    /** Ends the session now: no CloseStream, no further reconnects. Idempotent. */
    public void abort() {
        finishRequested.set(true);
        actor.execute(() -> terminate(SessionState.CLOSED, null, true));
    }

    /**
     * Ends the session now because of a client-side condition (e.g. a sink that cannot take more events): an {@link
     * ErrorEvent} with {@code cause}, then the close; state {@link SessionState#FAILED}, no CloseStream, no
     * reconnects. Idempotent; ignored once the session is terminal.
     */
    public void failNow(DeepgramException cause) {
        java.util.Objects.requireNonNull(cause, "cause");
        finishRequested.set(true);
        actor.execute(() -> {
            if (!state.isTerminal()) {
                emit(new ErrorEvent(cause));
                terminate(SessionState.FAILED, cause, false);
            }
        });
    }

    private void checkSendable(String op) {
        if (!started.get()) {
            throw new IllegalStateException(op + " called before start()");
        }
        SessionState st = state;
        if (st.isTerminal()) {
            throw new IllegalStateException(op + " called after the session ended (" + st + ")");
        }
        if (finishRequested.get()) {
            throw new IllegalStateException(op + " called after finish()/close()");
        }
    }

    private void schedulePump() {
        if (pumpScheduled.compareAndSet(false, true)) {
            actor.execute(() -> {
                pumpScheduled.set(false);
                out.pump(conn);
            });
        }
    }

    // ================= connecting =================

    private void connectNow() {
        backoffTimer = null;
        if (state.isTerminal()) {
            return;
        }
        int gen = ++generation;
        Connection c = new Connection(gen);
        conn = c;
        setState(finishing ? SessionState.CLOSING : everOpened ? SessionState.RECONNECTING : SessionState.CONNECTING);
        String auth;
        try {
            auth = settings.credentials().authorizationHeader();
        } catch (RuntimeException e) {
            fail(DeepgramException.builder(
                            Kind.CLIENT,
                            "Credential provider failed: " + e.getClass().getName()
                                    + (e instanceof Credentials.InvalidCredential ? ": " + e.getMessage() : ""))
                    .cause(e)
                    .build());
            return;
        }
        long timeoutMs = settings.liveness().connectTimeoutMs();
        c.connectTimer = scheduler.schedule(
                Scheduler.Kind.CONNECT_TIMEOUT,
                TimeUnit.MILLISECONDS.toNanos(timeoutMs),
                () -> actor.execute(() -> {
                    if (conn == c && !c.open) {
                        connectionLost(
                                c, Classifier.dead(Kind.TIMEOUT, "Connect timed out after " + timeoutMs + " ms", null));
                    }
                }));
        Transport.Listener l = new Transport.Listener() {
            @Override
            public void onOpen(Transport.Socket s) {
                actor.execute(() -> opened(c, s));
            }

            @Override
            public void onText(String text) {
                actor.execute(() -> message(c, text));
            }

            @Override
            public void onBinary(long bytes) {
                actor.execute(() -> binary(c, bytes));
            }

            @Override
            public void onPong() {
                actor.execute(() -> c.pingOutstandingSince = -1);
            }

            @Override
            public void onClose(int code, String reason) {
                actor.execute(() -> closed(c, code, reason));
            }

            @Override
            public void onError(Throwable error) {
                actor.execute(() -> connectionLost(c, Classifier.transport(error, requestId)));
            }
        };
        res.transport()
                .connect(
                        adapter.uri(settings.baseUrl()), Map.of("Authorization", auth), Duration.ofMillis(timeoutMs), l)
                .whenComplete((s, err) -> {
                    if (err != null) {
                        actor.execute(() -> connectFailed(c, err));
                    }
                });
    }

    private void connectFailed(Connection c, Throwable err) {
        if (c.dead || conn != c) {
            return;
        }
        Throwable t = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        DeepgramException ex = t instanceof Transport.HandshakeFailure h
                ? Classifier.handshake(h.status(), h.dgError(), h.requestId(), h.body())
                : Classifier.transport(t, null);
        connectionLost(c, ex);
    }

    private void opened(Connection c, Transport.Socket s) {
        if (c.dead || conn != c || state.isTerminal()) {
            s.abort();
            return;
        }
        c.connectTimer.cancel();
        LOG.debug("connection {} open", c.gen);
        c.socket = s;
        c.open = true;
        c.openedAt = clock.nanoTime();
        c.lastSendAt = c.openedAt;
        c.lastPingAt = c.openedAt;
        authRefreshUsed = false;
        long w = watermarkPos();
        long from = journal.alignDown(
                Outbound.replayFrom(settings.reconnection().replay(), w, out.highestSentPos, highestAckedPos, rate));
        from = Math.min(Math.max(from, journal.start()), journal.end());
        long lost = Math.max(0, from - Math.max(w, lossAccountedUpTo));
        long replayed = Math.max(0, out.highestSentPos - from);
        lossAccountedUpTo = Math.max(lossAccountedUpTo, from);
        c.nextPos = from;
        c.ackedPos = from;
        c.timeline = rate > 0 ? SocketTimeline.bytes(rate) : SocketTimeline.offset(lastFinalEndSec);
        adapter.onNewSocket(rate > 0 ? from / rate : lastFinalEndSec);
        setState(finishing ? SessionState.CLOSING : SessionState.STREAMING);
        if (everOpened) {
            long downtime = outageStart < 0 ? 0 : clock.nanoTime() - outageStart;
            emit(new Reconnected(attempt, Duration.ofNanos(downtime), seconds(replayed), seconds(lost), null));
        } else {
            everOpened = true;
            emit(new OpenEvent(null));
            opened.complete(null);
        }
        outageStart = -1;
        scheduleTick(c);
        out.pump(c);
    }

    private double seconds(long bytes) {
        return rate > 0 ? bytes / rate : 0;
    }

    private long watermarkPos() {
        return rate > 0 ? journal.alignDown(Math.round(watermarkSec * rate)) : 0;
    }

    // ================= inbound =================

    private void message(Connection c, String text) {
        if (c.dead || conn != c) {
            return;
        }
        long now = clock.nanoTime();
        c.messages++;
        c.firstUnansweredAudioAt = -1;
        checkHealthy(c, now);
        ProtocolAdapter.Decoded d;
        try {
            d = adapter.decode(text, c.timeline);
        } catch (RuntimeException | StackOverflowError e) {
            // an adapter must not throw; if it does, the message cannot be trusted and the socket must not stall
            d = new ProtocolAdapter.Decoded(
                    java.util.List.of(new io.github.dgstream.UnhandledMessage(text)),
                    Double.NaN,
                    false,
                    false,
                    null,
                    DeepgramException.builder(Kind.PROTOCOL, "Could not decode a server message: " + e)
                            .cause(e)
                            .retryable(true)
                            .build());
        }
        if (d.serverError() != null && d.serverError().kind() == Kind.PROTOCOL) {
            for (DeepgramEvent e : d.events()) {
                sink.offer(e);
            }
            LOG.debug("connection {}: {}", c.gen, d.serverError().getMessage());
            connectionLost(c, withRequestId(d.serverError()));
            return;
        }
        if (d.requestId() != null) {
            requestId = d.requestId();
        }
        if (d.serverError() != null) {
            c.pendingServerError = d.serverError();
            c.pendingServerErrorAt = now;
        }
        if (!Double.isNaN(d.watermarkSeconds())) {
            lastFinalEndSec = Math.max(lastFinalEndSec, d.watermarkSeconds());
            if (d.watermarkSeconds() > watermarkSec) {
                watermarkSec = d.watermarkSeconds();
                out.confirmedUpTo(watermarkPos());
                trimJournal(c);
            }
            if (adapter.progressResetsRetries()) {
                c.healthy = true; // progress (a completed turn) resets the retry budget
                attempt = 0;
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
                fail(d.serverError());
            } else {
                emit(new ErrorEvent(d.serverError()));
                connectionLost(c, d.serverError());
            }
            return;
        }
        if (room) {
            c.socket.request(1);
        } else {
            c.paused = true;
        }
    }

    private DeepgramException withRequestId(DeepgramException e) {
        if (e.requestId() != null || requestId == null) {
            return e;
        }
        return DeepgramException.builder(e.kind(), e.getMessage() + " (request " + requestId + ")")
                .cause(e.getCause())
                .requestId(requestId)
                .retryable(e.isRetryable())
                .build();
    }

    private void binary(Connection c, long bytes) {
        if (c.dead || conn != c) {
            return;
        }
        emit(new ErrorEvent(
                DeepgramException.builder(Kind.PROTOCOL, "Server sent a binary message (" + bytes + " bytes); ignored")
                        .requestId(requestId)
                        .build()));
    }

    private void resumeReading() {
        Connection c = conn;
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

    private void closed(Connection c, int code, String reason) {
        if (c.dead || conn != c) {
            return;
        }
        lastCloseCode = code;
        lastCloseReason = reason == null ? "" : reason;
        c.closeReceived = true;
        if (finishing && c.closeStreamSent && (c.endOfStreamSeen || adapter.isNormalCloseAfterCloseStream(code))) {
            adapter.streamEnded().forEach(this::emit);
            terminate(SessionState.CLOSED, null, true);
            return;
        }
        connectionLost(c, Classifier.close(code, reason, requestId, c.pendingServerError));
    }

    // ================= failures and reconnects =================

    /**
     * A write failed. A timeout means the peer stopped reading: abort now. An I/O error usually means the server
     * closed, and the reader is about to deliver why (an in-band Error, a close frame): stop writing and give the
     * reader a short grace period, so that reason is classified and reported instead of a bare "broken pipe".
     */
    private void sendFailed(Connection c, DeepgramException ex) {
        if (c.dead || conn != c) {
            return;
        }
        if (ex.kind() == Kind.TIMEOUT) {
            connectionLost(c, ex);
            return;
        }
        c.writeFailed = true;
        scheduler.schedule(
                Scheduler.Kind.LIVENESS,
                TimeUnit.MILLISECONDS.toNanos(250),
                () -> actor.execute(() -> connectionLost(c, ex)));
    }

    private void connectionLost(Connection c, DeepgramException cause) {
        if (c.dead || conn != c || state.isTerminal()) {
            return;
        }
        checkHealthy(c, clock.nanoTime());
        boolean wasHealthy = c.healthy;
        LOG.debug("connection {} lost: {}", c.gen, cause.getMessage());
        highestAckedPos = Math.max(highestAckedPos, c.ackedPos);
        c.teardown();
        conn = null;
        if (cause.httpStatus() == 401) {
            if (settings.credentials().refreshable() && !authRefreshUsed) {
                authRefreshUsed = true;
                LOG.debug("handshake 401: asking the token provider again");
                connectNow();
                return;
            }
            fail(cause);
            return;
        }
        ReconnectionConfig rc = settings.reconnection();
        if (!cause.isRetryable() || !rc.enabled()) {
            fail(cause);
            return;
        }
        if (outageStart < 0) {
            outageStart = clock.nanoTime();
        }
        if (wasHealthy) {
            attempt = 0;
        }
        attempt++;
        if (rc.maxRetries() > 0 && attempt > rc.maxRetries()) {
            attempt = rc.maxRetries();
            fail(cause);
            return;
        }
        long delay = Backoff.delayMs(
                rc, attempt, attempt == 1 && wasHealthy, res.random().getAsDouble());
        setState(finishing ? SessionState.CLOSING : SessionState.RECONNECTING);
        emit(new Reconnecting(attempt, Duration.ofMillis(delay), cause));
        backoffTimer = scheduler.schedule(
                Scheduler.Kind.BACKOFF, TimeUnit.MILLISECONDS.toNanos(delay), () -> actor.execute(this::connectNow));
    }

    private void checkHealthy(Connection c, long now) {
        if (!c.healthy
                && c.open
                && c.messages > 0
                && now - c.openedAt
                        >= TimeUnit.MILLISECONDS.toNanos(settings.reconnection().healthyPeriodMs())) {
            c.healthy = true;
            attempt = 0;
        }
    }

    private void fail(DeepgramException cause) {
        if (attempt > 0 && settings.reconnection().enabled()) {
            emit(new ReconnectFailed(attempt, cause));
        } else {
            emit(new ErrorEvent(cause));
        }
        terminate(SessionState.FAILED, cause, false);
    }

    // ================= finishing =================

    private void beginFinish() {
        if (state.isTerminal()) {
            return;
        }
        finishing = true;
        if (!started.get() || state == SessionState.NEW) {
            terminate(SessionState.CLOSED, null, true);
            return;
        }
        setState(SessionState.CLOSING);
        out.add(Outbound.ControlKind.CLOSE_STREAM, adapter.closeStreamMessage(), journal.end());
        long ms = settings.liveness().finishTimeoutMs();
        finishTimer = scheduler.schedule(
                Scheduler.Kind.FINISH,
                TimeUnit.MILLISECONDS.toNanos(ms),
                () -> actor.execute(() -> finishTimedOut(ms)));
        out.pump(conn);
    }

    private void finishTimedOut(long ms) {
        if (state.isTerminal()) {
            return;
        }
        Connection c = conn;
        if (c != null && c.endOfStreamSeen) {
            adapter.streamEnded().forEach(this::emit);
            terminate(SessionState.CLOSED, null, true); // all results are in; the server was just slow to close
            return;
        }
        DeepgramException ex = DeepgramException.builder(
                        Kind.TIMEOUT,
                        "finish() timed out after " + ms + " ms before the server confirmed the end of the stream")
                .requestId(requestId)
                .retryable(false)
                .build();
        emit(new ErrorEvent(ex));
        terminate(SessionState.CLOSED, ex, true);
    }

    private void terminate(SessionState end, DeepgramException cause, boolean byClient) {
        if (state.isTerminal()) {
            return;
        }
        setState(end);
        finishing = true;
        if (backoffTimer != null) {
            backoffTimer.cancel();
        }
        if (finishTimer != null) {
            finishTimer.cancel();
        }
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

    // ================= liveness =================

    private void scheduleTick(Connection c) {
        c.tick = scheduler.schedule(
                Scheduler.Kind.LIVENESS,
                TimeUnit.MILLISECONDS.toNanos(liveness.tickMs()),
                () -> actor.execute(() -> tick(c)));
    }

    private void tick(Connection c) {
        if (c.dead || conn != c || !c.open) {
            return;
        }
        long now = clock.nanoTime();
        checkHealthy(c, now);
        if (c.pendingServerError != null && now - c.pendingServerErrorAt > TimeUnit.SECONDS.toNanos(1)) {
            emit(new ErrorEvent(c.pendingServerError)); // an Error not followed by a close
            c.pendingServerError = null;
        }
        DeepgramException dead = liveness.check(c, now, out, requestId, adapter.expectsMessages());
        if (dead != null) {
            connectionLost(c, dead);
            return;
        }
        out.pump(c);
        scheduleTick(c);
    }

    // ================= helpers =================

    private void afterSend() {
        Connection c = conn;
        if (c != null) {
            trimJournal(c);
            out.pump(c);
        }
    }

    private void trimJournal(Connection c) {
        if (c.open && rate > 0) {
            journal.trimBefore(Outbound.retainFrom(settings.reconnection().replay(), watermarkPos(), c.ackedPos, rate));
        } else if (c.open) {
            journal.trimBefore(c.ackedPos);
        }
    }

    private void emit(DeepgramEvent e) {
        sink.offer(e);
    }

    private void setState(SessionState s) {
        state = s;
    }
}
