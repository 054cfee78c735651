package io.github.dgstream.emulator;

import io.github.dgstream.emulator.speech.AudioFormat;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates query options against the tables in the protocol doc (§A.1, §B.1). Anything unknown, repeated where
 * not repeatable, of the wrong type, out of range, or not decodable by the emulator is a 400.
 */
final class QueryValidator {
    /** Thrown for a 400; the message becomes {@code err_msg} and {@code dg-error}. */
    static final class InvalidQuery extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidQuery(String message) {
            super(message, null, false, false);
        }
    }

    private enum Kind {
        BOOL,
        STRING,
        INT,
        ANY
    }

    private record Spec(Kind kind, boolean repeatable, Set<String> allowed) {}

    private static final Pattern BCP47 = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*");
    private static final Set<String> V1_ENCODINGS = Set.of(
            "linear16", "linear32", "flac", "alaw", "mulaw", "amr-nb", "amr-wb", "opus", "ogg-opus", "speex", "g729");
    private static final Set<String> V2_ENCODINGS = Set.of("linear16", "linear32", "mulaw", "alaw", "opus", "ogg-opus");
    private static final Set<Integer> LINEAR16_RATES = Set.of(8000, 16000, 24000, 48000);
    private static final Map<String, Spec> V1 = new LinkedHashMap<>();
    private static final Map<String, Spec> V2 = new LinkedHashMap<>();

    static {
        for (String b : List.of(
                "multichannel",
                "interim_results",
                "vad_events",
                "punctuate",
                "smart_format",
                "diarize",
                "numerals",
                "profanity_filter",
                "dictation",
                "detect_entities",
                "filler_words",
                "mip_opt_out",
                "no_delay")) {
            V1.put(b, new Spec(Kind.BOOL, false, null));
        }
        V1.put("model", new Spec(Kind.STRING, false, null));
        V1.put("language", new Spec(Kind.STRING, false, null));
        V1.put("version", new Spec(Kind.STRING, false, null));
        V1.put("encoding", new Spec(Kind.STRING, false, V1_ENCODINGS));
        V1.put("sample_rate", new Spec(Kind.INT, false, null));
        V1.put("channels", new Spec(Kind.INT, false, null));
        V1.put("endpointing", new Spec(Kind.ANY, false, null));
        V1.put("utterance_end_ms", new Spec(Kind.INT, false, null));
        V1.put("diarize_model", new Spec(Kind.STRING, false, Set.of("latest", "v1")));
        V1.put("keyterm", new Spec(Kind.STRING, true, null));
        V1.put("keywords", new Spec(Kind.STRING, true, null));
        V1.put(
                "redact",
                new Spec(Kind.STRING, true, Set.of("true", "false", "pci", "numbers", "aggressive_numbers", "ssn")));
        V1.put("replace", new Spec(Kind.STRING, true, null));
        V1.put("search", new Spec(Kind.STRING, true, null));
        V1.put("tag", new Spec(Kind.STRING, true, null));
        V1.put("extra", new Spec(Kind.STRING, true, null));
        V1.put("callback", new Spec(Kind.STRING, false, null));
        V1.put("callback_method", new Spec(Kind.STRING, false, Set.of("POST", "GET", "PUT", "DELETE")));

        V2.put("model", new Spec(Kind.STRING, false, Set.of("flux-general-en", "flux-general-multi")));
        V2.put("encoding", new Spec(Kind.STRING, false, V2_ENCODINGS));
        V2.put("sample_rate", new Spec(Kind.INT, false, Set.of("8000", "16000", "24000", "44100", "48000")));
        V2.put("eot_threshold", new Spec(Kind.ANY, false, null));
        V2.put("eager_eot_threshold", new Spec(Kind.ANY, false, null));
        V2.put("eot_timeout_ms", new Spec(Kind.INT, false, null));
        V2.put("keyterm", new Spec(Kind.STRING, true, null));
        V2.put("language_hint", new Spec(Kind.STRING, true, null));
        V2.put("numerals", new Spec(Kind.BOOL, false, null));
        V2.put("profanity_filter", new Spec(Kind.BOOL, false, null));
        V2.put("mip_opt_out", new Spec(Kind.BOOL, false, null));
        V2.put("redact", new Spec(Kind.STRING, false, Set.of("numbers", "aggressive_numbers")));
        V2.put("tag", new Spec(Kind.STRING, true, null));
    }

    private QueryValidator() {}

    /** Parses a raw query string; repeated keys keep every value in order. */
    static Map<String, List<String>> parse(String rawQuery) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    static ListenOptions listen(Map<String, List<String>> q) throws InvalidQuery {
        checkShape(q, V1);
        String model = first(q, "model", "base-general");
        if (model.startsWith("flux")) {
            throw new InvalidQuery("Flux models are only available on /v2/listen: model=" + model);
        }
        String language = first(q, "language", "en");
        if (!language.equals("multi") && !BCP47.matcher(language).matches()) {
            throw new InvalidQuery("Invalid language: " + language);
        }
        int channels = intValue(q, "channels", 1);
        if (channels != 1) {
            throw new InvalidQuery("The emulator only decodes mono audio: channels=" + channels);
        }
        boolean interim = bool(q, "interim_results");
        Integer endpointing = 10;
        if (q.containsKey("endpointing")) {
            String e = q.get("endpointing").get(0).toLowerCase(Locale.ROOT);
            if (e.equals("false")) {
                endpointing = null;
            } else if (!e.equals("true")) {
                endpointing = parseInt("endpointing", e);
                if (endpointing < 0) {
                    throw new InvalidQuery("endpointing must be >= 0 or false: " + e);
                }
            }
        }
        Integer utteranceEnd = null;
        if (q.containsKey("utterance_end_ms")) {
            utteranceEnd = intValue(q, "utterance_end_ms", 0);
            if (utteranceEnd < 0) {
                throw new InvalidQuery("utterance_end_ms must be >= 0");
            }
            if (!interim) {
                throw new InvalidQuery("utterance_end_ms requires interim_results=true");
            }
        }
        boolean nova3 = model.startsWith("nova-3");
        if (q.containsKey("keyterm") && !nova3) {
            throw new InvalidQuery("keyterm is only supported with Nova-3 models");
        }
        if (q.containsKey("keywords") && nova3) {
            throw new InvalidQuery("keywords is not supported with Nova-3 models; use keyterm");
        }
        for (String kw : q.getOrDefault("keywords", List.of())) {
            int colon = kw.lastIndexOf(':');
            if (colon > 0) {
                parseDouble("keywords", kw.substring(colon + 1));
            }
        }
        for (String extra : q.getOrDefault("extra", List.of())) {
            if (extra.indexOf(':') <= 0) {
                throw new InvalidQuery("extra must be key:value: " + extra);
            }
        }
        if (q.containsKey("callback")) {
            String cb = q.get("callback").get(0);
            if (!cb.startsWith("http://") && !cb.startsWith("https://")) {
                throw new InvalidQuery("callback must be an http(s) URL");
            }
        }
        AudioFormat format = format(q, false);
        return new ListenOptions(
                model,
                format,
                interim,
                endpointing,
                utteranceEnd,
                bool(q, "vad_events"),
                bool(q, "punctuate") || bool(q, "smart_format"),
                List.copyOf(q.getOrDefault("keyterm", List.of())));
    }

    static FluxOptions flux(Map<String, List<String>> q) throws InvalidQuery {
        checkShape(q, V2);
        if (!q.containsKey("model")) {
            throw new InvalidQuery("model is required on /v2/listen (flux-general-en or flux-general-multi)");
        }
        String model = q.get("model").get(0);
        double eot = q.containsKey("eot_threshold") ? parseDouble("eot_threshold", first(q, "eot_threshold", "")) : 0.7;
        Double eager = q.containsKey("eager_eot_threshold")
                ? parseDouble("eager_eot_threshold", first(q, "eager_eot_threshold", ""))
                : null;
        int timeout = intValue(q, "eot_timeout_ms", 5000);
        String problem = FluxThresholds.check(eot, eager, timeout);
        if (problem != null) {
            throw new InvalidQuery(problem);
        }
        List<String> hints = List.copyOf(q.getOrDefault("language_hint", List.of()));
        if (!hints.isEmpty() && !model.equals("flux-general-multi")) {
            throw new InvalidQuery("language_hint is only supported with flux-general-multi");
        }
        for (String h : hints) {
            if (!BCP47.matcher(h).matches()) {
                throw new InvalidQuery("Invalid language_hint: '" + h + "'");
            }
        }
        return new FluxOptions(
                model, format(q, true), eot, eager, timeout, List.copyOf(q.getOrDefault("keyterm", List.of())), hints);
    }

    private static AudioFormat format(Map<String, List<String>> q, boolean flux) throws InvalidQuery {
        if (!q.containsKey("encoding")) {
            if (q.containsKey("sample_rate") && flux) {
                throw new InvalidQuery("sample_rate requires encoding");
            }
            return null; // containerised audio: the emulator expects a WAV header
        }
        String enc = q.get("encoding").get(0);
        if (!q.containsKey("sample_rate")) {
            throw new InvalidQuery("sample_rate is required when encoding is set");
        }
        int rate = intValue(q, "sample_rate", 0);
        if (enc.equals("linear16")) {
            if (!LINEAR16_RATES.contains(rate)) {
                throw new InvalidQuery("The emulator decodes linear16 at 8000, 16000, 24000 or 48000 Hz only: "
                        + "sample_rate=" + rate);
            }
            return AudioFormat.linear16(rate);
        }
        if (enc.equals("mulaw")) {
            if (rate != 8000) {
                throw new InvalidQuery("The emulator decodes mulaw at 8000 Hz only: sample_rate=" + rate);
            }
            return AudioFormat.mulaw8k();
        }
        throw new InvalidQuery("The emulator cannot decode encoding=" + enc + " (only linear16 and mulaw)");
    }

    private static void checkShape(Map<String, List<String>> q, Map<String, Spec> specs) throws InvalidQuery {
        for (Map.Entry<String, List<String>> e : q.entrySet()) {
            Spec spec = specs.get(e.getKey());
            if (spec == null) {
                throw new InvalidQuery("Unknown query parameter: " + e.getKey());
            }
            if (!spec.repeatable() && e.getValue().size() > 1) {
                throw new InvalidQuery("Query parameter " + e.getKey() + " must not be repeated");
            }
            for (String v : e.getValue()) {
                if (v.isEmpty()) {
                    throw new InvalidQuery("Empty value for query parameter " + e.getKey());
                }
                switch (spec.kind()) {
                    case BOOL -> {
                        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                            throw new InvalidQuery(e.getKey() + " must be true or false: " + v);
                        }
                    }
                    case INT -> parseInt(e.getKey(), v);
                    default -> {}
                }
                if (spec.allowed() != null && !spec.allowed().contains(v)) {
                    throw new InvalidQuery("Invalid value for " + e.getKey() + ": " + v);
                }
            }
        }
    }

    private static String first(Map<String, List<String>> q, String key, String dflt) {
        List<String> v = q.get(key);
        return v == null ? dflt : v.get(0);
    }

    private static boolean bool(Map<String, List<String>> q, String key) {
        return first(q, key, "false").equalsIgnoreCase("true");
    }

    private static int intValue(Map<String, List<String>> q, String key, int dflt) throws InvalidQuery {
        return q.containsKey(key) ? parseInt(key, q.get(key).get(0)) : dflt;
    }

    private static int parseInt(String key, String v) throws InvalidQuery {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new InvalidQuery(key + " must be an integer: " + v);
        }
    }

    private static double parseDouble(String key, String v) throws InvalidQuery {
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new InvalidQuery(key + " must be a number: " + v);
        }
    }
}
