package io.github.dgstream;

import java.util.Objects;

/**
 * A typed Flux event name for {@code on(key, handler)}: the handler receives the key's payload type. The constants
 * live in {@link FluxEvents}. (A separate class from the v1 {@link EventKey}, whose bound is {@link StreamEvent}, so
 * that v1 code using {@code EventKey<?>} stays source-compatible.)
 *
 * @param <T> the payload type
 */
public final class FluxEventKey<T extends FluxEvent> {
    private final EventType type;
    private final Class<T> payloadType;

    private FluxEventKey(EventType type, Class<T> payloadType) {
        this.type = Objects.requireNonNull(type);
        this.payloadType = Objects.requireNonNull(payloadType);
    }

    static <T extends FluxEvent> FluxEventKey<T> of(EventType type, Class<T> payloadType) {
        return new FluxEventKey<>(type, payloadType);
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
