package io.github.dgstream.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * {@code /v2/listen} (Flux): Connected, TurnInfo, Configure, ForceEndTurn, CloseStream (close with no status code),
 * fatal Error on unknown messages (then close 1008), idle timeout (pings count as activity). One monotonic
 * {@code sequence_id} over all messages, starting at 0.
 */
final class FluxConnection extends EmulatorConnection {
    static final String IDLE_REASON = "NET-0001 Flux did not receive audio or a ping within the timeout window.";
    private static final Pattern BCP47 = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*");

    private final FluxOptions opts;
    private final String requestId;
    private final TurnTracker turns;
    private long nextSequenceId;
    private double eot;
    private Double eager;
    private int timeoutMs;
    private List<String> keyterms;
    private List<String> languageHints;

    FluxConnection(Context ctx, FluxOptions opts) {
        super(ctx, new AudioInput(opts.format()));
        this.opts = opts;
        this.requestId = ctx.record().requestId();
        this.eot = opts.eotThreshold();
        this.eager = opts.eagerEotThreshold();
        this.timeoutMs = opts.eotTimeoutMs();
        this.keyterms = opts.keyterms();
        this.languageHints = opts.languageHints();
        this.turns = new TurnTracker(this::turnInfo, eot, eager, timeoutMs);
    }

    private ObjectNode header(String type, boolean withRequestId) {
        ObjectNode n = Json.object(type);
        if (withRequestId) {
            n.put("request_id", requestId);
        }
        n.put("sequence_id", nextSequenceId++);
        return n;
    }

    private void turnInfo(ObjectNode body) {
        ObjectNode n = header("TurnInfo", true);
        n.setAll(body);
        if (opts.multilingual()) {
            n.putArray("languages").add(languageHints.isEmpty() ? "en" : languageHints.get(0));
            if (!languageHints.isEmpty()) {
                ArrayNode h = n.putArray("languages_hinted");
                languageHints.forEach(h::add);
            }
        }
        send(n);
    }

    @Override
    protected void opened() {
        send(header("Connected", true));
    }

    @Override
    protected boolean pingIsActivity() {
        return true;
    }

    @Override
    protected void audioStep(long audioMs) {
        turns.step(audioMs, audio.drainWords(), audio.decoder());
    }

    @Override
    protected void emptyBinary() {
        // Flux has no legacy empty-frame close; an empty binary frame is ignored.
    }

    @Override
    protected void text(String text, ObjectNode json) {
        String type = json == null ? null : json.path("type").asText(null);
        if (type == null) {
            fatal("UNPARSABLE_CLIENT_MESSAGE", "Could not parse the client message as JSON with a type.");
            return;
        }
        switch (type) {
            case "CloseStream" -> {
                turns.closeStream(audio.audioMs(), audio.flush());
                close(StatusCode.NO_CODE, null);
            }
            case "Configure" -> configure(json);
            case "ForceEndTurn" -> turns.forceEnd(audio.audioMs(), audio.flush());
            default -> fatal("UNPARSABLE_CLIENT_MESSAGE", "Unknown client message type: " + type);
        }
    }

    private void fatal(String code, String description) {
        ObjectNode n = header("Error", false);
        n.put("code", code);
        n.put("description", description);
        send(n);
        close(StatusCode.POLICY_VIOLATION, code);
    }

    private void configure(ObjectNode json) {
        double newEot = eot;
        Double newEager = eager;
        int newTimeout = timeoutMs;
        JsonNode th = json.get("thresholds");
        if (th != null && !th.isNull()) {
            if (!th.isObject()) {
                failure("INVALID_THRESHOLDS", "thresholds must be an object");
                return;
            }
            JsonNode e = th.get("eot_threshold");
            JsonNode g = th.get("eager_eot_threshold");
            JsonNode to = th.get("eot_timeout_ms");
            if ((e != null && !e.isNull() && !e.isNumber())
                    || (g != null && !g.isNull() && !g.isNumber())
                    || (to != null && !to.isNull() && !to.canConvertToInt())) {
                failure("INVALID_THRESHOLDS", "thresholds must be numbers");
                return;
            }
            if (e != null && !e.isNull()) {
                newEot = e.asDouble();
            }
            if (g != null && !g.isNull()) {
                newEager = g.asDouble();
            }
            if (to != null && !to.isNull()) {
                newTimeout = to.asInt();
            }
            String problem = FluxThresholds.check(newEot, newEager, newTimeout);
            if (problem != null) {
                failure("INVALID_THRESHOLDS", problem);
                return;
            }
        }
        List<String> newKeyterms = keyterms;
        JsonNode k = json.get("keyterms");
        if (k != null && !k.isNull()) {
            newKeyterms = strings(k);
            if (newKeyterms == null) {
                failure("INVALID_KEYTERMS", "keyterms must be an array of non-empty strings");
                return;
            }
        }
        List<String> newHints = languageHints;
        JsonNode h = json.get("language_hints");
        if (h != null && !h.isNull()) {
            if (!opts.multilingual()) {
                failure("LANGUAGE_HINTS_NOT_SUPPORTED", "language_hints are only supported with flux-general-multi");
                return;
            }
            newHints = strings(h);
            if (newHints == null
                    || newHints.stream().anyMatch(s -> !BCP47.matcher(s).matches())) {
                failure("INVALID_LANGUAGE_HINTS", "language_hints must be an array of BCP-47 language tags");
                return;
            }
        }
        eot = newEot;
        eager = newEager;
        timeoutMs = newTimeout;
        keyterms = newKeyterms;
        languageHints = newHints;
        turns.thresholds(eot, eager, timeoutMs);
        ObjectNode n = header("ConfigureSuccess", true);
        ObjectNode t = n.putObject("thresholds");
        t.put("eot_threshold", eot);
        if (eager != null) {
            t.put("eager_eot_threshold", eager);
        }
        t.put("eot_timeout_ms", timeoutMs);
        ArrayNode ka = n.putArray("keyterms");
        keyterms.forEach(ka::add);
        ArrayNode ha = n.putArray("language_hints");
        languageHints.forEach(ha::add);
        send(n);
    }

    private static List<String> strings(JsonNode node) {
        if (!node.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode s : node) {
            if (!s.isTextual() || s.asText().isBlank()) {
                return null;
            }
            out.add(s.asText());
        }
        return List.copyOf(out);
    }

    private void failure(String code, String description) {
        ObjectNode n = header("ConfigureFailure", true);
        n.put("code", code);
        n.put("description", description);
        send(n);
    }

    @Override
    protected void idleTimeout() {
        close(StatusCode.SERVER_ERROR, IDLE_REASON);
    }

    @Override
    protected void undecodable(String detail) {
        String reason = "DATA-0000 The payload cannot be decoded as audio: " + detail;
        close(StatusCode.POLICY_VIOLATION, reason.length() > 120 ? reason.substring(0, 120) : reason);
    }

    @Override
    protected void sendFaultError(Fault.InBandError e) {
        ObjectNode n = header("Error", false);
        n.put("code", e.code());
        n.put("description", e.description());
        send(n);
    }
}
