package io.github.dgstream;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Immutable query options of a v1 live connection (protocol §A.1). Every setter validates its value and names the
 * field in the message; {@link Builder#build()} checks cross-field rules. Repeatable options ({@code keyterm},
 * {@code keywords}, {@code redact}, {@code replace}, {@code search}, {@code tag}, {@code extra}) are written as
 * repeated query keys, never joined; booleans are lower case.
 *
 * <p>The audio byte rate, which the timebase and replay need, comes from {@code encoding}, {@code sample_rate} and
 * {@code channels}: linear16 = 2 bytes per sample, linear32 = 4, mulaw/alaw = 1. Other encodings (or none, for
 * containerised audio) have no fixed byte rate; see the README for what that means for replay.
 */
public final class LiveOptions {
    static final Set<String> ENCODINGS = Set.of(
            "linear16", "linear32", "flac", "alaw", "mulaw", "amr-nb", "amr-wb", "opus", "ogg-opus", "speex", "g729");
    private static final Set<String> REDACT = Set.of("true", "false", "pci", "numbers", "aggressive_numbers", "ssn");
    private static final Set<String> CALLBACK_METHODS = Set.of("POST", "GET", "PUT", "DELETE");
    private static final Set<String> DIARIZE_MODELS = Set.of("latest", "v1");

    private final Map<String, List<String>> params;

    private LiveOptions(Map<String, List<String>> params) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.params = Collections.unmodifiableMap(copy);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().options(this);
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

    public String encoding() {
        return get("encoding");
    }

    /** Sample rate in Hz, or 0 when unset. */
    public int sampleRate() {
        String v = get("sample_rate");
        return v == null ? 0 : Integer.parseInt(v);
    }

    /** Channel count (default 1). */
    public int channels() {
        String v = get("channels");
        return v == null ? 1 : Integer.parseInt(v);
    }

