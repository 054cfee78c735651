package io.github.dgstream.emulator;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * A local Deepgram streaming emulator ({@code /v1/listen} and {@code /v2/listen}) on loopback, with scripted faults
 * and recordings, modelled on OkHttp's MockWebServer. Thread-safe. Not restartable after {@link #close()}.
 *
 * <pre>{@code
 * try (DeepgramEmulator dg = DeepgramEmulator.builder().start()) {
 *     dg.enqueue(ConnectionScript.dropAfter(2.0));     // the first handshake attempt drops after 2 s of audio
 *     connect(dg.listenUrl() + "?encoding=linear16&sample_rate=16000");
 *     RecordedConnection c = dg.takeConnection(Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class DeepgramEmulator implements AutoCloseable {
    private final EmulatorServer server;
    private final HandshakeAuthenticator authenticator;
    /** Null unless {@link Builder#stampSentNanos(boolean)}. */
    private final SendStamps sendStamps;

    private final ScriptSelection scripts = new ScriptSelection();
    private final ConnectionTracker tracker;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DeepgramEmulator(Builder b) throws Exception {
        this.tracker = new ConnectionTracker(b.maxConnections, b.maxRecordedConnections);
        this.sendStamps = b.stampSentNanos ? new SendStamps() : null;
        this.authenticator = new HandshakeAuthenticator(b.keys, b.tokens, b.singleUseCredentials);
        this.server = new EmulatorServer(
                b,
                scheduler -> new UpgradeCreator(
                        tracker,
                        scripts,
                        authenticator,
                        new UpgradeCreator.ConnectionDefaults(
                                scheduler, b.listenIdleTimeout, b.fluxIdleTimeout, b.outboundLatency, sendStamps)));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts an emulator with the defaults. */
    public static DeepgramEmulator start() {
        return builder().start();
    }

    // ---- addresses ---------------------------------------------------------------------------------------------

    public int port() {
        return server.port();
    }

    /** {@code ws://127.0.0.1:PORT} ({@code wss://} with {@link Builder#tls}). */
    public String baseUrl() {
        return server.baseUrl();
    }

    /** {@code ws://127.0.0.1:PORT/v1/listen}. */
    public String listenUrl() {
        return baseUrl() + "/v1/listen";
    }

    /** {@code ws://127.0.0.1:PORT/v2/listen}. */
    public String fluxUrl() {
        return baseUrl() + "/v2/listen";
    }

    // ---- scripting ---------------------------------------------------------------------------------------------

    /** Queues a script for the next handshake attempt not scripted by index (FIFO; refused attempts consume too). */
    public void enqueue(ConnectionScript script) {
        scripts.enqueue(Objects.requireNonNull(script, "script"));
    }

    /** Scripts the handshake attempt with this 0-based index; takes precedence over the queue. */
    public void script(int connectionIndex, ConnectionScript script) {
        scripts.byIndex(connectionIndex, Objects.requireNonNull(script, "script"));
    }

    /** The script used when neither the index nor the queue provides one. Initially {@link ConnectionScript#normal()}. */
    public void setDefaultScript(ConnectionScript script) {
        Objects.requireNonNull(script, "script");
        scripts.defaultScripts(i -> script);
    }

    /**
     * Like {@link #setDefaultScript(ConnectionScript)}, but asks {@code factory} for a script per handshake attempt
     * (given its 0-based index), e.g. to give every connection its own fault time. The factory must not return null.
     */
    public void setDefaultScriptFactory(IntFunction<ConnectionScript> factory) {
        scripts.defaultScripts(Objects.requireNonNull(factory, "factory"));
    }

    /**
     * Chooses a script from the request itself, e.g. from a {@code tag} query parameter, so that concurrent clients
     * sharing one emulator each get their own fault sequence. Asked for every handshake attempt that has no script
     * by index; a {@code null} result falls through to the queue and the default. The recording passed in is not
     * yet upgraded (path, query and headers are set). Called on Jetty threads: it must be thread-safe and fast.
     */
    public void setScriptSelector(Function<RecordedConnection, ConnectionScript> selector) {
        scripts.selector(Objects.requireNonNull(selector, "selector"));
    }

    /** Refuses the next {@code n} queued handshake attempts with {@code status} and Deepgram's error body. */
    public void refuseNext(int n, int status) {
        for (int i = 0; i < n; i++) {
            enqueue(ConnectionScript.refuse(status));
        }
    }

    /** When on, a credential that was accepted once is refused with 401 thereafter (to test token refresh). */
    public void setSingleUseCredentials(boolean on) {
        authenticator.singleUse(on);
    }

    // ---- recordings --------------------------------------------------------------------------------------------

    /**
     * The next recorded handshake attempt not yet taken, or null after {@code timeout}. At most {@link
     * Builder#maxRecordedConnections(int)} wait to be taken; beyond that the oldest untaken one is dropped.
     */
    public RecordedConnection takeConnection(Duration timeout) throws InterruptedException {
        return tracker.recordings().take(timeout);
    }

    /**
     * Every recorded handshake attempt so far, in index order of decision: the newest {@link
     * Builder#maxRecordedConnections(int)} of them (older recordings are dropped).
     */
    public List<RecordedConnection> connections() {
        return tracker.recordings().all();
    }

    /** Number of handshake attempts so far (refused ones included). */
    public int connectionCount() {
        return tracker.attempts();
    }

    /**
     * The recording with this index, waiting up to {@code timeout} for the attempt to happen; null on timeout.
     *
     * @throws IllegalStateException if that recording was dropped to keep within {@link
     *     Builder#maxRecordedConnections(int)}
     */
    public RecordedConnection connection(int index, Duration timeout) throws InterruptedException {
        return tracker.recordings().get(index, timeout);
    }

    /** Waits until the connection with this index has ended; false on timeout. */
    public boolean awaitClosed(int index, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        RecordedConnection r = connection(index, timeout);
        return r != null && r.awaitClosed(timeout.minusNanos(System.nanoTime() - start));
    }

    /** Number of WebSocket connections currently open. */
    public int activeConnections() {
        return tracker.activeConnections();
    }

    /** Stops Jetty and closes every connection (1001). Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        tracker.shutdownAll();
        server.stop();
    }

    @Override
    public String toString() {
        return "DeepgramEmulator{" + (closed.get() ? "closed" : baseUrl()) + "}";
    }

    // ---- package-private, for EmulatorMain and tests ----------------------------------------------------------

    ScheduledExecutorService scheduler() {
        return server.scheduler();
    }

    SendStamps sendStamps() {
        return sendStamps;
    }

    /** Configures and starts a {@link DeepgramEmulator}. Reusable: each {@link #start()} makes a new emulator. */
    public static final class Builder {
        private Duration listenIdleTimeout = Duration.ofSeconds(10);
        private Duration fluxIdleTimeout = Duration.ofSeconds(60);
        private Duration outboundLatency = Duration.ZERO;
        private Set<String> keys;
        private Set<String> tokens;
        private boolean singleUseCredentials;
        private int maxConnections = 64;
        private int maxRecordedConnections = 10_000;
        private boolean stampSentNanos;
        // The transport settings are package-private: EmulatorServer reads them.
        String host = "127.0.0.1";
        int port;
        Duration transportIdleTimeout = Duration.ofMinutes(10);
        int maxThreads = 64;
        long maxBinaryMessageBytes = 1 << 20;
        long maxTextMessageBytes = 64 << 10;
        int maxOutgoingFrames = 1024;
        java.security.KeyStore keyStore;
        String keyStorePassword;

        private Builder() {}

        /**
         * Serve {@code wss://} with the (single) key entry of {@code keyStore}, e.g. a self-signed certificate made
         * for a TLS test; {@code password} protects the store and the key.
         */
        public Builder tls(java.security.KeyStore keyStore, String password) {
            this.keyStore = Objects.requireNonNull(keyStore, "keyStore");
            this.keyStorePassword = Objects.requireNonNull(password, "password");
            return this;
        }

        /** Bind address; default {@code 127.0.0.1}. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** Port; default 0 (a free port). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** v1 NET-0001 timeout (no audio and no text message); default 10 s. */
        public Builder listenIdleTimeout(Duration d) {
            this.listenIdleTimeout = positive(d);
            return this;
        }

        /** Flux idle timeout (no audio, text or ping); default 60 s. */
        public Builder fluxIdleTimeout(Duration d) {
            this.fluxIdleTimeout = positive(d);
            return this;
        }

        /** Sets both idle timeouts. */
        public Builder idleTimeout(Duration d) {
            return listenIdleTimeout(d).fluxIdleTimeout(d);
        }

        /** Jetty's own transport idle timeout (a safety net, e.g. for half-open sockets); default 10 min. */
        public Builder transportIdleTimeout(Duration d) {
            this.transportIdleTimeout = positive(d);
            return this;
        }

        /** Default delay of every outbound message; a script's latency overrides it. Default zero. */
        public Builder outboundLatency(Duration d) {
            Objects.requireNonNull(d, "latency");
            if (d.isNegative()) {
                throw new IllegalArgumentException("latency must not be negative");
            }
            this.outboundLatency = d;
            return this;
        }

        /**
         * Accept only these API keys ({@code Token}). Once keys or tokens are restricted, a scheme without an
         * accepted set is refused. By default any non-empty credential is accepted.
         */
        public Builder acceptedKeys(String... keys) {
            this.keys = Set.of(keys);
            return this;
        }

        /** Accept only these temporary tokens ({@code Bearer}); see {@link #acceptedKeys}. */
        public Builder acceptedTokens(String... tokens) {
            this.tokens = Set.of(tokens);
            return this;
        }

        /** A credential that was accepted once is refused with 401 thereafter. */
        public Builder singleUseCredentials(boolean on) {
            this.singleUseCredentials = on;
            return this;
        }

        /**
         * Size limit of the server's thread pool (Jetty's selectors, acceptors and request handling share it). Default
         * 64; at least 8. A smaller pool leaves more of a small machine's CPU to a client measured beside it.
         */
        public Builder maxThreads(int n) {
            if (n < 8) {
                throw new IllegalArgumentException("maxThreads must be >= 8");
            }
            this.maxThreads = n;
            return this;
        }

        /** Concurrent WebSocket limit; beyond it handshakes get 429 TOO_MANY_REQUESTS. Default 64. */
        public Builder maxConnections(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConnections must be >= 1");
            }
            this.maxConnections = n;
            return this;
        }

        /**
         * Benchmarks: stamp every v1 {@code Results} message with {@code metadata.extra.sent_ns} and every Flux {@code
         * TurnInfo} message with a top-level {@code extra.sent_ns}, the emulator's
         * {@link System#nanoTime()} just before the message is serialised and handed to Jetty (after any latency).
         * On Linux {@code nanoTime} is CLOCK_MONOTONIC, so a client JVM on the same machine can subtract it from its
         * own {@code nanoTime} to get the message's latency. Clients ignore the field. Default off.
         */
        public Builder stampSentNanos(boolean on) {
            this.stampSentNanos = on;
            return this;
        }

        /**
         * Recordings kept (default 10,000). Beyond that the oldest is dropped from {@link
         * DeepgramEmulator#connections()} and from the untaken ones of {@link
         * DeepgramEmulator#takeConnection(Duration)}, and {@link DeepgramEmulator#connection(int, Duration)} throws
         * for it ({@link DeepgramEmulator#connectionCount()} still counts every attempt). A recording holds the
         * request, the first 10,000 control messages and sent message types, and counters, so a long-running
         * emulator (the CLI's, a load test's) does not grow without bound.
         */
        public Builder maxRecordedConnections(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxRecordedConnections must be >= 1, was " + n);
            }
            this.maxRecordedConnections = n;
            return this;
        }

        /**
         * Frames queued for one client beyond what the socket accepted (default 1024). A client that falls further
         * behind (it stopped reading) is disconnected, so a stalled client cannot grow the emulator's memory.
         */
        public Builder maxOutgoingFrames(int frames) {
            if (frames < 1) {
                throw new IllegalArgumentException("maxOutgoingFrames must be >= 1, was " + frames);
            }
            this.maxOutgoingFrames = frames;
            return this;
        }

        /** Largest binary message (default 1 MiB) and text message (default 64 KiB); larger closes 1009. */
        public Builder maxMessageSizes(long binaryBytes, long textBytes) {
            this.maxBinaryMessageBytes = binaryBytes;
            this.maxTextMessageBytes = textBytes;
            return this;
        }

        public DeepgramEmulator start() {
            try {
                return new DeepgramEmulator(this);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("could not start the Deepgram emulator", e);
            }
        }

        private static Duration positive(Duration d) {
            Objects.requireNonNull(d, "duration");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("duration must be positive: " + d);
            }
            return d;
        }
    }
}
