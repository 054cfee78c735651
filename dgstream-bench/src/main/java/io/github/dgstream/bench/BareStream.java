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
 * engine, no reconnection, no replay journal, no liveness, no timeline; the "handler" runs on the JDK's listener
 * thread. Sends are chained (the JDK allows one pending send) through a small queue.
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

    private final LoadWorker w;
    private final Executor handoff;
    private final StringBuilder text = new StringBuilder();
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private boolean inFlight;
    private volatile WebSocket ws;
    /** Parsed messages waiting for the hand-off executor (guarded by {@code this}). */
    private final ArrayDeque<JsonNode> handed = new ArrayDeque<>();
    /** A drain of {@link #handed} is queued or running (guarded by {@code this}). */
    private boolean drainQueued;
    /** Flux: the last TurnInfo of a turn not ended yet (handler only). */
    private JsonNode openTurn;

    private final Runnable drainTask = this::drainHanded;

    /** @param handoff where the "handler" runs, or {@code null} for the listener thread */
    BareStream(int id, StreamStats stats, HttpClient http, URI uri, boolean flux, LoadWorker w, Executor handoff) {
        super(id, stats);
        this.http = http;
        this.uri = uri;
        this.flux = flux;
        this.w = w;
        this.handoff = handoff;
    }

    @Override
    CompletableFuture<Void> open() {
        return http.newWebSocketBuilder()
                .header("Authorization", "Token bench")
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, this)
                .thenAccept(s -> ws = s);
    }

    @Override
    void send(byte[] audio, int off, int len) {
        enqueue(ByteBuffer.wrap(audio, off, len));
    }

    private void enqueue(Object frame) {
        synchronized (this) {
            if (inFlight) {
                pending.add(frame);
                return;
            }
            inFlight = true;
        }
        write(frame);
    }

    private void write(Object frame) {
        CompletableFuture<WebSocket> f =
                frame instanceof ByteBuffer b ? ws.sendBinary(b, true) : ws.sendText((String) frame, true);
        f.whenComplete((s, err) -> {
            if (err != null) {
                fail("send: " + err);
                return;
            }
            Object next;
            synchronized (this) {
                next = pending.poll();
                if (next == null) {
                    inFlight = false;
                    return;
                }
            }
            write(next);
        });
    }

    @Override
    CompletableFuture<Void> finish() {
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
            w.received(sent, now);
        }
        if (handoff == null) {
            if (sent != 0) {
                w.latency(sent, now);
                w.decoded(sent, now);
            }
            deliver(n);
            return;
        }
        if (sent != 0) {
            w.decoded(sent, System.nanoTime());
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
                w.latency(sent, System.nanoTime());
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
            fail("closed " + statusCode + " " + reason);
        }
        markClosed();
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        fail("error: " + error);
        markClosed();
    }
}
