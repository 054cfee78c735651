package io.github.dgstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The baseline: the least a correct client must do with the plain JDK {@code java.net.http.WebSocket} and Jackson. No
 * engine, no replay journal, no liveness, no timeline; the "handler" runs on the JDK's listener thread. Sends are
 * chained (the JDK allows one pending send) through a small queue.
 *
 * <p>When a socket is lost (an error, or a close other than the normal end) it opens a new one at once and sends the
 * audio queued meanwhile; what was in flight on the lost socket is not replayed, so under faults it loses words (the
 * engine must not). It exists to time the bare handshake under the same load: {@code recovery_*} is the time from the
 * loss reaching the listener to the new socket being open, as the engine's {@code Reconnected.downtime} minus backoff.
 *
 * <p>With a hand-off executor (mode {@code bare-handoff}) the message is still parsed on the listener thread, but the
 * "handler" runs on that executor, one at a time per stream and in order: the least a client does that keeps user
 * code off transport threads, as dgstream does. It separates what that rule costs from what the engine costs.
 */
final class BareStream extends LoadStream implements WebSocket.Listener {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Queued behind the last message in {@code bare-handoff}: the stream is closed once the handler has seen it all. */
    private static final JsonNode CLOSED = com.fasterxml.jackson.databind.node.MissingNode.getInstance();

    private final HttpClient http;
    private final URI uri;
    /** {@code /v2/listen}: TurnInfo messages, words from EndOfTurn, a status-less close after CloseStream. */
    private final boolean flux;

    private final StreamRecorder recorder;
    private final Executor handoff;
    private final StringBuilder text = new StringBuilder();
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** A frame is being written, or the socket is down and frames wait in {@link #pending} (guarded by {@code this}). */
    private boolean inFlight;
    /** The socket was lost and its replacement is not open yet (guarded by {@code this}). */
    private boolean down;
    /** nanoTime the current outage began. */
    private volatile long lostAt;
    /** CloseStream was queued. */
    private volatile boolean finishing;

    private volatile WebSocket ws;
    /** Parsed messages waiting for the hand-off executor (guarded by {@code this}). */
    private final ArrayDeque<JsonNode> handed = new ArrayDeque<>();
    /** A drain of {@link #handed} is queued or running (guarded by {@code this}). */
    private boolean drainQueued;
    /** Flux: the last TurnInfo of a turn not ended yet (handler only). */
    private JsonNode openTurn;

    private final Runnable drainTask = this::drainHanded;

    /** @param handoff where the "handler" runs, or {@code null} for the listener thread */
    BareStream(
            int id,
            StreamStats stats,
            HttpClient http,
            URI uri,
            boolean flux,
            StreamRecorder recorder,
            Executor handoff) {
        super(id, stats);
        this.http = http;
        this.uri = uri;
        this.flux = flux;
        this.recorder = recorder;
        this.handoff = handoff;
    }

    @Override
    CompletableFuture<Void> open() {
        return dial().thenAccept(s -> ws = s);
    }

    private CompletableFuture<WebSocket> dial() {
        return http.newWebSocketBuilder()
                .header("Authorization", "Token bench")
                .header(RecoveryStamping.DIAL_HEADER, Long.toString(System.nanoTime())) // for emulator_handshake_*
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, this);
    }

    /**
     * Socket {@code which} was lost: opens a new one, unless that socket was already replaced or the stream ended. Once
     * CloseStream is queued the stream fails instead: a new socket would have nothing to send.
     */
    private void lost(WebSocket which, String cause) {
        long now = System.nanoTime();
        synchronized (this) {
            if (which != ws || down || closed.isDone()) {
                return;
            }
            down = true;
            inFlight = false;
        }
        which.abort();
        if (finishing) {
            fail(cause);
            markClosed();
            return;
        }
        lostAt = now;
        recorder.reconnecting(new java.io.IOException(cause));
        dial().whenComplete((s, err) -> {
            if (err != null) {
                fail("reconnect: " + err);
                markClosed();
                return;
            }
            recorder.recovered((System.nanoTime() - lostAt) / 1e6);
            synchronized (this) {
                ws = s;
                down = false;
            }
            writeNext();
        });
    }

    @Override
    void send(byte[] audio, int off, int len) {
        enqueue(ByteBuffer.wrap(audio, off, len));
    }

    private void enqueue(Object frame) {
        synchronized (this) {
            if (inFlight || down) {
                pending.add(frame);
                return;
            }
            inFlight = true;
        }
        write(ws, frame);
    }

