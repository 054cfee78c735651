package io.github.dgstream.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.exceptions.MessageTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared part of a server-side connection: explicit demand (so a half-open fault can stop reading), audio
 * accounting, scripted faults ({@link ScriptedFaults}), the idle timer ({@link IdleTimer}), outbound ordering and
 * latency, and recording. Every event is handled under the connection's lock; subclasses implement the protocol.
 */
abstract class EmulatorConnection implements Session.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(EmulatorConnection.class);

    /**
     * How long the emulator waits for the client's reply to its close frame before it drops TCP. Meanwhile it keeps
     * reading (frames after the close are discarded), so a client that replies releases the connection at once.
     */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    /** Everything a connection needs from the emulator. */
    record Context(
            RecordedConnection record,
            ConnectionScript script,
            ScheduledExecutorService scheduler,
            Duration idleTimeout,
            Duration latency,
            Runnable onEnded,
            SendStamps stamps) {}

    protected final RecordedConnection rec;
    protected final AudioInput audio;
    private final Context ctx;
    private final OutboundSender out;
    private final ScriptedFaults faults;
    private final IdleTimer idle;
    private Session session;
    private boolean terminated;
    private boolean halfOpen;
    private boolean closeSent;
    private boolean dropped;
    /** Jetty reported the end of the connection ({@link #onWebSocketClose}); nothing more to demand. */
    private boolean ended;

    /** Completion of every data frame sent: a failure means the client is not keeping up (see writeFailed). */
    private final Callback writes = Callback.from(() -> {}, this::writeFailed);

    EmulatorConnection(Context ctx, AudioInput audio) {
        this.ctx = ctx;
        this.rec = ctx.record();
        this.audio = audio;
        this.out = new OutboundSender(ctx.scheduler(), ctx.latency().toNanos());
        this.faults = new ScriptedFaults(this, ctx.script().faults());
        this.idle = new IdleTimer(ctx.scheduler(), ctx.idleTimeout(), this::checkIdle);
    }

    // ---- protocol hooks ----------------------------------------------------------------------------------------

    /** After the upgrade, unless an on-open fault is scripted. */
    protected abstract void opened();

    /** At each 10 ms boundary of received audio. */
    protected abstract void audioStep(long audioMs);

    /** A zero-length binary frame. */
    protected abstract void emptyBinary();

    /** A text frame (already recorded). */
    protected abstract void text(String text, ObjectNode json);

    /** The idle timer expired. */
    protected abstract void idleTimeout();

    /** Audio could not be decoded. */
    protected abstract void undecodable(String detail);

    /** Send the in-band error of an {@link Fault.InBandError} fault. */
    protected abstract void sendFaultError(Fault.InBandError e);

    /** Whether a WebSocket ping resets the idle timer. */
    protected abstract boolean pingIsActivity();

    // ---- Jetty events ------------------------------------------------------------------------------------------

    @Override
    public void onWebSocketOpen(Session s) {
        if (ctx.stamps() != null) {
            ctx.stamps().handshakeOpened(rec.headers());
        }
        synchronized (this) {
            this.session = s;
            idle.start();
            if (faults.anyOnOpen()) {
                // Fires before any message (no Flux Connected), once Jetty has completed the open, and before anything
                // is read: reading starts after it (a client's audio is not transcribed by a socket about to fail).
                ctx.scheduler().execute(this::fireOpenFaults);
                return;
            }
            opened();
        }
        demandIfReading();
    }

    private void fireOpenFaults() {
        synchronized (this) {
            faults.fireOnOpen();
            if (terminated) {
                return;
            }
            opened(); // only non-terminal on-open faults (SendRaw) get here
        }
        demandIfReading();
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        synchronized (this) {
            if (!terminated) {
                idle.touch();
                byte[] data = new byte[payload.remaining()];
                payload.get(data);
                if (data.length == 0) {
                    emptyBinary();
                } else {
                    String problem = audio.feed(data, this::onStep);
                    rec.audio(audio.totalBytes(), audio.seconds());
                    if (problem != null && !terminated) {
                        undecodable(problem);
                    } else {
                        faults.fireDue();
                    }
                }
            }
        }
        callback.succeed();
        demandIfReading();
    }

    private boolean onStep(long audioMs) {
        audioStep(audioMs);
        rec.audio(audio.totalBytes(), audio.seconds());
        faults.fireDue();
        return !terminated;
    }

    @Override
    public void onWebSocketText(String text) {
        synchronized (this) {
            if (!terminated) {
                idle.touch();
                ObjectNode json = Json.parseObject(text);
                String type = json != null && json.path("type").isTextual()
                        ? json.get("type").asText()
                        : ControlMessage.UNPARSABLE;
                rec.control(new ControlMessage(type, audio.seconds(), text));
                text(text, json);
            }
        }
        demandIfReading();
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        synchronized (this) {
            if (!terminated) {
                rec.ping();
                if (pingIsActivity()) {
                    idle.touch();
                }
                session.sendPong(payload, Callback.NOOP);
            }
        }
        demandIfReading();
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        synchronized (this) {
            if (!terminated && pingIsActivity()) {
                idle.touch();
            }
        }
        demandIfReading();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("connection {} error: {}", rec.index(), cause.toString());
        if (cause instanceof MessageTooLargeException) {
            rec.ended(ClosedBy.SERVER, 1009, cause.getMessage());
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        ClosedBy by;
        Integer code = statusCode;
        String why = reason;
        synchronized (this) {
            stop();
            ended = true;
            if (dropped) {
                by = ClosedBy.DROPPED;
                code = 1006;
            } else if (closeSent) {
                by = ClosedBy.SERVER;
                code = null; // already recorded what we sent
            } else if (statusCode == 1006) {
                by = ClosedBy.ABNORMAL;
            } else {
                by = ClosedBy.CLIENT;
            }
        }
        if (code != null || by != ClosedBy.SERVER) {
            rec.ended(by, code, why);
        }
        ctx.onEnded().run();
    }

    // ---- actions for subclasses --------------------------------------------------------------------------------

    /** Sends a JSON message (through the latency queue). */
    protected void send(ObjectNode message) {
        if (terminated) {
            return;
        }
        String type = message.path("type").asText();
        SendStamps stamps = ctx.stamps();
        ObjectNode holder = stamps == null ? null : SendStamps.holder(type, message);
        if (holder != null) {
            sendFrame(type, (s, done) -> {
                long stamp = stamps.stamp();
                holder.putObject("extra").put("sent_ns", stamp);
                s.sendText(Json.write(message), stamps.measuring(stamp, done));
            });
            return;
        }
        String json = Json.write(message);
        sendFrame(type, (s, done) -> s.sendText(json, done));
    }

    /**
     * Queues a frame (through the latency queue) unless terminated: {@code frame} writes it to the session with the
     * given completion, then {@code type} is recorded as sent.
     */
    void sendFrame(String type, BiConsumer<Session, Callback> frame) {
        if (terminated) {
            return;
        }
        Session s = session;
        out.submit(() -> {
            frame.accept(s, writes);
            rec.sent(type);
        });
    }

    /**
     * Sends a close frame (after everything already queued) and stops processing. Reading goes on (input is
     * discarded) until the client's close reply completes the handshake; a client that does not reply within
     * {@link #CLOSE_TIMEOUT} is disconnected, so the connection never lingers until Jetty's transport idle timeout.
     */
    protected void close(int code, String reason) {
        if (terminated) {
            return;
        }
        terminated = true;
        closeSent = true;
        idle.cancel();
        rec.ended(ClosedBy.SERVER, code, reason);
        Session s = session;
        out.submit(() -> {
            s.close(code, reason, Callback.NOOP);
            try {
                ctx.scheduler().schedule(this::closeTimedOut, CLOSE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // the emulator is shutting down and closes everything itself
            }
        });
    }

    private void closeTimedOut() {
        Session s;
        synchronized (this) {
            if (ended) {
                return;
            }
            s = session;
        }
        LOG.debug("connection {}: no close reply within {}; disconnecting", rec.index(), CLOSE_TIMEOUT);
        s.disconnect();
    }

    /**
     * A write failed: usually Jetty's outgoing queue is full ({@code maxOutgoingFrames}) because the client stopped
     * reading. Such a client is disconnected rather than buffered for without bound.
     */
    private void writeFailed(Throwable cause) {
        Session s;
        synchronized (this) {
            if (terminated) {
                return;
            }
            stop();
            s = session;
        }
        LOG.debug("connection {}: write failed ({}); disconnecting", rec.index(), cause.toString());
        rec.ended(ClosedBy.ABNORMAL, 1006, "client is not reading: outgoing queue full");
        s.disconnect();
    }

    /** Drops TCP without a close frame. */
    protected void drop() {
        if (terminated) {
            return;
        }
        stop();
        dropped = true;
        rec.ended(ClosedBy.DROPPED, 1006, "dropped by fault");
        session.disconnect();
    }

    /** Stops reading and writing; keeps the socket open. */
    protected void halfOpen() {
        if (terminated) {
            return;
        }
        stop();
        halfOpen = true;
        rec.halfOpen();
    }

    /** Ends all processing and drops queued output: every way a connection ends except our close frame. */
    private void stop() {
        terminated = true;
        out.discard();
        idle.cancel();
    }

    protected boolean terminated() {
        return terminated;
    }

    /** Stops all processing of input while the protocol finishes (e.g. after CloseStream). */
    protected void stopInput() {
        idle.cancel();
    }

    // ---- demand, idle ------------------------------------------------------------------------------------------

    /**
     * Keeps one frame demanded until Jetty reports the end, also after our close frame was sent ({@code isOpen()} is
     * false by then): without demand the client's close reply is never read and the connection is held.
     */
    private void demandIfReading() {
        Session s;
        synchronized (this) {
            if (halfOpen || ended || session == null) {
                return;
            }
            s = session;
        }
        try {
            s.demand();
        } catch (RuntimeException e) {
            LOG.debug("connection {}: demand after the end: {}", rec.index(), e.toString());
        }
    }

    /** The idle timer's check, when one comes due. */
    private synchronized void checkIdle() {
        if (!terminated && idle.expired()) {
            idleTimeout();
        }
    }

    /** Called by the emulator on shutdown. */
    void shutdown() {
        Session s;
        synchronized (this) {
            s = session;
            stop();
        }
        rec.ended(ClosedBy.SHUTDOWN, 1001, "emulator shut down");
        if (s != null && s.isOpen()) {
            s.close(1001, "emulator shut down", Callback.NOOP);
        }
    }
}
