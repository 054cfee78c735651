package io.github.dgstream.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dgstream.DeepgramException;
import io.github.dgstream.LiveOptions;
import io.github.dgstream.StreamEvent;
import io.github.dgstream.UnhandledMessage;
import io.github.dgstream.Word;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** {@code /v1/listen}: URL building, message decoding and rebasing, watermark = end of the last final result. */
public final class V1Adapter implements ProtocolAdapter {
    /** Most channels a {@code Results} message may claim ({@code channel_index[1]}); more is not trusted. */
    static final int MAX_CHANNELS = 256;

    private static final ObjectMapper JSON = ServerInput.JSON;

    private final LiveOptions options;
    private final double bytesPerSecond;
    private final int frameBytes;
    /** Last final end per channel (session seconds); the watermark is their minimum. */
    private double[] lastFinalEnd = new double[1];

    public V1Adapter(LiveOptions options) {
        this.options = options;
        int width = sampleWidth(options.encoding());
        int rate = options.sampleRate();
        int channels = options.channels();
        if (width > 0 && rate > 0) {
            this.bytesPerSecond = (double) width * rate * channels;
            this.frameBytes = width * channels;
        } else {
            this.bytesPerSecond = 0;
            this.frameBytes = 1;
        }
    }

    /** Bytes per sample of a raw encoding, or 0 for compressed/unknown. */
    static int sampleWidth(String encoding) {
        if (encoding == null) {
            return 0;
        }
        return switch (encoding) {
            case "linear16" -> 2;
            case "linear32" -> 4;
            case "mulaw", "alaw" -> 1;
            default -> 0;
        };
    }

    @Override
    public URI uri(URI baseUrl) {
        return ProtocolAdapter.endpoint(baseUrl, "/v1/listen", options.queryParameters());
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
        // v1 has no per-socket protocol state beyond the timeline
    }

    @Override
    public String keepAliveMessage() {
        return "{\"type\":\"KeepAlive\"}";
    }

    @Override
    public String finalizeMessage() {
        return "{\"type\":\"Finalize\"}";
    }

    @Override
    public String closeStreamMessage() {
        return "{\"type\":\"CloseStream\"}";
    }

    @Override
    public boolean isNormalCloseAfterCloseStream(int code) {
        return code == 1000;
    }

    @Override
    public Decoded decode(String json, SocketTimeline tl) {
        V1ResultsReader.Read r = V1ResultsReader.read(json, tl);
        if (r != null) {
            return results(r.transcript(), r.end(), r.channels(), r.requestId());
        }
        return decodeTree(json, tl);
    }

