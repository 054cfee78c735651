package io.github.dgstream.emulator.internal;

import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Not API. Jetty binds endpoint methods through method handles, which need a public class; this public adapter
 * forwards every event to the emulator's package-private connection. Demand is explicit (not auto-demanding).
 */
public final class JettyEndpoint implements Session.Listener {
    private final Session.Listener delegate;

    public JettyEndpoint(Session.Listener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        delegate.onWebSocketOpen(session);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        delegate.onWebSocketBinary(payload, callback);
    }

    @Override
    public void onWebSocketText(String message) {
        delegate.onWebSocketText(message);
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        delegate.onWebSocketPing(payload);
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        delegate.onWebSocketPong(payload);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        delegate.onWebSocketError(cause);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        delegate.onWebSocketClose(statusCode, reason);
    }
}
