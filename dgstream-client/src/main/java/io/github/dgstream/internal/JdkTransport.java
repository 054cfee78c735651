package io.github.dgstream.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** {@link Transport} over {@code java.net.http.WebSocket}, sharing one {@link HttpClient}. */
public final class JdkTransport implements Transport {
    /**
     * Largest server text message accepted, in chars (1 Mi; Deepgram's results are a few KiB). The JDK delivers a
     * long message in parts ({@code onText(last=false)}); once the parts exceed this the socket is aborted and the
     * listener gets a {@link Transport.ProtocolViolation}, so a hostile or broken server cannot exhaust memory.
     */
    public static final int MAX_TEXT_CHARS = 1 << 20;

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private final HttpClient http;

    public JdkTransport(HttpClient http) {
        this.http = http;
    }

    @Override
    public CompletableFuture<Socket> connect(URI uri, Map<String, String> headers, Duration timeout, Listener l) {
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(timeout);
        headers.forEach(b::header);
        Adapter adapter = new Adapter(l);
        return b.buildAsync(uri, adapter).handle((ws, err) -> {
            if (err == null) {
                return (Socket) adapter.socket(ws);
            }
            Throwable t = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (t instanceof WebSocketHandshakeException h && h.getResponse() != null) {
                throw new CompletionException(toFailure(h.getResponse()));
            }
            throw new CompletionException(t);
        });
    }

    private static HandshakeFailure toFailure(HttpResponse<?> r) {
        Object body = r.body();
        String text = body instanceof byte[] bytes
                ? new String(bytes, StandardCharsets.UTF_8)
                : body instanceof String s ? s : null;
        return new HandshakeFailure(
                r.statusCode(),
                r.headers().firstValue("dg-error").orElse(null),
                r.headers().firstValue("dg-request-id").orElse(null),
                text);
    }

    private static final class JdkSocket implements Socket {
        private final WebSocket ws;

        JdkSocket(WebSocket ws) {
            this.ws = ws;
        }

        @Override
        public CompletableFuture<?> sendBinary(ByteBuffer data) {
            return ws.sendBinary(data, true);
        }

        @Override
        public CompletableFuture<?> sendText(String text) {
            return ws.sendText(text, true);
        }

        @Override
        public CompletableFuture<?> sendPing() {
            return ws.sendPing(EMPTY.duplicate());
        }

        @Override
        public CompletableFuture<?> sendClose(int code, String reason) {
            return ws.sendClose(code, reason);
        }

        @Override
        public void abort() {
            ws.abort();
        }

        @Override
        public void request(long n) {
            ws.request(n);
        }
    }

    /** Assembles fragmented text, keeps demand for fragments/pings/pongs, forwards the rest. */
    private static final class Adapter implements WebSocket.Listener {
        private final Listener l;
        private final StringBuilder text = new StringBuilder();
        private long binaryBytes;
        private boolean failed;
        private volatile JdkSocket socket;

        Adapter(Listener l) {
            this.l = l;
        }

        synchronized JdkSocket socket(WebSocket ws) {
            if (socket == null) {
                socket = new JdkSocket(ws);
            }
            return socket;
        }

        @Override
        public void onOpen(WebSocket ws) {
            l.onOpen(socket(ws));
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (failed) {
                return null;
            }
            if ((long) text.length() + data.length() > MAX_TEXT_CHARS) {
                failed = true;
                text.setLength(0);
                text.trimToSize();
                l.onError(new ProtocolViolation(
                        "server text message exceeds " + MAX_TEXT_CHARS + " chars; connection aborted"));
                ws.abort(); // after reporting: the abort's own callbacks then belong to a dead connection
                return null;
            }
            if (last && text.length() == 0) {
                l.onText(data.toString()); // the usual case, a message in one part: one copy, not two
                return null; // the engine asks for the next message once it has room for it
            }
            text.append(data);
            if (last) {
                String msg = text.toString();
                text.setLength(0);
                if (text.capacity() > 64 * 1024) {
                    text.trimToSize();
                }
                l.onText(msg);
            } else {
                ws.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            // Deepgram sends no binary messages: count it (never buffer it) and report it once complete.
            binaryBytes += data.remaining();
            if (last) {
                long n = binaryBytes;
                binaryBytes = 0;
                l.onBinary(n);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
            ws.request(1); // the JDK answers with a pong itself
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            ws.request(1);
            l.onPong();
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            l.onClose(statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            l.onError(error);
        }
    }
}
