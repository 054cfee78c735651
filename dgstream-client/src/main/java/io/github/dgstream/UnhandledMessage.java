package io.github.dgstream;

/**
 * A server text message of a type this library does not model; delivered verbatim.
 *
 * @param json the raw JSON text
 */
public record UnhandledMessage(String json) implements StreamEvent, FluxEvent {
    @Override
    public EventType type() {
        return EventType.UNHANDLED;
    }
}
