package io.github.dgstream;

/**
 * An error: a terminal failure (then a {@link CloseEvent} follows), an in-band server {@code Error} message, or a
 * user handler that threw ({@link DeepgramException.Kind#HANDLER}; the stream goes on).
 *
 * @param error the error
 */
public record ErrorEvent(DeepgramException error) implements StreamEvent {
    @Override
    public EventType type() {
        return EventType.ERROR;
    }
}