    public boolean multichannel() {
        return "true".equals(get("multichannel"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LiveOptions l && l.params.equals(params);
    }

    @Override
    public int hashCode() {
        return params.hashCode();
    }

    @Override
    public String toString() {
        return "LiveOptions" + params;
    }

    /** Mutable, not thread-safe builder of {@link LiveOptions}. */
    public static final class Builder extends QueryBuilder<Builder> {
        private Builder() {}

        @Override
        Builder self() {
            return this;
        }

        /** Builds the options, checking cross-field rules. */
        public LiveOptions build() {
            return buildQuery();
        }
    }

    /**
     * The query setters shared by {@link Builder} and {@link StreamingOptions.Builder} (one implementation, one set of
     * validation rules). Not extensible outside this package.
     *
     * @param <B> the concrete builder type
     */
    public abstract static class QueryBuilder<B extends QueryBuilder<B>> {
        private final Map<String, List<String>> params = new LinkedHashMap<>();

        QueryBuilder() {}

        abstract B self();

        /** Replaces every query option with those of {@code options}. */
        public B options(LiveOptions options) {
            Objects.requireNonNull(options, "options");
            params.clear();
            options.params.forEach((k, v) -> params.put(k, new ArrayList<>(v)));
            return self();
        }

        private B set(String key, String value) {
            params.put(key, new ArrayList<>(List.of(value)));
            return self();
        }

        private B add(String key, String value) {
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            return self();
        }

        private static String nonBlank(String field, String value) {
            Objects.requireNonNull(value, field);
            if (value.isBlank()) {
                throw new IllegalArgumentException(field + " must not be blank");
            }
            return value;
        }

        private static String token(String field, String value) {
            nonBlank(field, value);
            if (value.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(field + " must not contain whitespace, was '" + value + "'");
            }
            return value;
        }

        private static int positive(String field, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(field + " must be > 0, was " + value);
            }
            return value;
        }

        /** {@code model}, e.g. {@code nova-3}. */
        public B model(String model) {
            return set("model", token("model", model));
        }

        /** {@code language}, a BCP-47 tag or {@code multi}; e.g. {@code en}, {@code en-US}. */
        public B language(String language) {
            token("language", language);
            if (!language.matches("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")) {
                throw new IllegalArgumentException(
                        "language must be a BCP-47 tag such as 'en' or 'en-US', was '" + language + "'");
            }
            return set("language", language);
        }

        public B version(String version) {
            return set("version", token("version", version));
        }

        /** {@code encoding}: one of linear16, linear32, flac, alaw, mulaw, amr-nb, amr-wb, opus, ogg-opus, ... */
        public B encoding(String encoding) {
            token("encoding", encoding);
            if (!ENCODINGS.contains(encoding)) {
                throw new IllegalArgumentException(
                        "encoding must be one of " + new java.util.TreeSet<>(ENCODINGS) + ", was '" + encoding + "'");
            }
            return set("encoding", encoding);
        }

        public B sampleRate(int hz) {
            return set("sample_rate", Integer.toString(positive("sampleRate", hz)));
        }

        public B channels(int channels) {
            return set("channels", Integer.toString(positive("channels", channels)));
        }

        public B multichannel(boolean v) {
            return set("multichannel", Boolean.toString(v));
        }

        public B interimResults(boolean v) {
            return set("interim_results", Boolean.toString(v));
        }

        /** {@code endpointing} in milliseconds (>= 0). */
        public B endpointing(int ms) {
            if (ms < 0) {
                throw new IllegalArgumentException("endpointing must be >= 0 ms, was " + ms);
            }
            return set("endpointing", Integer.toString(ms));
        }

        /** {@code endpointing=false}: no speech_final detection. */
        public B endpointingDisabled() {
            return set("endpointing", "false");
        }

        /** {@code utterance_end_ms}; requires {@code interimResults(true)}. */
        public B utteranceEndMs(int ms) {
            return set("utterance_end_ms", Integer.toString(positive("utteranceEndMs", ms)));
        }

        public B vadEvents(boolean v) {
            return set("vad_events", Boolean.toString(v));
        }

        public B punctuate(boolean v) {
            return set("punctuate", Boolean.toString(v));
        }

        public B smartFormat(boolean v) {
            return set("smart_format", Boolean.toString(v));
        }

        public B diarize(boolean v) {
            return set("diarize", Boolean.toString(v));
        }

        /** {@code diarize_model}: {@code latest} or {@code v1}. */
        public B diarizeModel(String v) {
            Objects.requireNonNull(v, "diarizeModel");
            if (!DIARIZE_MODELS.contains(v)) {
                throw new IllegalArgumentException("diarizeModel must be one of [latest, v1], was '" + v + "'");
            }
            return set("diarize_model", v);
        }

        /** Adds one {@code keyterm} (repeatable; Nova-3 only). */
        public B keyterm(String term) {
            return add("keyterm", nonBlank("keyterm", term));
        }

        public B keyterms(List<String> terms) {
            Objects.requireNonNull(terms, "keyterms").forEach(this::keyterm);
            return self();
        }

        /** Adds one {@code keywords} entry, {@code word} or {@code word:intensifier} (repeatable). */
        public B keyword(String keyword) {
            return add("keywords", nonBlank("keywords", keyword));
        }

        public B numerals(boolean v) {
            return set("numerals", Boolean.toString(v));
        }

        public B profanityFilter(boolean v) {
            return set("profanity_filter", Boolean.toString(v));
        }

        public B dictation(boolean v) {
            return set("dictation", Boolean.toString(v));
        }

        public B detectEntities(boolean v) {
            return set("detect_entities", Boolean.toString(v));
        }

        public B fillerWords(boolean v) {
            return set("filler_words", Boolean.toString(v));
        }

        public B mipOptOut(boolean v) {
            return set("mip_opt_out", Boolean.toString(v));
        }

        public B noDelay(boolean v) {
            return set("no_delay", Boolean.toString(v));
        }

        /** Adds one {@code redact} value: true, false, pci, numbers, aggressive_numbers, ssn (repeatable). */
        public B redact(String v) {
            Objects.requireNonNull(v, "redact");
            if (!REDACT.contains(v)) {
                throw new IllegalArgumentException(
                        "redact must be one of " + new java.util.TreeSet<>(REDACT) + ", was '" + v + "'");
            }
            return add("redact", v);
        }

        /** Adds one {@code replace} entry {@code term:replacement} (repeatable). */
        public B replace(String termColonReplacement) {
            nonBlank("replace", termColonReplacement);
            if (termColonReplacement.indexOf(':') <= 0) {
                throw new IllegalArgumentException(
                        "replace must be 'term:replacement', was '" + termColonReplacement + "'");
            }
            return add("replace", termColonReplacement);
        }

        /** Adds one {@code search} term (repeatable). */
        public B search(String term) {
            return add("search", nonBlank("search", term));
        }

        /** Adds one {@code tag} (repeatable, at most 128 characters). */
        public B tag(String tag) {
            nonBlank("tag", tag);
            if (tag.length() > 128) {
                throw new IllegalArgumentException("tag must be at most 128 characters, was " + tag.length());
            }
            return add("tag", tag);
        }

        /** Adds one {@code extra} entry {@code key:value} (repeatable). */
        public B extra(String keyColonValue) {
            nonBlank("extra", keyColonValue);
            if (keyColonValue.indexOf(':') <= 0) {
                throw new IllegalArgumentException("extra must be 'key:value', was '" + keyColonValue + "'");
            }
            return add("extra", keyColonValue);
        }

        /** {@code callback} URL (absolute http/https). */
        public B callback(String url) {
            nonBlank("callback", url);
            URI u;
            try {
                u = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("callback must be an absolute http(s) URL, was '" + url + "'");
            }
            if (!u.isAbsolute()
                    || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
                throw new IllegalArgumentException("callback must be an absolute http(s) URL, was '" + url + "'");
            }
            return set("callback", url);
        }

        /** {@code callback_method}: POST, GET, PUT or DELETE. */
        public B callbackMethod(String method) {
            if (method == null || !CALLBACK_METHODS.contains(method)) {
                throw new IllegalArgumentException(
                        "callbackMethod must be one of [POST, GET, PUT, DELETE], was '" + method + "'");
            }
            return set("callback_method", method);
        }

        /** Builds the query options, checking cross-field rules. */
        LiveOptions buildQuery() {
            if (params.containsKey("utterance_end_ms") && !"true".equals(first("interim_results"))) {
                throw new IllegalArgumentException("utteranceEndMs requires interimResults(true)");
            }
            String enc = first("encoding");
            if (enc != null && !params.containsKey("sample_rate")) {
                throw new IllegalArgumentException(
                        "sampleRate is required when encoding is set (encoding=" + enc + ")");
            }
            if (params.containsKey("callback_method") && !params.containsKey("callback")) {
                throw new IllegalArgumentException("callbackMethod requires callback");
            }
            return new LiveOptions(params);
        }

        private String first(String k) {
            List<String> v = params.get(k);
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }
}
