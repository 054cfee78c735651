package io.github.dgstream;

import java.util.Objects;

/**
 * A typed event name for {@code on(key, handler)}: the handler receives the key's payload type. The constants live in
 * {@link LiveTranscriptionEvents}.
 *
 * @param <T> the payload type
 */
public final class EventKey<T extends StreamEvent> {
    private final EventType type;
    private final Class<T> payloadType;

    private EventKey(EventType type, Class<T> payloadType) {
        this.type = Objects.requireNonNull(type);
        this.payloadType = Objects.requireNonNull(payloadType);
    }

    static <T extends StreamEvent> EventKey<T> of(EventType type, Class<T> payloadType) {
        return new EventKey<>(type, payloadType);
    }

    /** The event type this key selects. */
    public EventType type() {
        return type;
    }

    /** The payload class delivered to handlers of this key. */
    public Class<T> payloadType() {
        return payloadType;
    }

    @Override
    public String toString() {
        return type.name();
    }
}
