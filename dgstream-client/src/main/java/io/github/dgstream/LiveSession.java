package io.github.dgstream;

import io.github.dgstream.internal.HandlerDispatcher;
import io.github.dgstream.internal.SessionEngine;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** The shared core of the blocking and async v1 clients: configuration, handlers, one engine. */
final class LiveSession {
    private final DeepgramClient client;
    private final HandlerDispatcher dispatcher;
    private volatile ReconnectionConfig reconnection = ReconnectionConfig.defaults();
    private volatile LivenessConfig liveness;
    private volatile SessionEngine engine;

    LiveSession(DeepgramClient client) {
        this.client = client;
        this.liveness = client.liveness();
        this.dispatcher = new HandlerDispatcher(client.resources().handlerPool(), client.eventQueueCapacity());
    }

    synchronized void configureReconnection(ReconnectionConfig c) {
        Objects.requireNonNull(c, "config");
        checkNotStarted("configureReconnection()");
        reconnection = c;
    }

    synchronized void configureLiveness(LivenessConfig c) {
        Objects.requireNonNull(c, "config");
        checkNotStarted("configureLiveness()");
        liveness = c;
    }

    private void checkNotStarted(String op) {
        if (engine != null) {
            throw new IllegalStateException(op + " must be called before start()");
        }
    }

    <T extends StreamEvent> void on(EventKey<T> key, Consumer<? super T> handler) {
        Objects.requireNonNull(key, "event");
        Objects.requireNonNull(handler, "handler");
        Class<T> type = key.payloadType();
        dispatcher.add(key.type(), e -> handler.accept(type.cast(e)));
    }

    CompletableFuture<Void> start(LiveOptions options) {
        Objects.requireNonNull(options, "options");
        SessionEngine e;
        synchronized (this) {
            if (engine != null) {
                throw new IllegalStateException("start() may only be called once per connection object");
            }
            e = client.newV1Engine(options, reconnection, liveness, dispatcher);
            engine = e;
        }
        e.start();
        return e.opened();
    }

    private SessionEngine engine(String op) {
        SessionEngine e = engine;
        if (e == null) {
            throw new IllegalStateException(op + " called before start()");
        }
        return e;
    }

    void send(ByteBuffer audio) {
        Objects.requireNonNull(audio, "audio");
        engine("send()").send(audio);
    }

    void keepAlive() {
        engine("keepAlive()").keepAlive();
    }

    void sendFinalize() {
        engine("sendFinalize()").sendFinalize();
    }

    CompletableFuture<Void> finish() {
        SessionEngine e = engine;
        if (e == null) {
            return CompletableFuture.completedFuture(null);
        }
        return e.finish();
    }

    /** Blocking finish: bounded; returns at once when called from one of our own handlers. */
    void finishAndWait() {
        CompletableFuture<Void> f = finish();
        if (dispatcher.isDispatchThread()) {
            return;
        }
        try {
            f.get(liveness.finishTimeoutMs() + 5000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException te) {
            SessionEngine e = engine;
            if (e != null) {
                e.abort();
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException ee) {
            // terminal errors were delivered as events
        }
    }

    SessionState state() {
        SessionEngine e = engine;
        return e == null ? SessionState.NEW : e.state();
    }

    String requestId() {
        SessionEngine e = engine;
        return e == null ? null : e.requestId();
    }

    static RuntimeException unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof ExecutionException || c instanceof java.util.concurrent.CompletionException)
                && c.getCause() != null) {
            c = c.getCause();
        }
        return c instanceof RuntimeException r ? r : new IllegalStateException(c);
    }
}
