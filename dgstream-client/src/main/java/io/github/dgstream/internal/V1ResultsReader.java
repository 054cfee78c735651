package io.github.dgstream.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.dgstream.StreamEvent;
import io.github.dgstream.Word;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The hot path of {@link V1Adapter#decode}: reads a {@code Results} message straight from the token stream into the
 * typed event, without building a Jackson tree (the tree was 93 % of the decode's allocation). It only accepts the
 * plain, well-formed shape; anything else (another message type, a duplicated field, an unexpected value type, a
 * broken trust rule, malformed JSON) returns {@code null} and the tree decoder decides, so every validation rule and
 * every error message stays in one place. A differential test holds the two decoders to the same output.
 */
final class V1ResultsReader {
    /** What a readable Results message carries besides the transcript. */
    record Read(StreamEvent.Transcript transcript, double end, int channels, String requestId) {}

    // bits of the top-level fields seen, to refuse duplicates (the tree keeps the last one; we leave that to it)
    private static final int TYPE = 1;
    private static final int CHANNEL_INDEX = 2;
    private static final int IS_FINAL = 4;
    private static final int SPEECH_FINAL = 8;
    private static final int FROM_FINALIZE = 16;
    private static final int START = 32;
    private static final int DURATION = 64;
    private static final int CHANNEL = 128;
    private static final int METADATA = 256;

    private V1ResultsReader() {}

    /** The decoded Results message, or {@code null} if the tree decoder must decide. */
    static Read read(String json, SocketTimeline tl) {
        try (JsonParser p = ServerInput.JSON.createParser(json)) {
            return read(p, tl);
        } catch (IOException | RuntimeException e) {
            return null; // malformed or over a parsing limit: the tree decoder reports it
        }
    }

    private static Read read(JsonParser p, SocketTimeline tl) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        double limit = ServerInput.timeLimit(tl);
        Top top = new Top();
        int seen = 0;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            int bit = topField(p.currentName());
            if ((seen & bit) != 0) {
                return null;
            }
            seen |= bit;
            JsonToken v = p.nextToken();
            boolean ok = switch (bit) {
                case TYPE -> v == JsonToken.VALUE_STRING && "Results".equals(p.getText());
                case CHANNEL_INDEX -> top.channelIndex(p, v);
                case IS_FINAL -> (top.isFinal = bool(v)) != null;
                case SPEECH_FINAL -> (top.speechFinal = bool(v)) != null;
                case FROM_FINALIZE -> (top.fromFinalize = bool(v)) != null;
                case START -> !Double.isNaN(top.start = time(p, v));
                case DURATION -> !Double.isNaN(top.duration = time(p, v));
                case CHANNEL -> top.channel(p, v, tl, limit);
                case METADATA -> top.metadata(p, v);
                default -> {
                    p.skipChildren();
                    yield true;
                }
            };
            if (!ok) {
                return null;
            }
        }
        if (t != JsonToken.END_OBJECT || p.nextToken() != null || (seen & TYPE) == 0) {
            return null;
        }
        if ((seen & (START | DURATION)) != (START | DURATION) || top.start + top.duration > limit) {
            return null;
        }
        double start = tl.toSession(top.start);
        double end = tl.toSession(top.start + top.duration);
        StreamEvent.Transcript transcript = new StreamEvent.Transcript(
                top.transcript,
                top.isFinal,
                top.speechFinal,
                top.fromFinalize,
                start,
                end - start,
                top.words,
                top.channelNumber,
                top.confidence);
        return new Read(transcript, end, top.channels, top.requestId);
    }

    private static int topField(String name) {
        return switch (name) {
            case "type" -> TYPE;
            case "channel_index" -> CHANNEL_INDEX;
            case "is_final" -> IS_FINAL;
            case "speech_final" -> SPEECH_FINAL;
            case "from_finalize" -> FROM_FINALIZE;
            case "start" -> START;
            case "duration" -> DURATION;
            case "channel" -> CHANNEL;
            case "metadata" -> METADATA;
            default -> 0;
        };
    }

    /** true/false, null as false, or null for "not a boolean". */
    private static Boolean bool(JsonToken v) {
        return switch (v) {
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE, VALUE_NULL -> Boolean.FALSE;
            default -> null;
        };
    }

    /** A finite, non-negative number, or NaN. */
    private static double time(JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) {
            return Double.NaN;
        }
        double d = p.getDoubleValue();
        return Double.isFinite(d) && d >= 0 ? d : Double.NaN;
    }

    /** A number (any), or NaN. */
    private static double number(JsonParser p, JsonToken v) throws IOException {
        return v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT ? p.getDoubleValue() : Double.NaN;
    }

    /** An int-sized integer token, or null. */
    private static Integer integer(JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            return null;
        }
        return p.getIntValue();
    }

    /** The top-level fields, filled as they come (JSON has no field order). */
    private static final class Top {
        Boolean isFinal = Boolean.FALSE;
        Boolean speechFinal = Boolean.FALSE;
        Boolean fromFinalize = Boolean.FALSE;
        double start = Double.NaN;
        double duration = Double.NaN;
        int channelNumber;
        int channels = 1;
        String transcript = "";
        double confidence;
        List<Word> words = List.of();
        String requestId;

        boolean channelIndex(JsonParser p, JsonToken v) throws IOException {
            if (v != JsonToken.START_ARRAY) {
                return false;
            }
            int n = 0;
            int ch = 0;
            int chs = 1;
            for (JsonToken e; (e = p.nextToken()) != JsonToken.END_ARRAY; n++) {
                Integer i = integer(p, e);
                if (i == null || n >= 2) {
                    return false;
                }
                if (n == 0) {
                    ch = i;
                } else {
                    chs = i;
                }
            }
            if (chs < 1 || chs > V1Adapter.MAX_CHANNELS || ch < 0 || ch >= chs) {
                return false;
            }
            channelNumber = ch;
            channels = chs;
            return true;
        }

        boolean metadata(JsonParser p, JsonToken v) throws IOException {
            if (v != JsonToken.START_OBJECT) {
                p.skipChildren();
                return true; // no object, no request id (as the tree decoder reads it)
            }
            boolean seenId = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken f = p.nextToken();
                if (name.equals("request_id")) {
                    if (seenId || (f != JsonToken.VALUE_STRING && f != JsonToken.VALUE_NULL)) {
                        return false;
                    }
                    seenId = true;
                    requestId = f == JsonToken.VALUE_NULL ? null : p.getText();
                } else {
                    p.skipChildren();
                }
            }
            return true;
        }

        boolean channel(JsonParser p, JsonToken v, SocketTimeline tl, double limit) throws IOException {
            if (v != JsonToken.START_OBJECT) {
                return false;
            }
            boolean seenAlternatives = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken f = p.nextToken();
                if (!name.equals("alternatives")) {
                    p.skipChildren();
                    continue;
                }
                if (seenAlternatives || f != JsonToken.START_ARRAY) {
                    return false;
                }
                seenAlternatives = true;
                JsonToken first = p.nextToken();
                if (first == JsonToken.END_ARRAY) {
                    continue;
                }
                if (first != JsonToken.START_OBJECT || !alternative(p, tl, limit)) {
                    return false;
                }
                for (JsonToken e; (e = p.nextToken()) != JsonToken.END_ARRAY; ) {
                    if (e == null) {
                        return false;
                    }
                    p.skipChildren(); // only the first alternative is used, as the tree decoder does
                }
            }
            return true;
        }

        private boolean alternative(JsonParser p, SocketTimeline tl, double limit) throws IOException {
            int seen = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken f = p.nextToken();
                int bit = switch (name) {
                    case "transcript" -> 1;
                    case "confidence" -> 2;
                    case "words" -> 4;
                    default -> 0;
                };
                if ((seen & bit) != 0) {
                    return false;
                }
                seen |= bit;
                switch (bit) {
                    case 1 -> {
                        if (f != JsonToken.VALUE_STRING) {
                            return false;
                        }
                        transcript = p.getText();
                    }
                    case 2 -> {
                        confidence = number(p, f);
                        if (Double.isNaN(confidence)) {
                            return false;
                        }
                    }
                    case 4 -> {
                        if (f != JsonToken.START_ARRAY || !words(p, tl, limit)) {
                            return false;
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            return true;
        }

        private boolean words(JsonParser p, SocketTimeline tl, double limit) throws IOException {
            List<Word> list = new ArrayList<>();
            for (JsonToken e; (e = p.nextToken()) != JsonToken.END_ARRAY; ) {
                Word w = e == JsonToken.START_OBJECT ? word(p, tl, limit) : null;
                if (w == null) {
                    return false;
                }
                list.add(w);
            }
            words = list;
            return true;
        }

        private static Word word(JsonParser p, SocketTimeline tl, double limit) throws IOException {
            String word = "";
            String punctuated = null;
            double start = Double.NaN;
            double end = Double.NaN;
            double confidence = 0;
            Integer speaker = null;
            int seen = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken f = p.nextToken();
                int bit = switch (name) {
                    case "word" -> 1;
                    case "punctuated_word" -> 2;
                    case "start" -> 4;
                    case "end" -> 8;
                    case "confidence" -> 16;
                    case "speaker" -> 32;
                    default -> 0;
                };
                if ((seen & bit) != 0) {
                    return null;
                }
                seen |= bit;
                switch (bit) {
                    case 1 -> {
                        if (f != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        word = p.getText();
                    }
                    case 2 -> {
                        if (f != JsonToken.VALUE_STRING && f != JsonToken.VALUE_NULL) {
                            return null;
                        }
                        punctuated = f == JsonToken.VALUE_NULL ? null : p.getText();
                    }
                    case 4 -> start = time(p, f);
                    case 8 -> end = time(p, f);
                    case 16 -> confidence = number(p, f);
                    case 32 -> {
                        speaker = f == JsonToken.VALUE_NULL ? null : integer(p, f);
                        if (f != JsonToken.VALUE_NULL && speaker == null) {
                            return null;
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (Double.isNaN(start) || Double.isNaN(end) || Double.isNaN(confidence) || end > limit) {
                return null;
            }
            return new Word(word, punctuated, tl.toSession(start), tl.toSession(end), confidence, speaker);
        }
    }
}
