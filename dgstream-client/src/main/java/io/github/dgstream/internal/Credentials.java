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
        return new Credentials(Objects.requireNonNull(key, "apiKey"), null);
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
        return "Bearer " + token;
    }

    @Override
    public String toString() {
        return apiKey != null ? "Credentials{apiKey=****}" : "Credentials{accessTokenProvider}";
    }
}
