package io.github.dgstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A recording raw JDK WebSocket client: every text message goes to a queue; the close (or drop) is captured. */
final class RawClient implements WebSocket.Listener, AutoCloseable {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(10);

    /** How the connection ended: a close frame (code, reason), or none ({@code abnormal}: EOF/error, code 1006). */
    record Closed(int code, String reason, boolean abnormal) {}

    final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Closed> closed = new CompletableFuture<>();
    final BlockingQueue<ByteBuffer> pongs = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket ws;

    private RawClient() {}

    static RawClient connect(String url) throws Exception {
        return connect(url, Map.of("Authorization", "Token test-key"), List.of());
    }

    static RawClient connect(String url, Map<String, String> headers, List<String> subprotocols) throws Exception {
        RawClient c = new RawClient();
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(b::header);
        if (!subprotocols.isEmpty()) {
            b.subprotocols(
                    subprotocols.get(0),
                    subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        try {
            c.ws = b.buildAsync(URI.create(url), c).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
        return c;
    }

    WebSocket ws() {
        return ws;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                messages.add(JSON.readTree(partial.toString()));
            } catch (Exception e) {
                messages.add(JSON.createObjectNode().put("type", "<not json>").put("text", partial.toString()));
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        messages.add(JSON.createObjectNode().put("type", "<binary>"));
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        pongs.add(message);
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason, statusCode == 1006)); // 1006: no close frame
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(new Closed(1006, String.valueOf(error), true));
    }

    // ---- sending ---------------------------------------------------------------------------------------------

    void send(byte[] audio) throws Exception {
        ws.sendBinary(ByteBuffer.wrap(audio), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Sends audio in chunks of {@code chunkBytes}, as fast as the socket takes it. */
    void sendChunked(byte[] audio, int chunkBytes) throws Exception {
        for (int off = 0; off < audio.length; off += chunkBytes) {
            int n = Math.min(chunkBytes, audio.length - off);
            ws.sendBinary(ByteBuffer.wrap(audio, off, n), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    void sendText(String text) throws Exception {
        ws.sendText(text, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    void sendType(String type) throws Exception {
        sendText("{\"type\":\"" + type + "\"}");
    }

    void ping() throws Exception {
        ws.sendPing(ByteBuffer.wrap(new byte[] {1, 2, 3})).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    // ---- receiving -------------------------------------------------------------------------------------------

    /** The next message, failing after {@link #WAIT}. */
    JsonNode next() throws InterruptedException {
        JsonNode n = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (n == null) {
            fail("no message within " + WAIT);
        }
        return n;
    }

    /** The next message of this type; messages of other types before it are skipped. */
    JsonNode next(String type) throws InterruptedException {
        return until(m -> m.path("type").asText().equals(type)).get(0);
    }

    /**
     * Messages up to and including the first that matches, returned with the match first followed by the skipped
     * ones (in order). Fails after {@link #WAIT}.
     */
    List<JsonNode> until(Predicate<JsonNode> p) throws InterruptedException {
        List<JsonNode> skipped = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode n = messages.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (n == null) {
                fail("no matching message within " + WAIT + "; got " + skipped);
            }
            if (p.test(n)) {
                List<JsonNode> out = new ArrayList<>();
                out.add(n);
                out.addAll(skipped);
                return out;
            }
            skipped.add(n);
        }
    }

    /** Every message until the connection ends, then the close. */
    List<JsonNode> messagesUntilClosed() throws Exception {
        Closed c = awaitClose();
        List<JsonNode> out = new ArrayList<>();
        messages.drainTo(out);
        assertThat(c).isNotNull();
        return out;
    }

    Closed awaitClose() throws Exception {
        return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Asserts that no message arrives (and the connection does not end) within {@code d}. */
    void assertQuietFor(Duration d) throws InterruptedException {
        JsonNode n = messages.poll(d.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(n).as("unexpected message").isNull();
        assertThat(closed).as("unexpected close").isNotDone();
    }

    @Override
    public void close() {
        WebSocket w = ws;
        if (w != null) {
            w.abort();
        }
    }
}
