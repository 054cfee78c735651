package io.github.dgstream.cli;

import io.github.dgstream.emulator.DeepgramEmulator;
import java.net.URI;

/**
 * Where {@code transcribe} connects: {@code --url} if given, else real Deepgram when {@code DEEPGRAM_API_KEY} is set,
 * else an embedded emulator on a free loopback port. The key itself is never printed.
 */
final class Target implements AutoCloseable {
    static final URI DEEPGRAM = URI.create("wss://api.deepgram.com");
    /** Any non-empty credential works with the emulator; this one is not a secret. */
    private static final String EMULATOR_KEY = "dgstream-emulator";

    private final URI baseUrl;
    private final String apiKey;
    private final DeepgramEmulator emulator;

    private Target(URI baseUrl, String apiKey, DeepgramEmulator emulator) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.emulator = emulator;
    }

    static Target resolve(URI url, String envKey, double emulatorIdleTimeoutSeconds) {
        boolean haveKey = envKey != null && !envKey.isBlank();
        if (url != null) {
            String scheme = url.getScheme();
            if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
                throw new CliException(ExitCodes.USAGE, "--url must start with ws:// or wss://, not '" + url + "'");
            }
            return new Target(url, haveKey ? envKey : EMULATOR_KEY, null);
        }
        if (haveKey) {
            return new Target(DEEPGRAM, envKey, null);
        }
        DeepgramEmulator emulator = EmbeddedEmulator.start(0, emulatorIdleTimeoutSeconds);
        return new Target(URI.create(emulator.baseUrl()), EMULATOR_KEY, emulator);
    }

    URI baseUrl() {
        return baseUrl;
    }

    String apiKey() {
        return apiKey;
    }

    /** The embedded emulator, or {@code null} when connecting elsewhere. */
    DeepgramEmulator emulator() {
        return emulator;
    }

    boolean embedded() {
        return emulator != null;
    }

    boolean realDeepgram() {
        return DEEPGRAM.equals(baseUrl);
    }

    @Override
    public void close() {
        if (emulator != null) {
            emulator.close();
        }
    }
}
