package io.github.dgstream.internal;

import io.github.dgstream.DeepgramEvent;
import io.github.dgstream.DeepgramException;
import io.github.dgstream.ErrorEvent;
import io.github.dgstream.EventType;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callback API's {@link EventSink}: a bounded per-session queue drained serially on the shared handler pool, so
 * user code never runs on transport or engine threads and handlers of one session never run concurrently. When the
 * queue holds {@code capacity} events, {@link #offer} returns false and the engine stops reading the socket until
 * the handlers catch up to half the capacity. A handler that throws is reported as an {@link ErrorEvent} of kind
 * {@link DeepgramException.Kind#HANDLER} (a throwing ERROR handler is only logged) and delivery goes on.
 *
 * <p>The queue is drained by one task at a time on the pool ({@link #drainQueued}), submitted when the queue stops
 * being empty, not one task per event: an event costs one queue insertion and nothing else on the hot path.
 */
public final class HandlerDispatcher implements EventSink {
    private static final Logger LOG = LoggerFactory.getLogger(HandlerDispatcher.class);
    private static final ThreadLocal<HandlerDispatcher> CURRENT = new ThreadLocal<>();
    /** Events one drain task delivers before it yields its pool thread to other sessions. */
    private static final int BATCH = 256;

    private final Executor pool;
    private final Runnable drainTask = this::drain;
    private final int capacity;
    private final Map<EventType, List<Consumer<DeepgramEvent>>> handlers = new EnumMap<>(EventType.class);
    private final ArrayDeque<DeepgramEvent> queue = new ArrayDeque<>();
    private boolean full;
    private Runnable spaceCallback = () -> {};
    private Runnable drained;
    private boolean completed;
    /** A drain task is queued or running (guarded by {@code this}); at most one exists, so events keep their order. */
    private boolean drainQueued;

    public HandlerDispatcher(Executor handlerPool, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("eventQueueCapacity must be >= 1, was " + capacity);
        }
        this.pool = handlerPool;
        this.capacity = capacity;
        for (EventType t : EventType.values()) {
            handlers.put(t, new CopyOnWriteArrayList<>());
        }
    }

    /** Adds a handler for {@code type}; thread-safe, effective for events delivered afterwards. */
    public void add(EventType type, Consumer<DeepgramEvent> handler) {
        handlers.get(type).add(handler);
    }

    /** True when the current thread is running a handler of this dispatcher. */
    public boolean isDispatchThread() {
        return CURRENT.get() == this;
    }

    @Override
    public boolean offer(DeepgramEvent event) {
        boolean room;
        boolean submit;
        synchronized (this) {
            queue.addLast(event);
            room = queue.size() < capacity;
            if (!room) {
                full = true;
            }
            submit = !drainQueued;
            drainQueued = true;
        }
        if (submit) {
            submitDrain();
        }
        return room;
    }

    @Override
    public synchronized void onSpace(Runnable callback) {
        this.spaceCallback = callback;
    }

    @Override
    public void complete(Runnable drained) {
        boolean submit;
        synchronized (this) {
            this.completed = true;
            this.drained = drained;
            submit = !drainQueued;
            drainQueued = true;
        }
        if (submit) {
            submitDrain();
        }
    }

    private void submitDrain() {
        try {
            pool.execute(drainTask);
        } catch (RejectedExecutionException e) {
            Runnable done = null;
            synchronized (this) { // the client was closed: no handler may run any more
                queue.clear();
                drainQueued = false;
                if (completed) {
                    done = drained;
                    drained = null;
                }
            }
            if (done != null) {
                done.run(); // engine code (the session's terminated future), which must still learn the end
            }
        }
    }

    /** Delivers queued events in order; runs the completion callback once the queue is empty after complete(). */
    private void drain() {
        for (int i = 0; i < BATCH; i++) {
            DeepgramEvent e;
            Runnable resume = null;
            Runnable done = null;
            synchronized (this) {
                e = queue.pollFirst();
                if (e == null) {
                    drainQueued = false;
                    if (completed) {
                        done = drained;
                        drained = null;
                    }
                } else if (full && queue.size() <= capacity / 2) {
                    full = false;
                    resume = spaceCallback;
                }
            }
            if (e == null) {
                if (done != null) {
                    done.run();
                }
                return;
            }
            dispatch(e);
            if (resume != null) {
                resume.run();
            }
        }
        submitDrain(); // more queued: other sessions' handlers go first
    }

    private void dispatch(DeepgramEvent e) {
        CURRENT.set(this);
        try {
            for (Consumer<DeepgramEvent> h : handlers.get(e.type())) {
                try {
                    h.accept(e);
                } catch (Throwable t) {
                    reportHandlerFailure(e, t);
                }
            }
        } finally {
            CURRENT.remove();
        }
    }

    private void reportHandlerFailure(DeepgramEvent e, Throwable t) {
        if (e.type() == EventType.ERROR) {
            LOG.warn("ERROR handler threw", t);
            return;
        }
        DeepgramException ex = DeepgramException.builder(
                        DeepgramException.Kind.HANDLER, "Handler for " + e.type() + " threw " + t)
                .cause(t)
                .build();
        ErrorEvent err = new ErrorEvent(ex);
        for (Consumer<DeepgramEvent> h : handlers.get(EventType.ERROR)) {
            try {
                h.accept(err);
            } catch (Throwable t2) {
                LOG.warn("ERROR handler threw", t2);
            }
        }
        if (handlers.get(EventType.ERROR).isEmpty()) {
            LOG.warn("Handler for {} threw", e.type(), t);
        }
    }
}
