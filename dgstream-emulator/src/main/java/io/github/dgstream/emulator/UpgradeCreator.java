package io.github.dgstream.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dgstream.emulator.internal.JettyEndpoint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketCreator;

/**
 * Decides each handshake attempt: records it, applies the connection's script (refusal), authentication, query
 * validation and the concurrency limit, and either writes the refusal (status, {@code dg-request-id},
 * {@code dg-error}, JSON body) or returns the connection endpoint (101 with {@code dg-request-id}).
 */
final class UpgradeCreator implements WebSocketCreator {
    /** What every connection of the emulator gets unless its script overrides it; {@code sendStamps} may be null. */
    record ConnectionDefaults(
            ScheduledExecutorService scheduler,
            Duration listenIdleTimeout,
            Duration fluxIdleTimeout,
            Duration outboundLatency,
            SendStamps sendStamps) {}

    private final ConnectionTracker tracker;
    private final ScriptSelection scripts;
    private final HandshakeAuthenticator authenticator;
    private final ConnectionDefaults defaults;

    UpgradeCreator(
            ConnectionTracker tracker,
            ScriptSelection scripts,
            HandshakeAuthenticator authenticator,
            ConnectionDefaults defaults) {
        this.tracker = tracker;
        this.scripts = scripts;
        this.authenticator = authenticator;
        this.defaults = defaults;
    }

    @Override
    public Object createWebSocket(ServerUpgradeRequest req, ServerUpgradeResponse resp, Callback callback) {
        String requestId = UUID.randomUUID().toString();
        String path = req.getHttpURI().getPath();
        String rawQuery = req.getHttpURI().getQuery();
        Map<String, List<String>> query = QueryValidator.parse(rawQuery);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField f : req.getHeaders()) {
            headers.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue());
        }
        if (defaults.sendStamps() != null) {
            defaults.sendStamps().handshakeSeen(headers);
        }
        int index = tracker.nextIndex();
        String url = path + (rawQuery == null ? "" : "?" + rawQuery);
        RecordedConnection rec = new RecordedConnection(index, path, url, query, headers, requestId);
        ConnectionScript script = scripts.scriptFor(index, rec);

        HandshakeAuthenticator.Credential cred =
                HandshakeAuthenticator.extract(req.getHeaders().get(HttpHeader.AUTHORIZATION), req.getSubProtocols());
        if (cred != null) {
            rec.credential(cred.scheme(), cred.value());
        }
        resp.getHeaders().put("dg-request-id", requestId);

        Refusal refusal = script.refusal().orElse(null);
        if (refusal == null) {
            refusal = authenticator.check(cred);
        }
        Object options = null;
        if (refusal == null) {
            try {
                options = path.startsWith("/v2/") ? QueryValidator.flux(query) : QueryValidator.listen(query);
            } catch (QueryValidator.InvalidQuery e) {
                refusal = Refusal.badRequest(e.getMessage());
            }
        }
        if (refusal == null && !tracker.tryAcquireSlot()) {
            refusal = Refusal.of(429);
        }
        if (refusal != null) {
            refuse(resp, callback, refusal, requestId);
            rec.refused(refusal);
            tracker.recorded(rec);
            return null;
        }
        authenticator.markUsed(cred);
        if (cred != null && cred.viaSubprotocol()) {
            resp.setAcceptedSubProtocol(cred.scheme());
        }
        rec.upgraded();
        EmulatorConnection.Context ctx = new EmulatorConnection.Context(
                rec,
                script,
                defaults.scheduler(),
                path.startsWith("/v2/") ? defaults.fluxIdleTimeout() : defaults.listenIdleTimeout(),
                script.latency().orElse(defaults.outboundLatency()),
                tracker::releaseSlot,
                defaults.sendStamps());
        EmulatorConnection conn = options instanceof FluxOptions f
                ? new FluxConnection(ctx, f)
                : new ListenV1Connection(ctx, (ListenOptions) options);
        tracker.opened(conn);
        tracker.recorded(rec);
        return new JettyEndpoint(conn);
    }

    private static void refuse(ServerUpgradeResponse resp, Callback callback, Refusal r, String requestId) {
        ObjectNode body = Json.object(null);
        body.put("err_code", r.errCode());
        body.put("err_msg", r.errMsg());
        body.put("request_id", requestId);
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        resp.setStatus(r.status());
        resp.getHeaders().put("dg-error", r.errMsg());
        resp.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        resp.getHeaders().put(HttpHeader.CONTENT_LENGTH, Long.toString(bytes.length));
        resp.write(true, ByteBuffer.wrap(bytes), callback);
    }
}
