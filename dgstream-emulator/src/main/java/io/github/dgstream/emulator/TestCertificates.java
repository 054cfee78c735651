package io.github.dgstream.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Throwaway TLS material for serving {@code wss://} from the emulator ({@link DeepgramEmulator.Builder#tls}) in tests
 * and benchmarks: a self-signed certificate made with the running JDK's {@code keytool}, and a client {@link
 * SSLContext} that trusts exactly it. Never for production.
 */
public final class TestCertificates {
    private TestCertificates() {}

    /**
     * Makes a self-signed EC P-256 certificate with its key, valid for 7 days, in a new PKCS12 file, and loads it.
     *
     * @param file where the key store is written (must not exist)
     * @param name the alias and the subject's CN
     * @param subjectAltNames keytool's SAN syntax, e.g. {@code ip:127.0.0.1} or {@code dns:localhost,ip:127.0.0.1}
     * @param password protects the store and the key
     * @throws IllegalStateException if keytool fails (its output is in the message)
     */
    public static KeyStore selfSigned(Path file, String name, String subjectAltNames, String password)
            throws IOException, InterruptedException {
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Path log = Files.createTempFile("keytool", ".log");
        Process p = new ProcessBuilder(
                        keytool,
                        "-genkeypair",
                        "-alias",
                        name,
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=" + name,
                        "-ext",
                        "SAN=" + subjectAltNames,
                        "-validity",
                        "7",
                        "-keystore",
                        file.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        password,
                        "-keypass",
                        password)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile()) // a file, not a pipe: reading a pipe would wait without a bound
                .start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("keytool did not finish within 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed (" + p.exitValue() + "): "
                        + Files.readString(log, StandardCharsets.UTF_8).trim());
            }
        } finally {
            Files.deleteIfExists(log);
        }
        return load(file, password);
    }

    /**
     * Loads a PKCS12 key store.
     *
     * @throws IllegalArgumentException if the file cannot be read or is not a PKCS12 store with that password
     */
    public static KeyStore load(Path file, String password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore k = KeyStore.getInstance("PKCS12");
            k.load(in, password.toCharArray());
            return k;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot load " + file + " as a PKCS12 key store: " + e.getMessage(), e);
        }
    }

    /** A client TLS context that trusts exactly the certificates of {@code keyStore} (the server's own store). */
    public static SSLContext trusting(KeyStore keyStore) throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        for (String alias : Collections.list(keyStore.aliases())) {
            trust.setCertificateEntry(alias, keyStore.getCertificate(alias));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }
}
