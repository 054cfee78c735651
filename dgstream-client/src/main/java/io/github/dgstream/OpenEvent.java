package io.github.dgstream;

/**
 * The session's first connection is open (later connections are reported by {@link Reconnected}).
 *
 * @param requestId the server request id if known at open time; {@code null} for v1, whose handshake id is not
 *     exposed by the JDK WebSocket client (it appears on every {@link StreamEvent.Metadata} and in {@code
 *     DeepgramListenSession#requestId()} once the first result arrives)
 */
public record OpenEvent(String requestId) implements StreamEvent, FluxEvent {
    @Override
    public EventType type() {
        return EventType.OPEN;
    }
}
