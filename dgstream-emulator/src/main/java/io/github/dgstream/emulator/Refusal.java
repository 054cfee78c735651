package io.github.dgstream.emulator;

import java.util.Objects;

/**
 * A refused WebSocket handshake: the HTTP status and the Deepgram REST error body
 * {@code {"err_code","err_msg","request_id"}}. The emulator also sends {@code dg-error: <errMsg>} and
 * {@code dg-request-id}.
 */
public record Refusal(int status, String errCode, String errMsg) {
    public Refusal {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("refusal status must be 4xx or 5xx: " + status);
        }
        Objects.requireNonNull(errCode, "errCode");
        Objects.requireNonNull(errMsg, "errMsg");
    }

    /** A refusal with Deepgram's documented error code and message for this status. */
    public static Refusal of(int status) {
        return switch (status) {
            case 400 -> new Refusal(400, "Bad Request", "Bad Request: failed to process the request.");
            case 401 -> new Refusal(401, "INVALID_AUTH", "Invalid credentials.");
            case 402 ->
                new Refusal(402, "ASR_PAYMENT_REQUIRED", "Project does not have enough credits for an ASR request.");
            case 403 ->
                new Refusal(403, "INSUFFICIENT_PERMISSIONS", "Project does not have access to the requested model.");
            case 429 ->
                new Refusal(
                        429, "TOO_MANY_REQUESTS", "Too many requests. Concurrency limit exceeded for this project.");
            case 503 -> new Refusal(503, "SERVICE_UNAVAILABLE", "The service is temporarily unavailable.");
            default ->
                new Refusal(
                        status,
                        status >= 500 ? "INTERNAL_SERVER_ERROR" : "Bad Request",
                        "Request refused (" + status + ").");
        };
    }

    static Refusal badRequest(String message) {
        return new Refusal(400, "Bad Request", message);
    }
}