    /** Every message, through a Jackson tree: the reference decoder, and the one that applies every trust rule. */
    Decoded decodeTree(String json, SocketTimeline tl) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (Exception e) {
            return Decoded.of(List.of(new UnhandledMessage(json)));
        }
        if (n == null || !n.isObject()) {
            return Decoded.of(List.of(new UnhandledMessage(json)));
        }
        String type = n.path("type").asText("");
        switch (type) {
            case "Results": {
                String problem = invalidResults(n, tl);
                if (problem != null) {
                    // A result moves the replay watermark and carries the transcript: never guess. The engine
                    // drops the connection, so the audio since the last final is transcribed again (or fails).
                    return new Decoded(
                            List.of(new UnhandledMessage(json)),
                            Double.NaN,
                            false,
                            false,
                            null,
                            ServerInput.untrusted("Untrusted Results message: " + problem));
                }
                return results(n, tl);
            }
            case "Metadata": {
                List<String> models = new ArrayList<>();
                n.path("models").forEach(m -> models.add(m.asText()));
                String rid = textOrNull(n, "request_id");
                StreamEvent.Metadata md = new StreamEvent.Metadata(
                        rid,
                        n.path("duration").asDouble(0),
                        n.path("channels").asInt(0),
                        textOrNull(n, "sha256"),
                        textOrNull(n, "created"),
                        models);
                return new Decoded(List.of(md), Double.NaN, true, false, rid, null);
            }
            case "SpeechStarted":
                if (!ServerInput.validTime(n.get("timestamp"), ServerInput.timeLimit(tl))) {
                    return Decoded.of(List.of(new UnhandledMessage(json)));
                }
                return Decoded.of(List.of(new StreamEvent.SpeechStarted(
                        tl.toSession(n.path("timestamp").asDouble(0)),
                        n.path("channel").path(0).asInt(0))));
            case "UtteranceEnd":
                if (!ServerInput.validTime(n.get("last_word_end"), ServerInput.timeLimit(tl))) {
                    return Decoded.of(List.of(new UnhandledMessage(json)));
                }
                return Decoded.of(List.of(new StreamEvent.UtteranceEnd(
                        tl.toSession(n.path("last_word_end").asDouble(0)),
                        n.path("channel").path(0).asInt(0))));
            case "Error":
                return new Decoded(List.of(), Double.NaN, false, false, null, serverError(n));
            default:
                return Decoded.of(List.of(new UnhandledMessage(json)));
        }
    }

    /**
     * Why a {@code Results} message cannot be trusted, or {@code null}: wrong types, non-finite or negative times,
     * times far beyond the audio sent on this socket, an impossible channel index or count.
     */
    static String invalidResults(JsonNode n, SocketTimeline tl) {
        JsonNode ci = n.get("channel_index");
        if (ci != null) {
            if (!ci.isArray()
                    || ci.size() > 2
                    || (ci.size() > 0 && !ci.get(0).canConvertToExactIntegral())
                    || (ci.size() > 1 && !ci.get(1).canConvertToExactIntegral())) {
                return "channel_index is not [channel, channels]";
            }
            long ch = ci.path(0).asLong(0);
            long chs = ci.size() > 1 ? ci.get(1).asLong() : 1;
            if (chs < 1 || chs > MAX_CHANNELS || ch < 0 || ch >= chs) {
                return "channel_index out of range: " + ci;
            }
        }
        for (String f : new String[] {"is_final", "speech_final", "from_finalize"}) {
            JsonNode b = n.get(f);
            if (b != null && !b.isBoolean() && !b.isNull()) {
                return f + " is not a boolean";
            }
        }
        JsonNode start = n.get("start");
        JsonNode duration = n.get("duration");
        if (!ServerInput.validTime(start) || !ServerInput.validTime(duration)) {
            return "start/duration must be finite numbers >= 0";
        }
        double limit = ServerInput.timeLimit(tl);
        if (start.asDouble() + duration.asDouble() > limit) {
            return "result ends after the audio sent on this connection";
        }
        JsonNode channel = n.get("channel");
        if (channel != null && !channel.isObject()) {
            return "channel is not an object";
        }
        JsonNode alts = n.path("channel").get("alternatives");
        if (alts != null && !alts.isArray()) {
            return "alternatives is not an array";
        }
        JsonNode alt = n.path("channel").path("alternatives").path(0);
        if (!alt.isMissingNode() && !alt.isObject()) {
            return "alternative is not an object";
        }
        JsonNode words = alt.get("words");
        if (words != null && !words.isArray()) {
            return "words is not an array";
        }
        if (words != null) {
            for (JsonNode w : words) {
                if (!w.isObject() || !ServerInput.validTime(w.get("start")) || !ServerInput.validTime(w.get("end"))) {
                    return "a word has no finite, non-negative start/end";
                }
                if (w.get("end").asDouble() > limit) {
                    return "a word ends after the audio sent on this connection";
                }
                JsonNode sp = w.get("speaker");
                if (sp != null && !sp.isNull() && !sp.canConvertToExactIntegral()) {
                    return "speaker is not an integer";
                }
            }
        }
        return null;
    }

    private Decoded results(JsonNode n, SocketTimeline tl) {
        int channel = n.path("channel_index").path(0).asInt(0);
        int channels = Math.max(1, n.path("channel_index").path(1).asInt(1));
        boolean isFinal = n.path("is_final").asBoolean(false);
        double serverStart = n.path("start").asDouble(0);
        double serverDuration = n.path("duration").asDouble(0);
        double start = tl.toSession(serverStart);
        double end = tl.toSession(serverStart + serverDuration);
        JsonNode alt = n.path("channel").path("alternatives").path(0);
        List<Word> words = new ArrayList<>();
        for (JsonNode w : alt.path("words")) {
            words.add(new Word(
                    w.path("word").asText(""),
                    textOrNull(w, "punctuated_word"),
                    tl.toSession(w.path("start").asDouble(0)),
                    tl.toSession(w.path("end").asDouble(0)),
                    w.path("confidence").asDouble(0),
                    w.hasNonNull("speaker") ? w.get("speaker").asInt() : null));
        }
        boolean fromFinalize = n.path("from_finalize").asBoolean(false);
        StreamEvent.Transcript t = new StreamEvent.Transcript(
                alt.path("transcript").asText(""),
                isFinal,
                n.path("speech_final").asBoolean(false),
                fromFinalize,
                start,
                end - start,
                words,
                channel,
                alt.path("confidence").asDouble(0));
        return results(t, end, channels, textOrNull(n.path("metadata"), "request_id"));
    }

    /**
     * A decoded result and its watermark: the minimum over channels of each channel's last final end. {@code end} is
     * passed as computed ({@code start + duration} can differ from it in the last bit).
     */
    private Decoded results(StreamEvent.Transcript t, double end, int channels, String rid) {
        int channel = t.channel();
        boolean isFinal = t.isFinal();
        double watermark = Double.NaN;
        if (isFinal) {
            if (lastFinalEnd.length < channels) {
                lastFinalEnd = java.util.Arrays.copyOf(lastFinalEnd, channels);
            }
            if (channel < lastFinalEnd.length) {
                lastFinalEnd[channel] = Math.max(lastFinalEnd[channel], end);
            }
            double min = Double.MAX_VALUE;
            for (int i = 0; i < channels; i++) {
                min = Math.min(min, lastFinalEnd[i]);
            }
            watermark = min;
        }
        return new Decoded(List.of(t), watermark, false, isFinal && t.fromFinalize(), rid, null);
    }

    private static DeepgramException serverError(JsonNode n) {
        String code = firstText(n, "code", "err_code", "variant");
        String desc = firstText(n, "description", "err_msg", "message");
        String msg = "Server error" + (code != null ? " " + code : "") + (desc != null ? ": " + desc : "");
        return DeepgramException.builder(DeepgramException.Kind.SERVER_ERROR, msg)
                .errCode(code)
                .retryable(true)
                .build();
    }

    private static String firstText(JsonNode n, String... fields) {
        for (String f : fields) {
            String v = textOrNull(n, f);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String textOrNull(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
