package io.github.dgstream.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dgstream.emulator.speech.DecodedWord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Builds {@code /v1/listen} server messages (protocol doc §A.3). */
final class V1Messages {
    static final String NET0001 =
            "Deepgram did not receive audio data or a text message within the timeout window. See https://dpgr.am/net0001";

    private final String requestId;
    private final String model;
    private final String modelUuid;
    private final Instant created = Instant.now();

    V1Messages(String requestId, String model) {
        this.requestId = requestId;
        this.model = model;
        this.modelUuid =
                UUID.nameUUIDFromBytes(model.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private ObjectNode modelInfo() {
        ObjectNode info = Json.object(null);
        info.put("name", "general-" + model);
        info.put("version", "emulator");
        info.put("arch", model.startsWith("nova-3") ? "nova-3" : model);
        return info;
    }

    /** A word as sent on the wire; {@code punctuated} null means no punctuation options. */
    record OutWord(DecodedWord word, String punctuated) {}

    ObjectNode results(
            long startMs,
            long endMs,
            boolean isFinal,
            boolean speechFinal,
            boolean fromFinalize,
            List<OutWord> words,
            boolean punctuate) {
        ObjectNode r = Json.object("Results");
        ArrayNode ci = r.putArray("channel_index");
        ci.add(0);
        ci.add(1);
        r.put("duration", Json.sec(endMs - startMs));
        r.put("start", Json.sec(startMs));
        r.put("is_final", isFinal);
        r.put("speech_final", speechFinal);
        r.put("from_finalize", fromFinalize);
        ObjectNode alt = r.putObject("channel").putArray("alternatives").addObject();
        StringBuilder transcript = new StringBuilder();
        ArrayNode ws = Json.array();
        for (OutWord w : words) {
            ObjectNode o = ws.addObject();
            o.put("word", w.word().word());
            o.put("start", Json.round(w.word().start()));
            o.put("end", Json.round(w.word().end()));
            o.put("confidence", Json.round(w.word().confidence()));
            if (punctuate) {
                o.put("punctuated_word", w.punctuated());
            }
            if (transcript.length() > 0) {
                transcript.append(' ');
            }
            transcript.append(punctuate ? w.punctuated() : w.word().word());
        }
        alt.put("transcript", transcript.toString());
        alt.put("confidence", words.isEmpty() ? 0.0 : 0.99);
        alt.set("words", ws);
        ObjectNode md = r.putObject("metadata");
        md.put("request_id", requestId);
        md.put("model_uuid", modelUuid);
        md.set("model_info", modelInfo());
        return r;
    }

    ObjectNode speechStarted(double timestamp) {
        ObjectNode n = Json.object("SpeechStarted");
        ArrayNode ch = n.putArray("channel");
        ch.add(0);
        ch.add(1);
        n.put("timestamp", Json.round(timestamp));
        return n;
    }

    ObjectNode utteranceEnd(double lastWordEnd) {
        ObjectNode n = Json.object("UtteranceEnd");
        ArrayNode ch = n.putArray("channel");
        ch.add(0);
        ch.add(1);
        n.put("last_word_end", Json.round(lastWordEnd));
        return n;
    }

    ObjectNode metadata(String sha256, double durationSeconds) {
        ObjectNode n = Json.object("Metadata");
        n.put("transaction_key", "deprecated");
        n.put("request_id", requestId);
        n.put("sha256", sha256);
        n.put("created", created.toString());
        n.put("duration", Json.round(durationSeconds));
        n.put("channels", 1);
        n.putArray("models").add(modelUuid);
        n.putObject("model_info").set(modelUuid, modelInfo());
        return n;
    }

    ObjectNode schemaError(String text) {
        ObjectNode n = Json.object("Error");
        n.put("variant", "SchemaError");
        n.put("description", "Failed to parse the client message as a known control message.");
        n.put("message", text);
        return n;
    }

    ObjectNode error(String variant, String code, String description) {
        ObjectNode n = Json.object("Error");
        n.put("variant", variant);
        if (code != null) {
            n.put("code", code);
        }
        n.put("description", description);
        return n;
    }

    ObjectNode configureSuccess(List<String> keyterms) {
        ObjectNode n = Json.object("ConfigureSuccess");
        n.put("request_id", requestId);
        ArrayNode k = n.putArray("keyterms");
        keyterms.forEach(k::add);
        return n;
    }

    ObjectNode configureFailure(String code, String description) {
        ObjectNode n = Json.object("ConfigureFailure");
        n.put("request_id", requestId);
        n.put("code", code);
        n.put("description", description);
        return n;
    }
}
