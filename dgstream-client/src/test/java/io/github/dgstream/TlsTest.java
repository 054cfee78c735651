package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.dgstream.emulator.DeepgramEmulator;
import io.github.dgstream.emulator.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wss://}: the default client verifies the certificate chain and the host name; a custom {@link SSLContext}
 * trusting a self-signed certificate connects; a trusted certificate for another host is still refused; and no code
 * in the library trusts all certificates.
 */
@Timeout(120)
class TlsTest {
    static final String PASSWORD = "changeit";

    @TempDir
    Path dir;

    /** A self-signed certificate for {@code sans}, as a PKCS12 key store. */
    KeyStore selfSigned(String name, String sans) throws Exception {
        return TestCertificates.selfSigned(dir.resolve(name + ".p12"), name, sans, PASSWORD);
    }

    static SSLContext trusting(KeyStore server) throws Exception {
        return TestCertificates.trusting(server);
    }

    static Throwable startAgainst(DeepgramClient client) {
        ListenWebSocketClient c = client.listen().live().v("1");
        c.configureReconnection(ReconnectionConfig.builder()
                .enabled(true)
                .initialDelayMs(10)
                .maxDelayMs(20)
                .build());
        return catchThrowable(() -> c.start(Speech.options()));
    }

    @Test
    void defaultClientRefusesASelfSignedCertificateWithAClearFatalError() throws Exception {
        try (DeepgramEmulator dg = DeepgramEmulator.builder()
                        .tls(selfSigned("dg", "ip:127.0.0.1"), PASSWORD)
                        .start();
                DeepgramClient client = DeepgramClient.builder()
                        .apiKey("tls-secret-key")
                        .baseUrl(URI.create(dg.baseUrl()))
                        .build()) {
            assertThat(dg.baseUrl()).startsWith("wss://");
            Throwable t = startAgainst(client);
            assertThat(t).isInstanceOf(DeepgramException.class);
            DeepgramException e = (DeepgramException) t;
            assertThat(e.isRetryable()).as("no retry can fix a certificate").isFalse();
            assertThat(e.getMessage())
                    .contains("TLS certificate verification failed")
                    .doesNotContain("tls-secret-key");
            assertThat(dg.connectionCount())
                    .as("no handshake reached the server")
                    .isZero();
        }
    }

    @Test
    void customSslContextTrustingTheCertificateConnects() throws Exception {
        KeyStore ks = selfSigned("dg", "ip:127.0.0.1");
        try (DeepgramEmulator dg = DeepgramEmulator.builder().tls(ks, PASSWORD).start();
                DeepgramClient client = DeepgramClient.builder()
                        .apiKey("test-key")
                        .baseUrl(URI.create(dg.baseUrl()))
                        .sslContext(trusting(ks))
                        .build()) {
            Driver d = Driver.create(Driver.Kind.BLOCKING, client);
            d.start(Speech.options());
            d.stream(Speech.AUDIO, Speech.BYTES_PER_SECOND, 0);
            d.finish();
            assertThat(d.state()).isEqualTo(SessionState.CLOSED);
            assertThat(d.log.finalWordTexts()).isEqualTo(Speech.WORDS);
        }
    }

    @Test
    void trustedCertificateForAnotherHostIsRefused() throws Exception {
        KeyStore ks = selfSigned("other", "dns:other.example");
        try (DeepgramEmulator dg = DeepgramEmulator.builder().tls(ks, PASSWORD).start();
                DeepgramClient client = DeepgramClient.builder()
                        .apiKey("test-key")
                        .baseUrl(URI.create(dg.baseUrl()))
                        .sslContext(trusting(ks))
                        .build()) {
            Throwable t = startAgainst(client);
            assertThat(t).isInstanceOf(DeepgramException.class);
            assertThat(((DeepgramException) t).isRetryable()).isFalse();
            assertThat(t.getMessage()).contains("TLS certificate verification failed");
        }
    }

    @Test
    void noCodeTrustsAllCertificates() throws IOException {
        List<Path> roots = List.of(
                Path.of("src/main/java"),
                Path.of("../dgstream-cli/src/main/java"),
                Path.of("../dgstream-emulator/src/main/java"));
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String src = Files.readString(f);
                    assertThat(src)
                            .as(f.toString())
                            .doesNotContain("X509TrustManager")
                            .doesNotContain("TrustManager[]")
                            .doesNotContain("HostnameVerifier")
                            .doesNotContain("disableHostnameVerification")
                            .doesNotContain("InsecureTrustManagerFactory")
                            .doesNotContain("setTrustAll");
                }
            }
        }
    }
}
