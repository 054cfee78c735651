package io.github.dgstream;

/** The typed event keys of a Flux connection, for {@code connection.on(KEY, handler)}. */
public final class FluxEvents {
    private FluxEvents() {}

    public static final FluxEventKey<OpenEvent> OPEN = FluxEventKey.of(EventType.OPEN, OpenEvent.class);
    public static final FluxEventKey<CloseEvent> CLOSE = FluxEventKey.of(EventType.CLOSE, CloseEvent.class);
    public static final FluxEventKey<FluxEvent.Connected> CONNECTED =
            FluxEventKey.of(EventType.CONNECTED, FluxEvent.Connected.class);
    public static final FluxEventKey<FluxEvent.StartOfTurn> START_OF_TURN =
            FluxEventKey.of(EventType.START_OF_TURN, FluxEvent.StartOfTurn.class);
    public static final FluxEventKey<FluxEvent.Update> UPDATE =
            FluxEventKey.of(EventType.UPDATE, FluxEvent.Update.class);
    public static final FluxEventKey<FluxEvent.EagerEndOfTurn> EAGER_END_OF_TURN =
            FluxEventKey.of(EventType.EAGER_END_OF_TURN, FluxEvent.EagerEndOfTurn.class);
    public static final FluxEventKey<FluxEvent.TurnResumed> TURN_RESUMED =
            FluxEventKey.of(EventType.TURN_RESUMED, FluxEvent.TurnResumed.class);
    public static final FluxEventKey<FluxEvent.EndOfTurn> END_OF_TURN =
            FluxEventKey.of(EventType.END_OF_TURN, FluxEvent.EndOfTurn.class);
    public static final FluxEventKey<FluxEvent.ConfigureSuccess> CONFIGURE_SUCCESS =
            FluxEventKey.of(EventType.CONFIGURE_SUCCESS, FluxEvent.ConfigureSuccess.class);
    public static final FluxEventKey<FluxEvent.ConfigureFailure> CONFIGURE_FAILURE =
            FluxEventKey.of(EventType.CONFIGURE_FAILURE, FluxEvent.ConfigureFailure.class);
    public static final FluxEventKey<FluxEvent.Warning> WARNING =
            FluxEventKey.of(EventType.WARNING, FluxEvent.Warning.class);
    public static final FluxEventKey<Reconnecting> RECONNECTING =
            FluxEventKey.of(EventType.RECONNECTING, Reconnecting.class);
    public static final FluxEventKey<Reconnected> RECONNECTED =
            FluxEventKey.of(EventType.RECONNECTED, Reconnected.class);
    public static final FluxEventKey<ReconnectFailed> RECONNECT_FAILED =
            FluxEventKey.of(EventType.RECONNECT_FAILED, ReconnectFailed.class);
    public static final FluxEventKey<ErrorEvent> ERROR = FluxEventKey.of(EventType.ERROR, ErrorEvent.class);
    public static final FluxEventKey<UnhandledMessage> UNHANDLED =
            FluxEventKey.of(EventType.UNHANDLED, UnhandledMessage.class);
}
