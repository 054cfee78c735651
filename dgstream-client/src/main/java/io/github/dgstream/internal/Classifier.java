package io.github.dgstream.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dgstream.DeepgramException;
import io.github.dgstream.DeepgramException.Kind;
import java.net.http.HttpTimeoutException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/** Turns handshake refusals, close frames and I/O errors into {@link DeepgramException}s with a retry verdict. */
public final class Classifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Integer> FATAL_CLOSE_CODES = Set.of(1002, 1003, 1007, 1008, 1009, 1010);

    private Classifier() {}

    /** Retryable handshake statuses: 408, 429 and 5xx. 401 is handled by the engine (one token refresh). */
    public static boolean isRetryableStatus(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /** A refused upgrade. {@code body} may be {@code null}. */
    public static DeepgramException handshake(int status, String dgError, String requestId, String body) {
        String errCode = null;
        String errMsg = null;
        if (body != null && !body.isBlank()) {
            try {
                JsonNode n = JSON.readTree(body);
                errCode = text(n, "err_code");
                errMsg = text(n, "err_msg");
                if (requestId == null) {
                    requestId = text(n, "request_id");
                }
            } catch (Exception ignored) {
                // not JSON; keep what the headers said
            }
        }
        String detail = dgError != null ? dgError : errMsg;
        String msg = "WebSocket handshake refused with HTTP " + status + (errCode != null ? " " + errCode : "")
                + (detail != null ? ": " + detail : "") + (requestId != null ? " (request " + requestId + ")" : "");
        return DeepgramException.builder(Kind.HANDSHAKE, msg)
                .httpStatus(status)
                .dgError(dgError)
                .errCode(errCode)
                .requestId(requestId)
                .retryable(isRetryableStatus(status))
                .build();
    }

    /**
     * A close we did not ask for. 1002/1003/1007/1008/1009/1010 and any reason starting with {@code DATA-} are fatal
     * (bad options or audio: retrying with the same input fails again); everything else (1000 unasked, 1001, 1005,
     * 1006, 1011, 1012, 1013, ...) is retryable.
     *
     * @param inBand an in-band Error received just before the close, or {@code null}
     */
    public static DeepgramException close(int code, String reason, String requestId, DeepgramException inBand) {
        String r = reason == null ? "" : reason;
        boolean fatal = FATAL_CLOSE_CODES.contains(code) || r.startsWith("DATA-");
        String msg = "Server closed the connection: " + code + (r.isEmpty() ? "" : " " + r)
                + (inBand != null ? " (after server error: " + inBand.getMessage() + ")" : "")
                + (requestId != null ? " (request " + requestId + ")" : "");
        return DeepgramException.builder(Kind.CLOSE, msg)
                .close(code, r)
                .cause(inBand)
                .errCode(inBand != null ? inBand.errCode() : null)
                .requestId(requestId)
                .retryable(!fatal)
                .build();
    }

    /** A network failure (always retryable; a {@link Transport.ProtocolViolation} is of kind PROTOCOL). */
    public static DeepgramException transport(Throwable t, String requestId) {
        if (t instanceof Transport.ProtocolViolation) {
            return DeepgramException.builder(Kind.PROTOCOL, "Protocol violation: " + t.getMessage())
                    .cause(t)
                    .requestId(requestId)
                    .retryable(true)
                    .build();
        }
        Throwable cert = certificateFailure(t);
        if (cert != null) {
            // retrying cannot fix an untrusted or mismatched certificate: fatal, with the JDK's reason
            return DeepgramException.builder(
                            Kind.TRANSPORT,
                            "TLS certificate verification failed (the server's certificate is not trusted or does"
                                    + " not match the host; supply DeepgramClient.builder().sslContext(...) for a"
                                    + " private CA): " + cert.getMessage())
                    .cause(t)
                    .requestId(requestId)
                    .retryable(false)
                    .build();
        }
        boolean timeout = t instanceof HttpTimeoutException || t instanceof TimeoutException;
        String msg = (timeout ? "Timed out: " : "Connection failed: ")
                + t.getClass().getSimpleName()
                + (t.getMessage() != null ? ": " + t.getMessage() : "");
        return DeepgramException.builder(timeout ? Kind.TIMEOUT : Kind.TRANSPORT, msg)
                .cause(t)
                .requestId(requestId)
                .retryable(true)
                .build();
    }

    /** The certificate-validation failure in {@code t}'s cause chain, or {@code null}. */
    static Throwable certificateFailure(Throwable t) {
        for (Throwable c = t; c != null && c != c.getCause(); c = c.getCause()) {
            if (c instanceof java.security.cert.CertificateException
                    || c instanceof java.security.cert.CertPathValidatorException
                    || c instanceof javax.net.ssl.SSLPeerUnverifiedException) {
                return c;
            }
        }
        return null;
    }

    /** A liveness or timeout verdict (retryable). */
    public static DeepgramException dead(Kind kind, String msg, String requestId) {
        return DeepgramException.builder(kind, msg)
                .requestId(requestId)
                .retryable(true)
                .build();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
