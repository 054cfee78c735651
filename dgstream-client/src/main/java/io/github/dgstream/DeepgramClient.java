package io.github.dgstream;

import io.github.dgstream.internal.ClientResources;
import io.github.dgstream.internal.Credentials;
import io.github.dgstream.internal.EngineHooks;
import io.github.dgstream.internal.EventSink;
import io.github.dgstream.internal.ProtocolAdapter;
import io.github.dgstream.internal.SessionEngine;
import io.github.dgstream.internal.V1Adapter;
import java.net.URI;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * Entry point. Owns the shared resources of all its connections: one {@code HttpClient}, a small engine pool, a
 * handler pool and a timer thread (all daemon threads named {@code dgstream-*}). Thread-safe; close it when done:
 * {@link #close()} aborts running sessions and stops the pools.
 */
public final class DeepgramClient implements AutoCloseable {
    private final Credentials credentials;
    private final URI baseUrl;
    private final LivenessConfig liveness;
    private final int eventQueueCapacity;
    private final ClientResources resources;
    private final Set<SessionEngine> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private DeepgramClient(Builder b, Credentials credentials) {
        this.credentials = credentials;
        this.baseUrl = b.baseUrl;
        this.liveness = b.liveness;
        this.eventQueueCapacity = b.eventQueueCapacity;
        this.resources = new ClientResources(b.hooks, b.sslContext);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The {@code listen} namespace. */
    public ListenClient listen() {
        checkOpen();
        return new ListenClient(this);
    }

    /** Aborts every running session (no CloseStream) and stops the client's pools. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (SessionEngine s : sessions) {
            s.abort();
        }
        for (SessionEngine s : sessions) {
            try {
                s.terminated().get(2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // best effort
            }
        }
        resources.close();
    }

    @Override
    public String toString() {
        return "DeepgramClient{baseUrl=" + baseUrl + ", credentials=" + credentials + '}';
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("DeepgramClient is closed");
        }
    }

    void register(SessionEngine e) {
        sessions.add(e);
        e.terminated().whenComplete((v, t) -> sessions.remove(e));
    }

    /**
     * A new, registered, unstarted v1 engine delivering to {@code sink}: the one place the callback clients and the
     * pull API build their sessions.
     */
    SessionEngine newV1Engine(
            LiveOptions options, ReconnectionConfig reconnection, LivenessConfig liveness, EventSink sink) {
        return newEngine(new V1Adapter(options), reconnection, liveness, sink);
    }

    /** A new, registered, unstarted engine for any endpoint (v1 or Flux) delivering to {@code sink}. */
    SessionEngine newEngine(
            ProtocolAdapter adapter, ReconnectionConfig reconnection, LivenessConfig liveness, EventSink sink) {
        checkOpen();
        SessionEngine e = new SessionEngine(
                resources, adapter, new SessionEngine.Settings(baseUrl, credentials, reconnection, liveness), sink);
        register(e);
        return e;
    }

    ClientResources resources() {
        return resources;
    }

    Credentials credentials() {
        return credentials;
    }

    URI baseUrl() {
        return baseUrl;
    }

    LivenessConfig liveness() {
        return liveness;
    }

    int eventQueueCapacity() {
        return eventQueueCapacity;
    }

    /** Mutable, not thread-safe builder. */
    public static final class Builder {
        private String apiKey;
        private Supplier<String> tokenProvider;
        private URI baseUrl = URI.create("wss://api.deepgram.com");
        private LivenessConfig liveness = LivenessConfig.defaults();
        private int eventQueueCapacity = 1024;
        private EngineHooks hooks = EngineHooks.NONE;
        private SSLContext sslContext;

        private Builder() {}

        /** A static API key (sent as {@code Authorization: Token <key>}). Default: env {@code DEEPGRAM_API_KEY}. */
        public Builder apiKey(String apiKey) {
            Objects.requireNonNull(apiKey, "apiKey");
            if (apiKey.isBlank()) {
                throw new IllegalArgumentException("apiKey must not be blank");
            }
            this.apiKey = Credentials.check("apiKey", apiKey);
            this.tokenProvider = null;
            return this;
        }

        /**
         * A temporary-token provider, called on <em>every</em> handshake (sent as {@code Authorization: Bearer
         * <token>}). After a 401 it is asked once more before the failure is fatal.
         */
        public Builder accessTokenProvider(Supplier<String> provider) {
            this.tokenProvider = Objects.requireNonNull(provider, "accessTokenProvider");
            this.apiKey = null;
            return this;
        }

        /** Server base URL, {@code ws://} or {@code wss://} (default {@code wss://api.deepgram.com}). */
        public Builder baseUrl(URI baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            String scheme = baseUrl.getScheme();
            if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
                throw new IllegalArgumentException("baseUrl must use ws:// or wss://, was '" + baseUrl + "'");
            }
            if (baseUrl.getRawUserInfo() != null) {
                // never echo it: user info is a credential
                throw new IllegalArgumentException(
                        "baseUrl must not contain user info (credentials); use apiKey(...) or accessTokenProvider(...)");
            }
            if (baseUrl.getHost() == null) {
                throw new IllegalArgumentException("baseUrl must have a host, was '" + baseUrl + "'");
            }
            if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
                throw new IllegalArgumentException(
                        "baseUrl must not have a query or fragment (use LiveOptions), was '" + baseUrl + "'");
            }
            this.baseUrl = baseUrl;
            return this;
        }

        /** Default liveness settings of this client's connections. */
        public Builder liveness(LivenessConfig liveness) {
            this.liveness = Objects.requireNonNull(liveness, "liveness");
            return this;
        }

        /**
         * Per-connection bound of undelivered callback events (default 1024). When handlers fall that far behind,
         * the connection stops reading from the socket (TCP back-pressure) until they catch up to half.
         */
        public Builder eventQueueCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("eventQueueCapacity must be >= 1, was " + capacity);
            }
            this.eventQueueCapacity = capacity;
            return this;
        }

        /**
         * The TLS context for {@code wss://} (for example one that trusts a private CA). Default: the JDK's default
         * context, which verifies the server certificate against the JDK trust store; the host name is always
         * verified. The library never trusts all certificates.
         */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
            return this;
        }

        /** Test seam: clock, scheduler, random source, transport. Not supported API. */
        Builder hooks(EngineHooks hooks) {
            this.hooks = Objects.requireNonNull(hooks);
            return this;
        }

        /**
         * Builds the client.
         *
         * @throws IllegalStateException if no credential was given and {@code DEEPGRAM_API_KEY} is not set
         */
        public DeepgramClient build() {
            Credentials c;
            if (tokenProvider != null) {
                c = Credentials.tokenProvider(tokenProvider);
            } else if (apiKey != null) {
                c = Credentials.apiKey(apiKey);
            } else {
                String env = System.getenv("DEEPGRAM_API_KEY");
                if (env == null || env.isBlank()) {
                    throw new IllegalStateException(
                            "No credential: call apiKey(...) or accessTokenProvider(...), or set DEEPGRAM_API_KEY");
                }
                c = Credentials.apiKey(Credentials.check("DEEPGRAM_API_KEY", env));
            }
            return new DeepgramClient(this, c);
        }
    }
}
