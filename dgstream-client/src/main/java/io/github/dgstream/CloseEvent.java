package io.github.dgstream;

/**
 * The session ended. Always the last event, delivered exactly once.
 *
 * @param code the WebSocket close code of the last connection, or -1 if none was received
 * @param reason the close reason, or {@code ""}
 * @param initiatedByClient true when the session ended because the client finished or closed it
 */
public record CloseEvent(int code, String reason, boolean initiatedByClient) implements StreamEvent, FluxEvent {
    @Override
    public EventType type() {
        return EventType.CLOSE;
    }
}
