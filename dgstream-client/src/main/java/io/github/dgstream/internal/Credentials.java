package io.github.dgstream.internal;

import java.util.Objects;
import java.util.function.Supplier;

/** The handshake credential: a static API key or a token provider called on every handshake. Never printed. */
public final class Credentials {
    private final String apiKey;
    private final Supplier<String> tokenProvider;

    private Credentials(String apiKey, Supplier<String> tokenProvider) {
        this.apiKey = apiKey;
        this.tokenProvider = tokenProvider;
    }

    public static Credentials apiKey(String key) {
        return new Credentials(check("apiKey", Objects.requireNonNull(key, "apiKey")), null);
    }

    /**
     * Checks that a credential can go into an HTTP header as is: non-empty, visible ASCII only (no whitespace or
     * control characters, e.g. a newline read from a file). Otherwise the JDK rejects the header with a message that
     * quotes the whole value, which would leak it into exceptions and logs. The message never contains the value.
     *
     * @throws IllegalArgumentException naming {@code field}
     */
    public static String check(String field, String value) {
        if (value.isEmpty()) {
            throw new InvalidCredential(field + " must not be empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch < 0x21 || ch > 0x7e) {
                throw new InvalidCredential(field + " must contain only visible ASCII characters (no"
                        + " whitespace, line breaks or control characters); found one at index " + i
                        + " (value not shown)");
            }
        }
        return value;
    }

    public static Credentials tokenProvider(Supplier<String> provider) {
        return new Credentials(null, Objects.requireNonNull(provider, "accessTokenProvider"));
    }

    /** True when a 401 may be cured by asking the provider again. */
    public boolean refreshable() {
        return tokenProvider != null;
    }

    /** The {@code Authorization} header value for the next handshake (calls the provider). */
    public String authorizationHeader() {
        if (apiKey != null) {
            return "Token " + apiKey;
        }
        String token = tokenProvider.get();
        if (token == null || token.isBlank()) {
            throw new IllegalStateException("accessTokenProvider returned no token");
        }
        check("the token from accessTokenProvider", token);
        return "Bearer " + token;
    }

    /** A malformed credential; the message names the field and never contains the value. */
    public static final class InvalidCredential extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidCredential(String message) {
            super(message);
        }
    }

    @Override
    public String toString() {
        return apiKey != null ? "Credentials{apiKey=****}" : "Credentials{accessTokenProvider}";
    }
}
