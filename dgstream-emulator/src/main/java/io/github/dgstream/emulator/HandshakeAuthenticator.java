package io.github.dgstream.emulator;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Handshake authentication (protocol doc §0.1): {@code Authorization: Token <key>} / {@code Bearer <jwt>} (scheme
 * case-insensitive), or the {@code Sec-WebSocket-Protocol} pair {@code token, <key>} / {@code bearer, <jwt>}.
 */
final class HandshakeAuthenticator {
    /** A presented credential; {@code scheme} is {@code token} or {@code bearer}. */
    record Credential(String scheme, String value, boolean viaSubprotocol) {}

    private final Set<String> keys; // null = any non-empty
    private final Set<String> tokens; // null = any non-empty
    private final Set<String> used = ConcurrentHashMap.newKeySet();
    private volatile boolean singleUse;

    HandshakeAuthenticator(Set<String> keys, Set<String> tokens, boolean singleUse) {
        this.keys = keys == null ? null : Set.copyOf(keys);
        this.tokens = tokens == null ? null : Set.copyOf(tokens);
        this.singleUse = singleUse;
    }

    void singleUse(boolean on) {
        this.singleUse = on;
    }

    /** The credential in the header, else in the subprotocols, else null. */
    static Credential extract(String authorization, List<String> subprotocols) {
        if (authorization != null && !authorization.isBlank()) {
            String trimmed = authorization.trim();
            int sp = indexOfWhitespace(trimmed);
            if (sp < 0) {
                return null;
            }
            String scheme = trimmed.substring(0, sp).toLowerCase(Locale.ROOT);
            String value = trimmed.substring(sp + 1).trim();
            if ((scheme.equals("token") || scheme.equals("bearer")) && !value.isEmpty()) {
                return new Credential(scheme, value, false);
            }
            return null;
        }
        if (subprotocols != null) {
            for (int i = 0; i + 1 < subprotocols.size(); i++) {
                String p = subprotocols.get(i).trim().toLowerCase(Locale.ROOT);
                String value = subprotocols.get(i + 1).trim();
                if ((p.equals("token") || p.equals("bearer")) && !value.isEmpty()) {
                    return new Credential(p, value, true);
                }
            }
        }
        return null;
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Null when accepted, else a 401. Does not mark the credential used; call {@link #markUsed} on upgrade. */
    Refusal check(Credential c) {
        if (c == null) {
            return Refusal.of(401);
        }
        boolean restricted = keys != null || tokens != null;
        Set<String> allowed = c.scheme().equals("token") ? keys : tokens;
        if (restricted && (allowed == null || !allowed.contains(c.value()))) {
            return Refusal.of(401);
        }
        if (singleUse && used.contains(usedKey(c))) {
            return Refusal.of(401);
        }
        return null;
    }

    void markUsed(Credential c) {
        if (c != null) {
            used.add(usedKey(c));
        }
    }

    private static String usedKey(Credential c) {
        return c.scheme() + " " + c.value();
    }
}
