package io.github.dgstream.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/** {@code --json}: exactly one JSON object per line on stdout, nothing else. */
final class JsonLinesSink implements OutputSink {
    private static final ObjectMapper MAPPER =
            new ObjectMapper().configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
    private final PrintStream out;

    JsonLinesSink(PrintStream out) {
        this.out = out;
    }

    @Override
    public void transcript(boolean isFinal, boolean speechFinal, double start, double end, String text) {
        ObjectNode n = node("transcript");
        n.put("is_final", isFinal);
        n.put("speech_final", speechFinal);
        n.put("start", round(start));
        n.put("end", round(end));
        n.put("text", text);
        write(n);
    }

    @Override
    public void turn(String event, long turnIndex, double start, double end, String text) {
        ObjectNode n = node("turn");
        n.put("event", event);
        n.put("turn_index", turnIndex);
        n.put("start", round(start));
        n.put("end", round(end));
        n.put("text", text);
        write(n);
    }

    @Override
    public void speechStarted(double timestamp) {
        ObjectNode n = node("speech_started");
        n.put("timestamp", round(timestamp));
        write(n);
    }

    @Override
    public void utteranceEnd(double lastWordEnd) {
        ObjectNode n = node("utterance_end");
        n.put("last_word_end", round(lastWordEnd));
        write(n);
    }

    @Override
    public void metadata(String requestId, double durationSeconds) {
        ObjectNode n = node("metadata");
        n.put("request_id", requestId);
        n.put("duration", round(durationSeconds));
        write(n);
    }

    @Override
    public void reconnecting(int attempt, long delayMs, String cause) {
        ObjectNode n = node("reconnecting");
        n.put("attempt", attempt);
        n.put("delay_ms", delayMs);
        n.put("cause", cause);
        write(n);
    }

    @Override
    public void reconnected(int attempt, long downtimeMs, long replayedMs, long lostMs) {
        ObjectNode n = node("reconnected");
        n.put("attempt", attempt);
        n.put("downtime_ms", downtimeMs);
        n.put("replayed_ms", replayedMs);
        n.put("lost_ms", lostMs);
        write(n);
    }

    @Override
    public void reconnectFailed(int attempts, String cause) {
        ObjectNode n = node("reconnect_failed");
        n.put("attempts", attempts);
        n.put("cause", cause);
        write(n);
    }

    @Override
    public void error(String message) {
        ObjectNode n = node("error");
        n.put("message", message);
        write(n);
    }

    @Override
    public void progress(double fraction) {
        // JSON mode prints events only.
    }

    @Override
    public void summary(String transcript, int connections, int reconnects, double audioSeconds) {
        ObjectNode n = node("summary");
        n.put("transcript", transcript);
        n.put("connections", connections);
        n.put("reconnects", reconnects);
        n.put("audio_seconds", round(audioSeconds));
        write(n);
    }

    private static ObjectNode node(String type) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", type);
        return n;
    }

    /** Millisecond precision is what the times mean; more digits are noise. */
    private static double round(double seconds) {
        return Math.round(seconds * 1000.0) / 1000.0;
    }

    private synchronized void write(ObjectNode n) {
        try {
            out.println(MAPPER.writeValueAsString(n));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
    }
}
