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
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callback API's {@link EventSink}: a bounded per-session queue drained serially on the shared handler pool, so
 * user code never runs on transport or engine threads and handlers of one session never run concurrently. When the
 * queue holds {@code capacity} events, {@link #offer} returns false and the engine stops reading the socket until
 * the handlers catch up to half the capacity. A handler that throws is reported as an {@link ErrorEvent} of kind
 * {@link DeepgramException.Kind#HANDLER} (a throwing ERROR handler is only logged) and delivery goes on.
 */
public final class HandlerDispatcher implements EventSink {
    private static final Logger LOG = LoggerFactory.getLogger(HandlerDispatcher.class);
    private static final ThreadLocal<HandlerDispatcher> CURRENT = new ThreadLocal<>();

    private final SerialExecutor executor;
    private final int capacity;
    private final Map<EventType, List<Consumer<DeepgramEvent>>> handlers = new EnumMap<>(EventType.class);
    private final ArrayDeque<DeepgramEvent> queue = new ArrayDeque<>();
    private boolean full;
    private Runnable spaceCallback = () -> {};
    private Runnable drained;
    private boolean completed;

    public HandlerDispatcher(Executor handlerPool, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("eventQueueCapacity must be >= 1, was " + capacity);
        }
        this.executor = new SerialExecutor(handlerPool);
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
        synchronized (this) {
            queue.addLast(event);
            room = queue.size() < capacity;
            if (!room) {
                full = true;
            }
        }
        executor.execute(this::deliverOne);
        return room;
    }

    @Override
    public synchronized void onSpace(Runnable callback) {
        this.spaceCallback = callback;
    }

    @Override
    public void complete(Runnable drained) {
        synchronized (this) {
            this.completed = true;
            this.drained = drained;
        }
        executor.execute(this::checkDrained);
    }

    private void checkDrained() {
        Runnable d = null;
        synchronized (this) {
            if (completed && queue.isEmpty() && drained != null) {
                d = drained;
                drained = null;
            }
        }
        if (d != null) {
            d.run();
        }
    }

    private void deliverOne() {
        DeepgramEvent e;
        Runnable resume = null;
        synchronized (this) {
            e = queue.pollFirst();
            if (e == null) {
                return;
            }
            if (full && queue.size() <= capacity / 2) {
                full = false;
                resume = spaceCallback;
            }
        }
        dispatch(e);
        if (resume != null) {
            resume.run();
        }
        checkDrained();
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
