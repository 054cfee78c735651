package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.dgstream.emulator.DeepgramEmulator;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The API key and tokens never appear in exception messages or events, whatever the user passes. */
@Timeout(60)
class SecretsTest {
    static final String KEY = "dg-secret-key-5f1e";
    static final String TOKEN = "dg-secret-token-77aa";

    @Test
    void apiKeyWithALineBreakIsRejectedWithoutEchoingIt() {
        // before: accepted, then the JDK refused the header with "invalid header value: "Token <key>..."",
        // which reached the DeepgramException, the ErrorEvent and the debug log
        for (String bad : new String[] {KEY + "\n", KEY + "\r\nX-Evil: 1", " " + KEY, KEY + "\u00e9"}) {
            Throwable t = catchThrowable(() -> DeepgramClient.builder().apiKey(bad));
            assertThat(t).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("apiKey");
            assertThat(t.getMessage()).doesNotContain(KEY);
        }
    }

    @Test
    void tokenWithALineBreakFailsTheSessionWithoutLeakingIt() throws Exception {
        try (DeepgramEmulator dg = DeepgramEmulator.builder().start();
                DeepgramClient client = DeepgramClient.builder()
                        .accessTokenProvider(() -> TOKEN + "\n")
                        .baseUrl(URI.create(dg.baseUrl()))
                        .build()) {
            ListenWebSocketClient c = client.listen().live().v("1");
            EventLog log = new EventLog();
            log.attach(c);
            Throwable t = catchThrowable(() -> c.start(Speech.options()));
            assertThat(t).isInstanceOf(DeepgramException.class);
            assertThat(((DeepgramException) t).kind()).isEqualTo(DeepgramException.Kind.CLIENT);
            assertThat(t.getMessage())
                    .contains("token from accessTokenProvider")
                    .doesNotContain(TOKEN);
            assertNoSecret(t);
            assertThat(dg.connectionCount()).as("nothing was sent").isZero();
        }
    }

    /** The whole cause chain of {@code t}: messages and {@code toString()}. */
    static void assertNoSecret(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            assertThat(String.valueOf(c.getMessage())).doesNotContain(KEY).doesNotContain(TOKEN);
            assertThat(c.toString()).doesNotContain(KEY).doesNotContain(TOKEN);
        }
    }
}
