package io.github.dgstream;

/**
 * A failure reported by the library. Carries everything the server told us (close code and reason, HTTP status,
 * {@code dg-error}, {@code err_code}, request id) and whether the failure is worth retrying. It never contains the
 * API key or token.
 */
public class DeepgramException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Where the failure came from. */
    public enum Kind {
        /** The WebSocket upgrade was refused with an HTTP status. */
        HANDSHAKE,
        /** The server closed the connection with a close frame (or the close had no status, 1005/1006). */
        CLOSE,
        /** A network-level failure: connect refused, reset, EOF, I/O error. */
        TRANSPORT,
        /** A connect, send or finish timeout. */
        TIMEOUT,
        /** The connection was declared dead by the liveness watchdog (missed pong or no server message). */
        LIVENESS,
        /** An in-band {@code Error} message from the server. */
        SERVER_ERROR,
        /**
         * The server sent something the client cannot trust: a text message over the size cap, a {@code Results}
         * message with impossible fields (wrong types, non-finite or negative times, times beyond the audio sent, a
         * bad channel index), or a binary message. Untrusted results and oversized messages end the connection
         * (retryable: the audio since the last final is sent again); a binary message is only reported.
         */
        PROTOCOL,
        /** A user handler threw; the stream goes on. */
        HANDLER,
        /** Anything else (for example a credential provider that threw). */
        CLIENT,
        /** A {@link StreamSession}'s event buffer overflowed under {@link OverflowPolicy#FAIL}: the consumer was too slow. */
        OVERFLOW
    }

    private final Kind kind;
    private final int closeCode;
    private final String closeReason;
    private final int httpStatus;
    private final String dgError;
    private final String errCode;
    private final String description;
    private final String requestId;
    private final boolean retryable;

    private DeepgramException(Builder b) {
        super(b.message, b.cause);
        this.kind = b.kind;
        this.description = b.description;
        this.closeCode = b.closeCode;
        this.closeReason = b.closeReason;
        this.httpStatus = b.httpStatus;
        this.dgError = b.dgError;
        this.errCode = b.errCode;
        this.requestId = b.requestId;
        this.retryable = b.retryable;
    }

    /** Starts building an exception (used by the library; public so adapters in other packages can use it). */
    public static Builder builder(Kind kind, String message) {
        return new Builder(kind, message);
    }

    public Kind kind() {
        return kind;
    }

    /** The WebSocket close code, or -1 if the failure was not a close. */
    public int closeCode() {
        return closeCode;
    }

    /** The WebSocket close reason (e.g. {@code "DATA-0000 ..."}), or {@code null}. */
    public String closeReason() {
        return closeReason;
    }

    /** The HTTP status of a refused handshake, or -1. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The {@code dg-error} response header of a refused handshake, or {@code null}. */
    public String dgError() {
        return dgError;
    }

    /** The Deepgram error code ({@code err_code} of a handshake body, or {@code code} of an in-band Error). */
    public String errCode() {
        return errCode;
    }

    /** The {@code dg-request-id} / {@code request_id} of the failed connection, or {@code null}. */
    /** The server's human-readable description of an in-band error (Flux {@code description}), or {@code null}. */
    public String description() {
        return description;
    }

    public String requestId() {
        return requestId;
    }

    /** Whether reconnecting may help (see the classification table in the README). */
    public boolean isRetryable() {
        return retryable;
    }

    /** Mutable builder; not thread-safe. */
    public static final class Builder {
        private final Kind kind;
        private final String message;
        private Throwable cause;
        private int closeCode = -1;
        private String closeReason;
        private int httpStatus = -1;
        private String dgError;
        private String errCode;
        private String description;
        private String requestId;
        private boolean retryable;

        private Builder(Kind kind, String message) {
            this.kind = kind;
            this.message = message;
        }

        public Builder cause(Throwable cause) {
            this.cause = cause;
            return this;
        }

        public Builder close(int code, String reason) {
            this.closeCode = code;
            this.closeReason = reason;
            return this;
        }

        public Builder httpStatus(int status) {
            this.httpStatus = status;
            return this;
        }

        public Builder dgError(String dgError) {
            this.dgError = dgError;
            return this;
        }

        public Builder errCode(String errCode) {
            this.errCode = errCode;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder requestId(String requestId) {
            this.requestId = requestId;
            return this;
        }

        public Builder retryable(boolean retryable) {
            this.retryable = retryable;
            return this;
        }

        public DeepgramException build() {
            return new DeepgramException(this);
        }
    }
}
