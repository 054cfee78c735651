package io.github.dgstream;

/**
 * Reconnecting gave up (retries exhausted, or a fatal error during a reconnect). Terminal: a {@link CloseEvent}
 * follows.
 *
 * @param attempts reconnect attempts made
 * @param cause the last failure
 */
public record ReconnectFailed(int attempts, DeepgramException cause) implements StreamEvent, FluxEvent {
    @Override
    public EventType type() {
        return EventType.RECONNECT_FAILED;
    }
}
