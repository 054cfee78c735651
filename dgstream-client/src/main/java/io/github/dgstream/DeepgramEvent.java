package io.github.dgstream;

/**
 * The common root of every event the library delivers: v1 {@link StreamEvent}s and Flux {@link FluxEvent}s. The
 * lifecycle records ({@link OpenEvent}, {@link CloseEvent}, {@link Reconnecting}, {@link Reconnected}, {@link
 * ReconnectFailed}, {@link ErrorEvent}, {@link UnhandledMessage}) belong to both families, so one resilient engine
 * serves both endpoints.
 */
public sealed interface DeepgramEvent permits StreamEvent, FluxEvent {

    /** The kind of this event. */
    EventType type();
}
