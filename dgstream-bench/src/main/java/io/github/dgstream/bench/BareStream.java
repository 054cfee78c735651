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

/**
 * The baseline: the least a correct client must do with the plain JDK {@code java.net.http.WebSocket} and Jackson. No
 * engine, no reconnection, no replay journal, no liveness, no timeline; the "handler" runs on the JDK's listener
 * thread. Sends are chained (the JDK allows one pending send) through a small queue.
 */
final class BareStream extends LoadStream implements WebSocket.Listener {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI uri;
    private final LoadWorker w;
    private final StringBuilder text = new StringBuilder();
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private boolean inFlight;
    private volatile WebSocket ws;

    BareStream(int id, StreamStats stats, HttpClient http, URI uri, LoadWorker w) {
        super(id, stats);
        this.http = http;
        this.uri = uri;
        this.w = w;
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
        if (!"Results".equals(n.path("type").asText())) {
            return;
        }
        long sent = n.path("metadata").path("extra").path("sent_ns").asLong(0);
        if (sent != 0) {
            w.latency(sent, now);
            w.decoded(sent, now);
        }
        if (n.path("is_final").asBoolean()) {
            stats.beginFinal(n.path("start").asDouble() + n.path("duration").asDouble());
            for (JsonNode word : n.path("channel").path("alternatives").path(0).path("words")) {
                stats.word(word.path("word").asText());
            }
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (statusCode != 1000) {
            fail("closed " + statusCode + " " + reason);
        }
        closed.complete(null);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        fail("error: " + error);
        closed.complete(null);
    }
}
