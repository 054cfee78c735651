package io.github.dgstream.emulator;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Function;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketCreator;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The transport of one {@link DeepgramEmulator}: Jetty (thread pool, plain or TLS connector, the WebSocket limits and
 * both listen paths) and the timer thread its connections schedule on. Kept apart from the emulator so that class
 * holds the public API and the bookkeeping, not the Jetty wiring.
 */
final class EmulatorServer {
    private final Server server;
    private final ServerConnector connector;
    private final ScheduledExecutorService scheduler;
    private final String host;
    private final boolean tls;

    /**
     * Starts Jetty as {@code b} configures it. {@code creators} makes the handshake handler of both paths, given the
     * timer (which it needs before Jetty starts).
     */
    EmulatorServer(DeepgramEmulator.Builder b, Function<ScheduledExecutorService, WebSocketCreator> creators)
            throws Exception {
        this.host = b.host;
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "deepgram-emulator-timer");
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        this.scheduler = s;
        QueuedThreadPool pool = new QueuedThreadPool(b.maxThreads, Math.min(4, b.maxThreads));
        pool.setName("deepgram-emulator");
        pool.setDaemon(true);
        this.server = new Server(pool);
        this.tls = b.keyStore != null;
        if (tls) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(b.keyStore);
            ssl.setKeyStorePassword(b.keyStorePassword);
            this.connector = new ServerConnector(server, ssl);
        } else {
            this.connector = new ServerConnector(server);
        }
        connector.setHost(b.host);
        connector.setPort(b.port);
        server.addConnector(connector);
        WebSocketCreator creator = creators.apply(scheduler);
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxBinaryMessageSize(b.maxBinaryMessageBytes);
            container.setMaxTextMessageSize(b.maxTextMessageBytes);
            container.setMaxOutgoingFrames(b.maxOutgoingFrames);
            container.setIdleTimeout(b.transportIdleTimeout);
            container.addMapping("/v1/listen", creator);
            container.addMapping("/v2/listen", creator);
        });
        server.setHandler(ws);
        server.setStopTimeout(0);
        try {
            server.start();
        } catch (Exception e) {
            scheduler.shutdownNow();
            throw e;
        }
    }

    int port() {
        return connector.getLocalPort();
    }

    /** {@code ws://HOST:PORT}, or {@code wss://} with TLS. */
    String baseUrl() {
        return (tls ? "wss://" : "ws://") + host + ":" + port();
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Stops Jetty (best effort) and then the timer. */
    void stop() {
        try {
            server.stop();
        } catch (Exception e) {
            // best effort
        } finally {
            scheduler.shutdownNow();
        }
    }
}
