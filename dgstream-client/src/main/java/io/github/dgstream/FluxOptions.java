package io.github.dgstream;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Immutable query options of a Flux connection ({@code /v2/listen}, protocol §B.1). Every setter validates its value
 * and names the field; {@link Builder#build()} checks cross-field rules. Repeatable options ({@code keyterm}, {@code
 * language_hint}, {@code tag}) are written as repeated query keys. Flux audio is mono; the byte rate (needed for the
 * timebase and replay) comes from {@code encoding} and {@code sample_rate}.
 */
public final class FluxOptions {
    static final Set<String> MODELS = Set.of("flux-general-en", "flux-general-multi");
    static final Set<String> ENCODINGS = Set.of("linear16", "linear32", "mulaw", "alaw", "opus", "ogg-opus");
    static final Set<Integer> SAMPLE_RATES = Set.of(8000, 16000, 24000, 44100, 48000);
    static final Pattern BCP47 = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*");

    private final Map<String, List<String>> params;

    private FluxOptions(Map<String, List<String>> params) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.params = Collections.unmodifiableMap(copy);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        params.forEach((k, v) -> b.params.put(k, new ArrayList<>(v)));
        return b;
    }

    /** The query parameters in a stable order, one entry per URL occurrence (repeated keys repeat). */
    public List<Map.Entry<String, String>> queryParameters() {
        return QueryParams.entries(params);
    }

    /** The single value of {@code name}, or {@code null}. */
    public String get(String name) {
        return QueryParams.first(params, name);
    }

    /** All values of {@code name} (empty if unset). */
    public List<String> getAll(String name) {
        return params.getOrDefault(name, List.of());
    }

    public String model() {
        return get("model");
    }

    public String encoding() {
        return get("encoding");
    }

    /** Sample rate in Hz, or 0 when unset (containerised audio). */
    public int sampleRate() {
        String v = get("sample_rate");
        return v == null ? 0 : Integer.parseInt(v);
    }

    /**
     * A copy with the settings a {@link FluxEvent.ConfigureSuccess} reported as now in effect (thresholds, keyterms,
     * language hints), so that a new socket opens with the current settings.
     */
    public FluxOptions withApplied(FluxEvent.ConfigureSuccess s) {
        Map<String, List<String>> p = new LinkedHashMap<>(params);
        p.put("eot_threshold", List.of(num(s.eotThreshold())));
        if (s.eagerEotThreshold() != null) {
            p.put("eager_eot_threshold", List.of(num(s.eagerEotThreshold())));
        } else {
            p.remove("eager_eot_threshold");
        }
        p.put("eot_timeout_ms", List.of(Integer.toString(s.eotTimeoutMs())));
        p.put("keyterm", s.keyterms());
        if (!s.languageHints().isEmpty() || p.containsKey("language_hint")) {
            p.put("language_hint", s.languageHints());
        }
        p.values().removeIf(List::isEmpty);
        return new FluxOptions(p);
    }

    static String num(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    @Override
    public String toString() {
        return "FluxOptions" + params;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FluxOptions f && f.params.equals(params);
    }

    @Override
    public int hashCode() {
        return params.hashCode();
    }

    /** Mutable, not thread-safe builder. Default model: {@code flux-general-en}. */
    public static final class Builder {
        private final Map<String, List<String>> params = new LinkedHashMap<>();

        private Builder() {
            params.put("model", new ArrayList<>(List.of("flux-general-en")));
        }

        private Builder set(String k, String v) {
            params.put(k, new ArrayList<>(List.of(v)));
            return this;
        }

        private Builder add(String k, String v) {
            params.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            return this;
        }

        /** {@code flux-general-en} or {@code flux-general-multi}. */
        public Builder model(String model) {
            Objects.requireNonNull(model, "model");
            if (!MODELS.contains(model)) {
                throw new IllegalArgumentException("model must be one of " + MODELS + ", was '" + model + "'");
            }
            return set("model", model);
        }

        /** Raw audio encoding: linear16, linear32, mulaw, alaw, opus, ogg-opus (omit for containerised audio). */
        public Builder encoding(String encoding) {
            Objects.requireNonNull(encoding, "encoding");
            if (!ENCODINGS.contains(encoding)) {
                throw new IllegalArgumentException("encoding must be one of " + ENCODINGS + ", was '" + encoding + "'");
            }
            return set("encoding", encoding);
        }

        /** 8000, 16000, 24000, 44100 or 48000 Hz (required with {@code encoding}). */
        public Builder sampleRate(int hz) {
            if (!SAMPLE_RATES.contains(hz)) {
                throw new IllegalArgumentException("sample_rate must be one of " + SAMPLE_RATES + ", was " + hz);
            }
            return set("sample_rate", Integer.toString(hz));
        }

        /** End-of-turn confidence threshold, 0.5..1.0 (default 0.7; 1.0 disables model end-of-turn). */
        public Builder eotThreshold(double v) {
            return set("eot_threshold", num(checkThreshold("eot_threshold", v, 0.5, 1.0)));
        }

        /** Eager end-of-turn threshold, 0.3..0.9; enables EagerEndOfTurn and TurnResumed. */
        public Builder eagerEotThreshold(double v) {
            return set("eager_eot_threshold", num(checkThreshold("eager_eot_threshold", v, 0.3, 0.9)));
        }

        /** A turn ends this long after speech regardless of confidence: 500..60000 ms (default 5000). */
        public Builder eotTimeoutMs(int ms) {
            if (ms < 500 || ms > 60_000) {
                throw new IllegalArgumentException("eot_timeout_ms must be between 500 and 60000, was " + ms);
            }
            return set("eot_timeout_ms", Integer.toString(ms));
        }

        /** Adds a key term (repeatable; plain text, no weight). */
        public Builder keyterm(String term) {
            Objects.requireNonNull(term, "keyterm");
            if (term.isBlank()) {
                throw new IllegalArgumentException("keyterm must not be blank");
            }
            return add("keyterm", term);
        }

        /** Adds a language hint (repeatable BCP-47 tag; flux-general-multi only). */
        public Builder languageHint(String tag) {
            Objects.requireNonNull(tag, "language_hint");
            if (!BCP47.matcher(tag).matches()) {
                throw new IllegalArgumentException("language_hint must be a BCP-47 language tag, was '" + tag + "'");
            }
            return add("language_hint", tag);
        }

        public Builder numerals(boolean on) {
            return set("numerals", Boolean.toString(on));
        }

        public Builder profanityFilter(boolean on) {
            return set("profanity_filter", Boolean.toString(on));
        }

        public Builder mipOptOut(boolean on) {
            return set("mip_opt_out", Boolean.toString(on));
        }

        /** {@code numbers} or {@code aggressive_numbers}. */
        public Builder redact(String mode) {
            if (!"numbers".equals(mode) && !"aggressive_numbers".equals(mode)) {
                throw new IllegalArgumentException(
                        "redact must be 'numbers' or 'aggressive_numbers', was '" + mode + "'");
            }
            return set("redact", mode);
        }

        /** Adds a usage tag (repeatable). */
        public Builder tag(String tag) {
            Objects.requireNonNull(tag, "tag");
            if (tag.isBlank()) {
                throw new IllegalArgumentException("tag must not be blank");
            }
            return add("tag", tag);
        }

        private static double checkThreshold(String field, double v, double min, double max) {
            if (!(v >= min && v <= max)) {
                throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", was " + v);
            }
            return v;
        }

        /** Builds the options; checks cross-field rules. */
        public FluxOptions build() {
            boolean enc = params.containsKey("encoding");
            boolean rate = params.containsKey("sample_rate");
            if (enc && !rate) {
                throw new IllegalStateException("sample_rate is required when encoding is set");
            }
            if (rate && !enc) {
                throw new IllegalStateException("sample_rate requires encoding (containerised audio carries its own)");
            }
            if (params.containsKey("language_hint")
                    && !"flux-general-multi".equals(params.get("model").get(0))) {
                throw new IllegalStateException("language_hint is only supported with model flux-general-multi");
            }
            List<String> eager = params.get("eager_eot_threshold");
            if (eager != null) {
                List<String> eot = params.get("eot_threshold");
                double e = eot == null ? 0.7 : Double.parseDouble(eot.get(0));
                if (Double.parseDouble(eager.get(0)) > e) {
                    throw new IllegalStateException(
                            "eager_eot_threshold (" + eager.get(0) + ") must not exceed eot_threshold (" + e + ")");
                }
            }
            return new FluxOptions(params);
        }
    }
}
