package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.dgstream.emulator.ConnectionScript;
import io.github.dgstream.emulator.DeepgramEmulator;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Secrets never reach logs, {@code toString()} or exception messages. Runs in its own Surefire execution
 * ({@code secrets-log}, see the module pom) with every logger at TRACE written to one file, through faulty sessions:
 * refused handshakes (401, 429, 503), drops and reconnects, in-band errors, token refresh after a 401. Then the
 * file, every event's {@code toString()}, every exception's message chain and every public object's
 * {@code toString()} are searched for the key and each token. (Jetty, which runs the emulator in this JVM, is kept
 * at INFO: its debug output of request headers is the emulator's, not the client's.)
 */
@Timeout(120)
class SecretsLogTest {
    static final String KEY = "dg-secret-key-9c1b3f";
    static final String TOKEN_PREFIX = "dg-secret-token-";

    static {
        // slf4j-simple opens the file when the first logger is created; make sure its directory exists by then
        String file = System.getProperty("org.slf4j.simpleLogger.logFile");
        if (file != null) {
            try {
                Files.createDirectories(Path.of(file).getParent());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    final List<Object> seen = new ArrayList<>();

    @Test
    void keyAndTokensNeverAppearInLogsToStringOrExceptions() throws Exception {
        String file = System.getProperty("org.slf4j.simpleLogger.logFile");
        Assumptions.assumeTrue(file != null, "run by the secrets-log execution");
        org.slf4j.LoggerFactory.getLogger(SecretsLogTest.class).trace("capture started");
        List<String> tokens = new ArrayList<>();

        try (DeepgramEmulator dg = DeepgramEmulator.builder().acceptedKeys(KEY).start()) {
            URI base = URI.create(dg.baseUrl());
            // 1. static key: 429, 503, then a drop, an in-band error and a 1011 close, each reconnected
            try (DeepgramClient client =
                    DeepgramClient.builder().apiKey(KEY).baseUrl(base).build()) {
                seen.add(client);
                int i = dg.connectionCount();
                dg.script(i, ConnectionScript.refuse(429));
                dg.script(i + 1, ConnectionScript.refuse(503));
                dg.script(i + 2, ConnectionScript.dropAfter(1.0));
                dg.script(i + 3, ConnectionScript.errorAfter(1.0, "scripted"));
                dg.script(i + 4, ConnectionScript.closeAfter(1.0, 1011, "NET-0000 scripted"));
                Driver d = stream(client, Driver.Kind.BLOCKING);
                assertThat(d.log.finalWordTexts()).isEqualTo(Speech.WORDS);
                assertThat(d.log.of(Reconnecting.class)).hasSizeGreaterThanOrEqualTo(5);
                // 2. a refused key (401 is fatal for a static key)
                dg.script(dg.connectionCount(), ConnectionScript.refuse(401));
                Driver refused = Driver.create(Driver.Kind.ASYNC, client);
                seen.add(refused.log);
                seen.add(catchThrowable(() -> refused.start(Speech.options())));
            }
        }
        // 3. tokens: single-use credentials force a 401 and a refresh on every reconnect
        try (DeepgramEmulator dg =
                DeepgramEmulator.builder().singleUseCredentials(true).start()) {
            AtomicInteger n = new AtomicInteger();
            try (DeepgramClient client = DeepgramClient.builder()
                    .accessTokenProvider(() -> {
                        String t = TOKEN_PREFIX + n.incrementAndGet();
                        tokens.add(t);
                        return t;
                    })
                    .baseUrl(URI.create(dg.baseUrl()))
                    .build()) {
                seen.add(client);
                dg.script(0, ConnectionScript.dropAfter(1.5));
                Driver d = stream(client, Driver.Kind.ASYNC);
                assertThat(d.log.finalWordTexts()).isEqualTo(Speech.WORDS);
                // 4. the provider keeps returning a used token: 401 after one refresh is fatal
                Driver stale = Driver.create(
                        Driver.Kind.BLOCKING,
                        DeepgramClient.builder()
                                .accessTokenProvider(() -> TOKEN_PREFIX + "1")
                                .baseUrl(URI.create(dg.baseUrl()))
                                .build());
                seen.add(stale.log);
                seen.add(catchThrowable(() -> stale.start(Speech.options())));
            }
        }
        assertThat(tokens).hasSizeGreaterThanOrEqualTo(2);
        List<String> secrets = new ArrayList<>(tokens);
        secrets.add(KEY);
        secrets.add(TOKEN_PREFIX); // catches any token, including the stale one

        String log = Files.readString(Path.of(file));
        assertThat(log)
                .as("the capture is at TRACE and saw the faults")
                .contains("lost")
                .contains("429");
        for (String s : secrets) {
            assertThat(log).as("log file %s", file).doesNotContain(s);
        }
        for (Object o : seen) {
            assertNoSecret(o, secrets);
        }
        for (Object o : List.of(
                LiveOptions.builder().model("nova-3").build(),
                ReconnectionConfig.defaults(),
                LivenessConfig.defaults(),
                ReplayPolicy.capped(3),
                DeepgramClient.builder().apiKey(KEY).build(),
                DeepgramClient.builder().apiKey(KEY).build().listen().live().v("1"),
                DeepgramClient.builder()
                        .apiKey(KEY)
                        .build()
                        .listen()
                        .asyncLive()
                        .v("1"))) {
            assertNoSecret(o, secrets);
        }
    }

    Driver stream(DeepgramClient client, Driver.Kind kind) throws InterruptedException {
        Driver d = Driver.create(kind, client);
        seen.add(d.log);
        d.configure(RetryableFaultsTest.reconnection(), RetryableFaultsTest.liveness());
        d.start(Speech.options());
        d.stream(Speech.AUDIO, Speech.BYTES_PER_SECOND, 0);
        d.finish();
        return d;
    }

    static void assertNoSecret(Object o, List<String> secrets) {
        if (o == null) {
            return;
        }
        List<String> texts = new ArrayList<>();
        texts.add(o.toString());
        if (o instanceof EventLog log) {
            for (StreamEvent e : log.events) {
                texts.add(e.toString());
                Throwable t = e instanceof ErrorEvent ee
                        ? ee.error()
                        : e instanceof Reconnecting r ? r.cause() : e instanceof ReconnectFailed f ? f.cause() : null;
                for (Throwable c = t; c != null; c = c.getCause()) {
                    texts.add(c.toString());
                    texts.add(String.valueOf(c.getMessage()));
                }
            }
        }
        if (o instanceof Throwable t) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                texts.add(c.toString());
            }
        }
        for (String text : texts) {
            for (String s : secrets) {
                assertThat(text).doesNotContain(s);
            }
        }
    }
}
