package io.github.dgstream.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dgstream.DeepgramEvent;
import io.github.dgstream.DeepgramException;
import io.github.dgstream.FluxConfigure;
import io.github.dgstream.FluxEvent;
import io.github.dgstream.FluxOptions;
import io.github.dgstream.UnhandledMessage;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code /v2/listen} (Flux): URL from the options currently in effect (updated by every ConfigureSuccess, so a new
 * socket opens with the current settings), ping-only liveness (Flux rejects a KeepAlive message), ForceEndTurn as the
 * "finalize" request, the status-less close (1005) after CloseStream as a normal end, an {@code Error} message
 * classified from its {@code code}, and turn reconciliation across sockets ({@link FluxTurns}).
 */
public final class FluxAdapter implements ProtocolAdapter {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Error codes that will fail again on retry: the request itself is wrong. */
    static final Set<String> FATAL_CODES = Set.of(
            "UNPARSABLE_CLIENT_MESSAGE",
            "INVALID_QUERY_PARAMETER",
            "BAD_REQUEST",
            "UNAUTHORIZED",
            "INVALID_AUTH",
            "INSUFFICIENT_PERMISSIONS",
            "PAYMENT_REQUIRED",
            "ASR_PAYMENT_REQUIRED",
            "DATA_ERROR");

    private volatile FluxOptions options;
    private final double bytesPerSecond;
    private final int frameBytes;
    private final FluxTurns turns = new FluxTurns();
    private boolean connectedSeen;

    public FluxAdapter(FluxOptions options) {
        this.options = options;
        int width = V1Adapter.sampleWidth(options.encoding());
        int rate = options.sampleRate();
        this.bytesPerSecond = width > 0 && rate > 0 ? (double) width * rate : 0;
        this.frameBytes = width > 0 ? width : 1;
    }

    /** The options a new socket would open with now. */
    public FluxOptions currentOptions() {
        return options;
    }

    /** The JSON text of a Configure message. */
    public static String configureJson(FluxConfigure c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "Configure");
        if (c.eotThreshold() != null || c.eagerEotThreshold() != null || c.eotTimeoutMs() != null) {
            ObjectNode t = n.putObject("thresholds");
            if (c.eotThreshold() != null) {
                t.put("eot_threshold", c.eotThreshold());
            }
            if (c.eagerEotThreshold() != null) {
                t.put("eager_eot_threshold", c.eagerEotThreshold());
            }
            if (c.eotTimeoutMs() != null) {
                t.put("eot_timeout_ms", c.eotTimeoutMs());
            }
        }
        if (c.keyterms() != null) {
            c.keyterms().forEach(n.putArray("keyterms")::add);
        }
        if (c.languageHints() != null) {
            c.languageHints().forEach(n.putArray("language_hints")::add);
        }
        return n.toString();
    }

    @Override
    public URI uri(URI baseUrl) {
        return ProtocolAdapter.endpoint(baseUrl, "/v2/listen", options.queryParameters());
    }

    @Override
    public double bytesPerSecond() {
        return bytesPerSecond;
    }

    @Override
    public int frameBytes() {
        return frameBytes;
    }

    @Override
    public void onNewSocket(double replayFromSeconds) {
        connectedSeen = false;
        turns.newSocket();
    }

    @Override
    public String keepAliveMessage() {
        return null; // Flux answers a KeepAlive message with a fatal Error: WebSocket pings only
    }

    @Override
    public String finalizeMessage() {
        return "{\"type\":\"ForceEndTurn\"}";
    }

    @Override
    public String closeStreamMessage() {
        return "{\"type\":\"CloseStream\"}";
    }

    @Override
    public boolean isNormalCloseAfterCloseStream(int code) {
        return code == 1000 || code == 1005;
    }

    @Override
    public boolean errorEndsConnection() {
        return true;
    }

    @Override
    public boolean progressResetsRetries() {
        return true; // a completed turn is progress
    }

    @Override
    public boolean expectsMessages() {
        return !connectedSeen || turns.socketInTurn();
    }

    @Override
    public List<DeepgramEvent> streamEnded() {
        return turns.finish();
    }

    @Override
    public Decoded decode(String json, SocketTimeline tl) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (Exception e) {
            return Decoded.of(List.of(new UnhandledMessage(json)));
        }
        if (n == null || !n.isObject()) {
            return Decoded.of(List.of(new UnhandledMessage(json)));
        }
        String rid = text(n, "request_id");
        switch (n.path("type").asText("")) {
            case "Connected":
                connectedSeen = true;
                return new Decoded(List.of(new FluxEvent.Connected(rid)), Double.NaN, false, false, rid, null);
            case "TurnInfo": {
                FluxTurns.Result r = turns.onTurnInfo(n, json, tl);
                return new Decoded(r.events(), r.watermark(), false, FluxTurns.isManual(n), rid, null);
            }
            case "ConfigureSuccess": {
                JsonNode t = n.path("thresholds");
                FluxEvent.ConfigureSuccess s = new FluxEvent.ConfigureSuccess(
                        rid,
                        t.path("eot_threshold").asDouble(0.7),
                        t.hasNonNull("eager_eot_threshold")
                                ? t.get("eager_eot_threshold").asDouble()
                                : null,
                        t.path("eot_timeout_ms").asInt(5000),
                        strings(n.path("keyterms")),
                        strings(n.path("language_hints")));
                options = options.withApplied(s);
                return new Decoded(List.of(s), Double.NaN, false, false, rid, null, s);
            }
            case "ConfigureFailure": {
                FluxEvent.ConfigureFailure f =
                        new FluxEvent.ConfigureFailure(rid, firstText(n, "code", "error_code"), text(n, "description"));
                return new Decoded(List.of(f), Double.NaN, false, false, rid, null, f);
            }
            case "Warning":
                return new Decoded(
                        List.of(new FluxEvent.Warning(text(n, "code"), text(n, "description"))),
                        Double.NaN,
                        false,
                        false,
                        rid,
                        null);
            case "Error":
                return new Decoded(List.of(), Double.NaN, false, false, rid, serverError(n));
            default:
                return Decoded.of(List.of(new UnhandledMessage(json)));
        }
    }

    /** Classifies a Flux {@code Error} from its code: a bad request is fatal, a server-side failure retryable. */
    static DeepgramException serverError(JsonNode n) {
        String code = firstText(n, "code", "error_code", "error");
        String desc = firstText(n, "description", "message");
        boolean fatal = code != null && (FATAL_CODES.contains(code) || code.startsWith("INVALID_"));
        String msg = "Flux error" + (code != null ? " " + code : "") + (desc != null ? ": " + desc : "");
        return DeepgramException.builder(DeepgramException.Kind.SERVER_ERROR, msg)
                .errCode(code)
                .description(desc)
                .requestId(text(n, "request_id"))
                .retryable(!fatal)
                .build();
    }

    private static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static String firstText(JsonNode n, String... fields) {
        for (String f : fields) {
            String v = text(n, f);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
