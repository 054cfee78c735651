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
    private static final ObjectMapper JSON = ServerInput.JSON;
    /** A turn takes at least this much audio: a socket's {@code turn_index} beyond its audio / this is not trusted. */
    static final double MIN_TURN_SECONDS = 0.1;

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
        return code == 1005; // Flux closes without a status after CloseStream; a 1000 is a close we did not ask for
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
                String problem = invalidTurnInfo(n, tl);
                if (problem != null) {
                    // turn events carry the transcript and the replay watermark: never guess. The engine drops the
                    // connection, so the unfinished turn is transcribed again from the replayed audio (or fails).
                    return new Decoded(
                            List.of(new UnhandledMessage(json)),
                            Double.NaN,
                            false,
                            false,
                            rid,
                            ServerInput.untrusted("Untrusted TurnInfo message: " + problem));
                }
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

    /**
     * Why a {@code TurnInfo} message cannot be trusted, or {@code null}: the v1 rules for times ({@link ServerInput})
     * applied to {@code audio_window_start/end} (both required, start <= end) and word times, wrong types, and a
     * {@code turn_index} that is not a non-negative integer or more turns than the audio sent on this socket can hold.
     */
    static String invalidTurnInfo(JsonNode n, SocketTimeline tl) {
        JsonNode event = n.get("event");
        if (event == null || !event.isTextual()) {
            return "event is not a string";
        }
        double limit = ServerInput.timeLimit(tl);
        JsonNode ti = n.get("turn_index");
        if (ti == null || !ti.isNumber() || !ti.canConvertToExactIntegral() || ti.asDouble() < 0) {
            return "turn_index is not an integer >= 0";
        }
        if (ti.asDouble() > limit / MIN_TURN_SECONDS) {
            return "turn_index beyond the audio sent on this connection: " + ti;
        }
        JsonNode start = n.get("audio_window_start");
        JsonNode end = n.get("audio_window_end");
        if (!ServerInput.validTime(start) || !ServerInput.validTime(end)) {
            return "audio_window_start/end must be finite numbers >= 0";
        }
        if (end.asDouble() > limit) {
            return "audio window ends after the audio sent on this connection";
        }
        if (start.asDouble() > end.asDouble()) {
            return "audio_window_start is after audio_window_end";
        }
        JsonNode transcript = n.get("transcript");
        if (transcript != null && !transcript.isTextual() && !transcript.isNull()) {
            return "transcript is not a string";
        }
        JsonNode conf = n.get("end_of_turn_confidence");
        if (conf != null && !conf.isNull() && !(conf.isNumber() && Double.isFinite(conf.asDouble()))) {
            return "end_of_turn_confidence is not a finite number";
        }
        JsonNode words = n.get("words");
        if (words != null && !words.isNull()) {
            if (!words.isArray()) {
                return "words is not an array";
            }
            for (JsonNode w : words) {
                if (!w.isObject() || !ServerInput.validTime(w.get("start")) || !ServerInput.validTime(w.get("end"))) {
                    return "a word has no finite, non-negative start/end";
                }
                if (w.get("end").asDouble() > limit) {
                    return "a word ends after the audio sent on this connection";
                }
                JsonNode text = w.get("word");
                if (text != null && !text.isTextual() && !text.isNull()) {
                    return "a word's text is not a string";
                }
            }
        }
        return null;
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
