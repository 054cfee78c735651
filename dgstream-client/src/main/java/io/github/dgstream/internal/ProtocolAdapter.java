package io.github.dgstream.internal;

import io.github.dgstream.DeepgramEvent;
import io.github.dgstream.DeepgramException;
import java.net.URI;
import java.util.List;

/**
 * Everything that differs between {@code /v1/listen} and {@code /v2/listen}; the {@link SessionEngine} does the rest.
 * One instance per session (it may keep per-session state such as Flux's turn index, reset per socket in {@link
 * #onNewSocket}). Called only on the session actor.
 */
public interface ProtocolAdapter {

    /** The full connection URI (path and query) for {@code baseUrl} ({@code ws[s]://host[:port]}). */
    URI uri(URI baseUrl);

    /** Audio bytes per second, or 0 when unknown (compressed or containerised audio). */
    double bytesPerSecond();

    /** Bytes per sample frame (all channels); replay starts are aligned to it. 1 when unknown. */
    int frameBytes();

    /** A new socket opened; {@code replayFromSeconds} is the session time of its first audio byte. */
    void onNewSocket(double replayFromSeconds);

    /** Decodes one server text message; times are rebased with {@code timeline}. */
    Decoded decode(String json, SocketTimeline timeline);

    /** The keep-alive text message, or {@code null} for ping-only liveness (Flux). */
    String keepAliveMessage();

    /** The Finalize message, or {@code null} if the endpoint has none. */
    String finalizeMessage();

    /** The end-of-input message (CloseStream). */
    String closeStreamMessage();

    /**
     * Whether a server close with {@code code} that follows our CloseStream is a normal end even when no end-of-stream
     * marker ({@link Decoded#endOfStream()}) arrived (v1: 1000; Flux additionally 1005, its status-less close).
     */
    boolean isNormalCloseAfterCloseStream(int code);

    /**
     * Whether a decoded in-band error always ends the connection (Flux: its {@code Error} is fatal for the socket).
     * Then the engine acts on the message at once: a fatal verdict ends the session, a retryable one reconnects,
     * without waiting for the close that follows. Otherwise the error waits for a close to classify it (v1).
     */
    default boolean errorEndsConnection() {
        return false;
    }

    /**
     * Whether the server owes us messages for the audio we send, so that the receive watchdog applies. v1: always.
     * Flux: only before {@code Connected} and while a turn is in progress (between turns it legitimately stays quiet).
     */
    default boolean expectsMessages() {
        return true;
    }

    /**
     * Whether progress (a new watermark: a final result, a completed turn) resets the retry budget like a healthy
     * period does. Flux: yes (a long session survives many separate drops; an endless flap without progress is still
     * capped). v1: no, only the healthy period resets it.
     */
    default boolean progressResetsRetries() {
        return false;
    }

    /**
     * The input ended normally (after CloseStream, before the session's {@code CloseEvent}): events to deliver last,
     * e.g. Flux's synthesized EndOfTurn for a turn still open.
     */
    default List<DeepgramEvent> streamEnded() {
        return List.of();
    }

    /**
     * The result of decoding one server message.
     *
     * @param events events to deliver, in order
     * @param watermarkSeconds new session-time watermark (end of confirmed audio), or NaN if unchanged
     * @param endOfStream this was the server's last message for the connection (v1 Metadata)
     * @param finalizeAck a result answering a Finalize request
     * @param requestId the request id mentioned by the message, or {@code null}
     * @param serverError an in-band Error, or {@code null}
     * @param configureAck the event answering the Configure in flight (success or failure), or {@code null}
     */
    record Decoded(
            List<DeepgramEvent> events,
            double watermarkSeconds,
            boolean endOfStream,
            boolean finalizeAck,
            String requestId,
            DeepgramException serverError,
            DeepgramEvent configureAck) {
        public Decoded(
                List<DeepgramEvent> events,
                double watermarkSeconds,
                boolean endOfStream,
                boolean finalizeAck,
                String requestId,
                DeepgramException serverError) {
            this(events, watermarkSeconds, endOfStream, finalizeAck, requestId, serverError, null);
        }

        public static Decoded of(List<DeepgramEvent> events) {
            return new Decoded(events, Double.NaN, false, false, null, null, null);
        }
    }

    /**
     * {@code baseUrl} + {@code path} + the query parameters in order (repeated keys repeated), each key and value
     * URL-encoded with spaces as {@code %20}. A trailing slash of {@code baseUrl} is dropped.
     */
    static URI endpoint(URI baseUrl, String path, java.util.List<java.util.Map.Entry<String, String>> query) {
        StringBuilder sb = new StringBuilder();
        String base = baseUrl.toString();
        sb.append(base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                .append(path);
        char sep = '?';
        for (java.util.Map.Entry<String, String> e : query) {
            sb.append(sep)
                    .append(java.net.URLEncoder.encode(e.getKey(), java.nio.charset.StandardCharsets.UTF_8))
                    .append('=')
                    .append(java.net.URLEncoder.encode(e.getValue(), java.nio.charset.StandardCharsets.UTF_8)
                            .replace("+", "%20"));
            sep = '&';
        }
        return URI.create(sb.toString());
    }
}
