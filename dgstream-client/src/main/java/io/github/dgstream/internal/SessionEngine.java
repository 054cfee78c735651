package io.github.dgstream.internal;

import io.github.dgstream.DeepgramEvent;
import io.github.dgstream.DeepgramException;
import io.github.dgstream.ErrorEvent;
import io.github.dgstream.LivenessConfig;
import io.github.dgstream.ReconnectionConfig;
import io.github.dgstream.SessionState;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resilient session engine shared by every streaming API (v1 and Flux, callbacks and pull). This class is its
 * command side, called from any thread: it checks what the user may do when and hands it to the session's actor.
 * The state machine, socket generations, replay and liveness run on that actor, in {@link SessionStateMachine}.
 */
public final class SessionEngine {
    private static final Logger LOG = LoggerFactory.getLogger(SessionEngine.class);

    /** Immutable per-session settings. */
    public record Settings(
            URI baseUrl, Credentials credentials, ReconnectionConfig reconnection, LivenessConfig liveness) {}

    private final SessionStateMachine machine;
    private final SerialExecutor actor;
    private final AudioJournal journal;
    private final Outbound out;
    private final ProtocolAdapter adapter;
    private final ConfigureSlot configureSlot;
    private final Executor handlerPool;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean finishRequested = new AtomicBoolean();

    public SessionEngine(ClientResources res, ProtocolAdapter adapter, Settings settings, EventSink sink) {
        this.machine = new SessionStateMachine(res, adapter, settings, sink);
        this.actor = machine.actor();
        this.journal = machine.journal();
        this.out = machine.out();
        this.adapter = adapter;
        this.configureSlot = machine.configureSlot();
        this.handlerPool = res.handlerPool();
    }

    public SessionState state() {
        return machine.state();
    }

    public String requestId() {
        return machine.requestId();
    }

    /** Heap bytes the audio journal's blocks take (the replay buffer and its spares); for the benchmarks. */
    public long journalStorageBytes() {
        return journal.storageBytes();
    }

    /** Completes when the first connection opens; fails if the session ends before. */
    public CompletableFuture<Void> opened() {
        return machine.opened();
    }

    /** Completes when the session is terminal and every event has been delivered to the sink. */
    public CompletableFuture<Void> terminated() {
        return machine.terminated();
    }

    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("start() may only be called once per connection object");
        }
        machine.setState(SessionState.CONNECTING);
        actor.execute(machine::connectNow);
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
        long dropped = journal.append(audio); // copies: the caller may reuse its buffer at once
        if (dropped > 0 && LOG.isDebugEnabled()) {
            LOG.debug("audio journal full: dropped {} oldest bytes", dropped);
        }
        machine.schedulePump();
    }

    public void keepAlive() {
        checkSendable("keepAlive()");
        String ka = adapter.keepAliveMessage();
        enqueue(ka != null ? Outbound.ControlKind.KEEPALIVE : Outbound.ControlKind.PING, ka, -1);
    }

    public void sendFinalize() {
        checkSendable("sendFinalize()");
        String f = adapter.finalizeMessage();
        if (f == null) {
            throw new UnsupportedOperationException("this endpoint has no Finalize message");
        }
        enqueue(Outbound.ControlKind.FINALIZE, f, journal.end());
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
            if (machine.state().isTerminal()) {
                configureSlot.fail(new IllegalStateException("session ended before the Configure was sent"));
                return;
            }
            machine.enqueue(Outbound.ControlKind.CONFIGURE, json, -1);
        });
        return UserFutures.handOff(f, handlerPool);
    }

    /** Ends the input: flush, CloseStream, deliver the last results, close. Idempotent; never blocks. */
    public CompletableFuture<Void> finish() {
        if (finishRequested.compareAndSet(false, true)) {
            actor.execute(() -> machine.beginFinish(!started.get()));
        }
        return machine.terminated();
    }

    /** Ends the session now: no CloseStream, no further reconnects. Idempotent. */
    public void abort() {
        finishRequested.set(true);
        actor.execute(() -> machine.terminate(SessionState.CLOSED, null, true));
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
            if (!machine.state().isTerminal()) {
                machine.emit(new ErrorEvent(cause));
                machine.terminate(SessionState.FAILED, cause, false);
            }
        });
    }

    private void checkSendable(String op) {
        if (!started.get()) {
            throw new IllegalStateException(op + " called before start()");
        }
        SessionState st = machine.state();
        if (st.isTerminal()) {
            throw new IllegalStateException(op + " called after the session ended (" + st + ")");
        }
        if (finishRequested.get()) {
            throw new IllegalStateException(op + " called after finish()/close()");
        }
    }

    private void enqueue(Outbound.ControlKind kind, String text, long pos) {
        actor.execute(() -> machine.enqueue(kind, text, pos));
    }
}