    private void write(WebSocket s, Object frame) {
        CompletableFuture<WebSocket> f =
                frame instanceof ByteBuffer b ? s.sendBinary(b, true) : s.sendText((String) frame, true);
        f.whenComplete((ignored, err) -> {
            if (err != null) {
                lost(s, "send: " + err);
                return;
            }
            synchronized (this) {
                if (s != ws) {
                    return; // a write on a socket already replaced: the new socket's writes are not its to chain
                }
                inFlight = false;
            }
            writeNext();
        });
    }

    /** Writes the next queued frame if the socket is up and no write is in flight. */
    private void writeNext() {
        Object next;
        WebSocket s;
        synchronized (this) {
            if (inFlight || down || (next = pending.poll()) == null) {
                return;
            }
            inFlight = true;
            s = ws;
        }
        write(s, next);
    }

    @Override
    CompletableFuture<Void> finish() {
        finishing = true;
        enqueue("{\"type\":\"CloseStream\"}");
        return closed;
    }

    @Override
    void abort() {
        WebSocket s = ws;
        if (s != null) {
            s.abort();
        }
        closed.complete(null);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        synchronized (this) {
            ws = webSocket; // before its first callback, so that a loss reported at once is recognised as this socket's
        }
        text.setLength(0); // a message the lost socket left half-received
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            long now = System.nanoTime();
            String msg = text.toString();
            text.setLength(0);
            handle(msg, now);
        }
        webSocket.request(1);
        return null;
    }

    private void handle(String msg, long now) {
        JsonNode n;
        try {
            n = JSON.readTree(msg);
        } catch (Exception e) {
            fail("bad json");
            return;
        }
        if (!(flux ? "TurnInfo" : "Results").equals(n.path("type").asText())) {
            return;
        }
        long sent = sentNs(n);
        if (sent != 0) {
            recorder.received(sent, now);
        }
        if (handoff == null) {
            if (sent != 0) {
                recorder.latency(sent, now);
                recorder.decoded(sent, now);
            }
            deliver(n);
            return;
        }
        if (sent != 0) {
            recorder.decoded(sent, System.nanoTime());
        }
        handOff(n);
    }

    private void handOff(JsonNode n) {
        boolean submit;
        synchronized (this) {
            handed.addLast(n);
            submit = !drainQueued;
            drainQueued = true;
        }
        if (submit) {
            handoff.execute(drainTask);
        }
    }

    private long sentNs(JsonNode n) {
        return (flux ? n : n.path("metadata")).path("extra").path("sent_ns").asLong(0);
    }

    /** Ends the stream; in {@code bare-handoff} only after the handler has taken every earlier message. */
    private void markClosed() {
        if (handoff == null) {
            ended();
        } else {
            handOff(CLOSED);
        }
    }

    /**
     * The handler's end of the stream. Flux sends no EndOfTurn after CloseStream, so the last text of a turn still
     * open is its final text (as dgstream's synthesized EndOfTurn).
     */
    private void ended() {
        if (openTurn != null) {
            deliverTurn(openTurn);
            openTurn = null;
        }
        closed.complete(null);
    }

    /** The hand-off's "handler": one drain per stream at a time, so this stream's messages stay in order. */
    private void drainHanded() {
        while (true) {
            JsonNode n;
            synchronized (this) {
                n = handed.pollFirst();
                if (n == null) {
                    drainQueued = false;
                    return;
                }
            }
            if (n == CLOSED) {
                ended();
                continue;
            }
            long sent = sentNs(n);
            if (sent != 0) {
                recorder.latency(sent, System.nanoTime());
            }
            deliver(n);
        }
    }

    private void deliver(JsonNode n) {
        if (flux) {
            if ("EndOfTurn".equals(n.path("event").asText())) {
                deliverTurn(n);
                openTurn = null;
            } else {
                openTurn = n;
            }
            return;
        }
        if (n.path("is_final").asBoolean()) {
            stats.beginFinal();
            for (JsonNode word : n.path("channel").path("alternatives").path(0).path("words")) {
                stats.word(word.path("word").asText());
            }
        }
    }

    private void deliverTurn(JsonNode n) {
        stats.beginFinal();
        for (JsonNode word : n.path("words")) {
            stats.word(StreamStats.plain(word.path("word").asText()));
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (statusCode != (flux ? 1005 : 1000)) {
            lost(webSocket, "closed " + statusCode + " " + reason);
            return null;
        }
        markClosed();
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        lost(webSocket, "error: " + error);
    }
}
