package io.github.dgstream;

import java.util.List;
import java.util.Objects;

/**
 * A mid-stream Flux {@code Configure} (protocol §B.2.3). Every field is optional: an unset field keeps its current
 * value; {@code keyterms} replaces the whole list ({@code List.of()} clears it). Values are validated like {@link
 * FluxOptions}.
 */
public final class FluxConfigure {
    private final Double eotThreshold;
    private final Double eagerEotThreshold;
    private final Integer eotTimeoutMs;
    private final List<String> keyterms;
    private final List<String> languageHints;

    private FluxConfigure(Builder b) {
        this.eotThreshold = b.eotThreshold;
        this.eagerEotThreshold = b.eagerEotThreshold;
        this.eotTimeoutMs = b.eotTimeoutMs;
        this.keyterms = b.keyterms;
        this.languageHints = b.languageHints;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code null} = unchanged. */
    public Double eotThreshold() {
        return eotThreshold;
    }

    /** {@code null} = unchanged. */
    public Double eagerEotThreshold() {
        return eagerEotThreshold;
    }

    /** {@code null} = unchanged. */
    public Integer eotTimeoutMs() {
        return eotTimeoutMs;
    }

    /** {@code null} = unchanged; otherwise the complete new list. */
    public List<String> keyterms() {
        return keyterms;
    }

    /** {@code null} = unchanged; otherwise the complete new list (flux-general-multi only). */
    public List<String> languageHints() {
        return languageHints;
    }

    @Override
    public String toString() {
        return "FluxConfigure{eotThreshold=" + eotThreshold + ", eagerEotThreshold=" + eagerEotThreshold
                + ", eotTimeoutMs=" + eotTimeoutMs + ", keyterms=" + keyterms + ", languageHints=" + languageHints
                + '}';
    }

    /** Mutable, not thread-safe builder. */
    public static final class Builder {
        private Double eotThreshold;
        private Double eagerEotThreshold;
        private Integer eotTimeoutMs;
        private List<String> keyterms;
        private List<String> languageHints;

        private Builder() {}

        public Builder eotThreshold(double v) {
            FluxOptions.builder().eotThreshold(v); // same validation, same message
            this.eotThreshold = v;
            return this;
        }

        public Builder eagerEotThreshold(double v) {
            FluxOptions.builder().eagerEotThreshold(v);
            this.eagerEotThreshold = v;
            return this;
        }

        public Builder eotTimeoutMs(int ms) {
            FluxOptions.builder().eotTimeoutMs(ms);
            this.eotTimeoutMs = ms;
            return this;
        }

        public Builder keyterms(List<String> terms) {
            Objects.requireNonNull(terms, "keyterms");
            FluxOptions.Builder check = FluxOptions.builder();
            terms.forEach(check::keyterm);
            this.keyterms = List.copyOf(terms);
            return this;
        }

        public Builder languageHints(List<String> tags) {
            Objects.requireNonNull(tags, "languageHints");
            FluxOptions.Builder check = FluxOptions.builder();
            tags.forEach(check::languageHint);
            this.languageHints = List.copyOf(tags);
            return this;
        }

        /**
         * @throws IllegalStateException if nothing is set, or both thresholds are set and eager exceeds eot
         */
        public FluxConfigure build() {
            if (eotThreshold == null
                    && eagerEotThreshold == null
                    && eotTimeoutMs == null
                    && keyterms == null
                    && languageHints == null) {
                throw new IllegalStateException("a Configure must set at least one field");
            }
            if (eotThreshold != null && eagerEotThreshold != null && eagerEotThreshold > eotThreshold) {
                throw new IllegalStateException("eager_eot_threshold (" + eagerEotThreshold
                        + ") must not exceed eot_threshold (" + eotThreshold + ")");
            }
            return new FluxConfigure(this);
        }
    }
}
