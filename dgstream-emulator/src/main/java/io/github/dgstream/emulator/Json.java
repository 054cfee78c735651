package io.github.dgstream.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/** Jackson helpers; Jackson types stay out of the public API. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static ObjectNode object(String type) {
        ObjectNode n = MAPPER.createObjectNode();
        if (type != null) {
            n.put("type", type);
        }
        return n;
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** Parses a JSON object; null if the text is not a JSON object. */
    static ObjectNode parseObject(String text) {
        try {
            JsonNode n = MAPPER.readTree(text);
            return n instanceof ObjectNode o ? o : null;
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    static String write(JsonNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Seconds from milliseconds. */
    static double sec(long ms) {
        return ms / 1000.0;
    }

    /** Rounds to the millisecond. */
    static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
