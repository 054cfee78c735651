package io.github.dgstream;

import io.github.dgstream.internal.FluxAdapter;
import io.github.dgstream.internal.HandlerDispatcher;
import io.github.dgstream.internal.ProtocolAdapter;
import io.github.dgstream.internal.SessionEngine;
import io.github.dgstream.internal.UserFutures;
import io.github.dgstream.internal.V1Adapter;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The shared core of the callback shapes (v1 blocking and async, Flux): configuration, handlers, one engine over a
 * protocol adapter. The pull shapes use {@link PullSession}.
 */
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
        on(key.type(), key.payloadType(), handler);
    }

    <T extends DeepgramEvent> void on(EventType eventType, Class<T> type, Consumer<? super T> handler) {
        Objects.requireNonNull(handler, "handler");
        dispatcher.add(eventType, e -> handler.accept(type.cast(e)));
    }

    CompletableFuture<Void> start(LiveOptions options) {
        Objects.requireNonNull(options, "options");
        return start(new V1Adapter(options));
    }

    /**
     * {@link #start(LiveOptions)} for a caller that attaches stages: the future completes on the handler pool, not on
     * the engine thread that saw the socket open (a stage without an executor runs on the completing thread).
     */
    CompletableFuture<Void> startAsync(LiveOptions options) {
        return UserFutures.handOff(start(options), client.resources().handlerPool());
    }

    CompletableFuture<Void> start(FluxOptions options) {
        Objects.requireNonNull(options, "options");
        return start(new FluxAdapter(options));
    }

    private CompletableFuture<Void> start(ProtocolAdapter adapter) {
        SessionEngine e;
        synchronized (this) {
            if (engine != null) {
                throw new IllegalStateException("start() may only be called once per connection object");
            }
            e = client.newEngine(adapter, reconnection, liveness, dispatcher);
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

    /**
     * Sends a Flux Configure; completes with the ConfigureSuccess, or fails with a {@link DeepgramException} carrying
     * the ConfigureFailure's code and description (or with the reason the session ended first).
     */
    CompletableFuture<FluxEvent.ConfigureSuccess> configure(FluxConfigure c) {
        return configure(engine("configure()"), c);
    }

    /** See {@link #configure(FluxConfigure)}; shared with the Flux pull session. */
    static CompletableFuture<FluxEvent.ConfigureSuccess> configure(SessionEngine engine, FluxConfigure c) {
        Objects.requireNonNull(c, "configure");
        return engine.configure(FluxAdapter.configureJson(c)).thenCompose(ack -> {
            if (ack instanceof FluxEvent.ConfigureSuccess ok) {
                return CompletableFuture.completedFuture(ok);
            }
            FluxEvent.ConfigureFailure f = (FluxEvent.ConfigureFailure) ack;
            return CompletableFuture.failedFuture(DeepgramException.builder(
                            DeepgramException.Kind.SERVER_ERROR,
                            "Configure rejected: " + f.code() + (f.description() != null ? ": " + f.description() : ""))
                    .errCode(f.code())
                    .description(f.description())
                    .requestId(f.requestId())
                    .build());
        });
    }

    void abort() {
        SessionEngine e = engine;
        if (e != null) {
            e.abort();
        }
    }

    CompletableFuture<Void> terminated() {
        SessionEngine e = engine;
        return e == null ? CompletableFuture.completedFuture(null) : e.terminated();
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
        if (dispatcher != null && dispatcher.isDispatchThread()) {
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
