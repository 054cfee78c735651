package io.github.dgstream;

/**
 * An error: a terminal failure (then a {@link CloseEvent} follows), an in-band server {@code Error} message (for
 * Flux also the fatal {@code Error} before a reconnect, whose {@link #code()} and {@link #description()} are kept), or a
 * user handler that threw ({@link DeepgramException.Kind#HANDLER}; the stream goes on).
 *
 * @param error the error
 */
public record ErrorEvent(DeepgramException error) implements StreamEvent, FluxEvent {

    /** The server's error code (Flux/v1 in-band {@code code}, or a handshake {@code err_code}), or {@code null}. */
    public String code() {
        return error.errCode();
    }

    /** The server's error description (Flux {@code description}), or {@code null}. */
    public String description() {
        return error.description();
    }

    @Override
    public EventType type() {
        return EventType.ERROR;
    }
}
