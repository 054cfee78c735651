package io.github.dgstream.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dgstream.emulator.internal.JettyEndpoint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
    private final DeepgramEmulator emulator;

    UpgradeCreator(DeepgramEmulator emulator) {
        this.emulator = emulator;
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
        if (emulator.sendStamps() != null) {
            emulator.sendStamps().handshakeSeen(headers);
        }
        int index = emulator.nextIndex();
        String url = path + (rawQuery == null ? "" : "?" + rawQuery);
        RecordedConnection rec = new RecordedConnection(index, path, url, query, headers, requestId);
        ConnectionScript script = emulator.scriptFor(index, rec);

        HandshakeAuthenticator.Credential cred =
                HandshakeAuthenticator.extract(req.getHeaders().get(HttpHeader.AUTHORIZATION), req.getSubProtocols());
        if (cred != null) {
            rec.credential(cred.scheme(), cred.value());
        }
        resp.getHeaders().put("dg-request-id", requestId);

        Refusal refusal = script.refusal().orElse(null);
        if (refusal == null) {
            refusal = emulator.authenticator().check(cred);
        }
        Object options = null;
        if (refusal == null) {
            try {
                options = path.startsWith("/v2/") ? QueryValidator.flux(query) : QueryValidator.listen(query);
            } catch (QueryValidator.InvalidQuery e) {
                refusal = Refusal.badRequest(e.getMessage());
            }
        }
        if (refusal == null && !emulator.tryAcquireSlot()) {
            refusal = Refusal.of(429);
        }
        if (refusal != null) {
            refuse(resp, callback, refusal, requestId);
            rec.refused(refusal);
            emulator.recorded(rec);
            return null;
        }
        emulator.authenticator().markUsed(cred);
        if (cred != null && cred.viaSubprotocol()) {
            resp.setAcceptedSubProtocol(cred.scheme());
        }
        rec.upgraded();
        EmulatorConnection.Context ctx = new EmulatorConnection.Context(
                rec,
                script,
                emulator.scheduler(),
                path.startsWith("/v2/") ? emulator.fluxIdleTimeout() : emulator.listenIdleTimeout(),
                script.latency().orElse(emulator.outboundLatency()),
                emulator::releaseSlot,
                emulator.sendStamps());
        EmulatorConnection conn = options instanceof FluxOptions f
                ? new FluxConnection(ctx, f)
                : new ListenV1Connection(ctx, (ListenOptions) options);
        emulator.opened(conn);
        emulator.recorded(rec);
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
