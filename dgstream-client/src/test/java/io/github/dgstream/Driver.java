package io.github.dgstream;

import java.util.concurrent.TimeUnit;

/** Runs the same scenario through the blocking or the async client. */
abstract class Driver {
    enum Kind {
        BLOCKING,
        ASYNC
    }

    final EventLog log = new EventLog();

    static Driver create(Kind kind, DeepgramClient client) {
        return kind == Kind.BLOCKING ? new Blocking(client) : new Async(client);
    }

    abstract void configure(ReconnectionConfig rc, LivenessConfig lc);

    abstract void start(LiveOptions o);

    abstract void send(byte[] a, int off, int len);

    abstract void finish();

    abstract SessionState state();

    /** Streams {@code audio} in 100 ms chunks; sleeps {@code pauseMs} between chunks (0 = unpaced). */
    void stream(byte[] audio, int bytesPerSecond, long pauseMs) throws InterruptedException {
        int chunk = bytesPerSecond / 10;
        for (int i = 0; i < audio.length; i += chunk) {
            send(audio, i, Math.min(chunk, audio.length - i));
            if (pauseMs > 0) {
                TimeUnit.MILLISECONDS.sleep(pauseMs); // pacing the producer, not synchronisation
            }
        }
    }

    static final class Blocking extends Driver {
        final ListenWebSocketClient c;

        Blocking(DeepgramClient client) {
            c = client.listen().live().v("1");
            log.attach(c);
        }

        @Override
        void configure(ReconnectionConfig rc, LivenessConfig lc) {
            c.configureReconnection(rc);
            c.configureLiveness(lc);
        }

        @Override
        void start(LiveOptions o) {
            c.start(o);
        }

        @Override
        void send(byte[] a, int off, int len) {
            c.send(a, off, len);
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

    static final class Async extends Driver {
        final AsyncListenWebSocketClient c;

        Async(DeepgramClient client) {
            c = client.listen().asyncLive().v("1");
            log.attach(c);
        }

        @Override
        void configure(ReconnectionConfig rc, LivenessConfig lc) {
            c.configureReconnection(rc);
            c.configureLiveness(lc);
        }

        @Override
        void start(LiveOptions o) {
            c.start(o).join();
        }

        @Override
        void send(byte[] a, int off, int len) {
            c.send(java.nio.ByteBuffer.wrap(a, off, len)).join();
        }

        @Override
        void finish() {
            c.finish().orTimeout(60, TimeUnit.SECONDS).join();
        }

        @Override
        SessionState state() {
            return c.state();
        }
    }
}
