package io.github.dgstream.internal;

import io.github.dgstream.DeepgramEvent;

/**
 * Where the engine delivers events: the callback dispatcher today, the pull API's bounded buffer next. Flow control
 * is shared: when {@link #offer} returns false the engine stops requesting messages from the socket (TCP then pushes
 * back on the server) until the sink calls the {@link #onSpace} callback.
 */
public interface EventSink {

    /**
     * Accepts one event (always; lifecycle events must never be lost). Called on the session actor, in order.
     *
     * @return false if the sink is at or over capacity and the engine should stop reading
     */
    boolean offer(DeepgramEvent event);

    /** Registers the callback the sink runs (on any thread) when it has room again after returning false. */
    void onSpace(Runnable callback);

    /** No more events will be offered. The sink delivers what it holds, then completes {@code drained}. */
    void complete(Runnable drained);
}
