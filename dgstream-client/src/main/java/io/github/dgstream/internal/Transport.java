package io.github.dgstream.internal;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The minimal WebSocket transport the engine needs (JDK implementation: {@link JdkTransport}; fakes in tests). */
public interface Transport {

    /**
     * Opens a WebSocket. The returned future completes with the socket once open, or exceptionally (a refused upgrade
     * completes with a {@link HandshakeFailure}). {@link Listener#onOpen} is called before any other callback.
     */
    CompletableFuture<Socket> connect(URI uri, Map<String, String> headers, Duration timeout, Listener listener);

    /** A connected WebSocket. At most one send may be pending at a time (the engine guarantees it). */
    interface Socket {
        CompletableFuture<?> sendBinary(ByteBuffer data);

        CompletableFuture<?> sendText(String text);

        CompletableFuture<?> sendPing();

        /** Sends a close frame (output only; the engine waits for the server's close, bounded). */
        CompletableFuture<?> sendClose(int code, String reason);

        /** Hard abort: no close frame, frees the socket at once. Idempotent. */
        void abort();

        /** Asks for {@code n} more inbound messages (complete text messages, pongs or the close). */
        void request(long n);
    }

    /** Inbound callbacks. They run on transport threads and must only hand work over to the session actor. */
    interface Listener {
        void onOpen(Socket socket);

        /** A complete text message. The engine calls {@link Socket#request} when it wants the next one. */
        void onText(String text);

        /** A complete binary message of {@code bytes} bytes arrived; it is not kept (demand is replenished). */
        default void onBinary(long bytes) {}

        /** A pong arrived (demand is replenished by the transport). */
        void onPong();

        /** The server closed (or the TCP connection ended: 1006). */
        void onClose(int code, String reason);

        void onError(Throwable error);
    }

    /** The server broke the protocol in a way that ends the connection (e.g. an oversized message). */
    final class ProtocolViolation extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        public ProtocolViolation(String message) {
            super(message);
        }
    }

    /** A refused WebSocket upgrade, with what the server said. */
    final class HandshakeFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String dgError;
        private final String requestId;
        private final String body;

        public HandshakeFailure(int status, String dgError, String requestId, String body) {
            super("HTTP " + status);
            this.status = status;
            this.dgError = dgError;
            this.requestId = requestId;
            this.body = body;
        }

        public int status() {
            return status;
        }

        public String dgError() {
            return dgError;
        }

        public String requestId() {
            return requestId;
        }

        public String body() {
            return body;
        }
    }
}
