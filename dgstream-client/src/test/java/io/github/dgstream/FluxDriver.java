package io.github.dgstream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Runs the same Flux scenario through the callback connection or the pull session, recording every event. */
abstract class FluxDriver {
    enum Shape {
        CALLBACK,
        PULL
    }

    final List<FluxEvent> events = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    ReconnectionConfig rc = ReconnectionConfig.defaults();
    LivenessConfig lc = LivenessConfig.defaults();

    static FluxDriver create(Shape shape, DeepgramClient client) {
        return shape == Shape.CALLBACK ? new Callback(client) : new Pull(client);
    }

    void configure(ReconnectionConfig rc, LivenessConfig lc) {
        this.rc = rc;
        this.lc = lc;
    }

    abstract void start(FluxOptions o);

    abstract void send(byte[] a, int off, int len);

    abstract CompletableFuture<FluxEvent.ConfigureSuccess> configure(FluxConfigure c);

    /** Ends the input and waits until every event has been recorded. */
    abstract void finish();

    abstract SessionState state();

    /** Streams {@code audio} in 100 ms chunks; sleeps {@code pauseMs} between chunks (pacing, not synchronisation). */
    void stream(byte[] audio, int from, int to, int bytesPerSecond, long pauseMs) throws InterruptedException {
        int chunk = bytesPerSecond / 10;
        for (int i = from; i < to; i += chunk) {
            send(audio, i, Math.min(chunk, to - i));
            if (pauseMs > 0) {
                TimeUnit.MILLISECONDS.sleep(pauseMs);
            }
        }
    }

    <T extends FluxEvent> List<T> of(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    List<FluxEvent.EndOfTurn> eots() {
        return of(FluxEvent.EndOfTurn.class);
    }

    List<Word> eotWords() {
        List<Word> out = new ArrayList<>();
        eots().forEach(e -> out.addAll(e.words()));
        return out;
    }

    boolean closed() {
        return !of(CloseEvent.class).isEmpty();
    }

    List<EventType> types() {
        return events.stream().map(FluxEvent::type).collect(Collectors.toList());
    }

    void record(FluxEvent e) {
        events.add(e);
        threads.add(Thread.currentThread().getName());
    }

    static final class Callback extends FluxDriver {
        final FluxWebSocketClient c;

        Callback(DeepgramClient client) {
            c = client.listen().v2().live();
            for (FluxEventKey<?> k : keys()) {
                c.on(k, this::record);
            }
        }

        static List<FluxEventKey<?>> keys() {
            return List.of(
                    FluxEvents.OPEN,
                    FluxEvents.CLOSE,
                    FluxEvents.CONNECTED,
                    FluxEvents.START_OF_TURN,
                    FluxEvents.UPDATE,
                    FluxEvents.EAGER_END_OF_TURN,
                    FluxEvents.TURN_RESUMED,
                    FluxEvents.END_OF_TURN,
                    FluxEvents.CONFIGURE_SUCCESS,
                    FluxEvents.CONFIGURE_FAILURE,
                    FluxEvents.WARNING,
                    FluxEvents.RECONNECTING,
                    FluxEvents.RECONNECTED,
                    FluxEvents.RECONNECT_FAILED,
                    FluxEvents.ERROR,
                    FluxEvents.UNHANDLED);
        }

        @Override
        void start(FluxOptions o) {
            c.configureReconnection(rc);
            c.configureLiveness(lc);
            c.start(o);
        }

        @Override
        void send(byte[] a, int off, int len) {
            c.send(a, off, len);
        }

        @Override
        CompletableFuture<FluxEvent.ConfigureSuccess> configure(FluxConfigure cfg) {
            return c.configure(cfg);
        }

        @Override
        void finish() {
            c.finish();
        }

        @Override
        SessionState state() {
            return c.state();
        }
    }

    static final class Pull extends FluxDriver {
        final DeepgramClient client;
        FluxSession s;
        Thread consumer;

        Pull(DeepgramClient client) {
            this.client = client;
        }

        @Override
        void start(FluxOptions o) {
            s = client.listen().v2().stream(o, rc, lc, OverflowPolicy.BLOCK);
            consumer = new Thread(
                    () -> {
                        for (FluxEvent e : s) {
                            record(e);
                        }
                    },
                    "test-consumer");
            consumer.setDaemon(true);
            consumer.start();
        }

        @Override
        void send(byte[] a, int off, int len) {
            s.send(a, off, len);
        }

        @Override
        CompletableFuture<FluxEvent.ConfigureSuccess> configure(FluxConfigure cfg) {
            return s.configure(cfg);
        }

        @Override
        void finish() {
            s.finish();
            try {
                consumer.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            s.close();
        }

        @Override
        SessionState state() {
            return s.state();
        }
    }
}
