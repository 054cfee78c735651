package io.github.dgstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HandshakeTest {
    static final String RAW = "?encoding=linear16&sample_rate=16000";
    DeepgramEmulator dg;

    @BeforeEach
    void start() {
        dg = DeepgramEmulator.builder().start();
    }

    @AfterEach
    void stop() {
        dg.close();
    }

    /** Connects and expects a refusal; returns the handshake response. */
    static HttpResponse<?> refused(String url, Map<String, String> headers) {
        WebSocketHandshakeException e = catchThrowableOfType(
                WebSocketHandshakeException.class,
                () -> RawClient.connect(url, headers, List.of()).close());
        assertThat(e).as("handshake should be refused").isNotNull();
        return e.getResponse();
    }

    static JsonNode body(HttpResponse<?> r) throws Exception {
        return RawClient.JSON.readTree(String.valueOf(r.body()));
    }

    @Test
    void urls() {
        assertThat(dg.baseUrl()).isEqualTo("ws://127.0.0.1:" + dg.port());
        assertThat(dg.listenUrl()).isEqualTo(dg.baseUrl() + "/v1/listen");
        assertThat(dg.fluxUrl()).isEqualTo(dg.baseUrl() + "/v2/listen");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Token key-no-leak-1",
                "token key-no-leak-1",
                "TOKEN key-no-leak-1",
                "Bearer jwt.no-leak.y",
                "bearer jwt.no-leak.y"
            })
    void authorizationHeaderSchemesAreCaseInsensitive(String header) throws Exception {
        try (RawClient c = RawClient.connect(dg.listenUrl() + RAW, Map.of("Authorization", header), List.of())) {
            RecordedConnection rec = dg.takeConnection(RawClient.WAIT);
            assertThat(rec.upgradeStatus()).isEqualTo(101);
            assertThat(rec.credential()).contains(header.substring(header.indexOf(' ') + 1));
            assertThat(rec.authScheme())
                    .contains(header.substring(0, header.indexOf(' ')).toLowerCase());
            // Credentials long enough that a random Sec-WebSocket-Key cannot contain them by chance.
            assertThat(rec.toString()).doesNotContain("key-no-leak-1").doesNotContain("jwt.no-leak.y");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"token", "bearer"})
    void subprotocolPairIsAcceptedAndTheSchemeWordEchoed(String scheme) throws Exception {
        try (RawClient c = RawClient.connect(dg.listenUrl() + RAW, Map.of(), List.of(scheme, "secret-1"))) {
            assertThat(c.ws().getSubprotocol()).isEqualTo(scheme);
            RecordedConnection rec = dg.takeConnection(RawClient.WAIT);
            assertThat(rec.credential()).contains("secret-1");
            assertThat(rec.toString()).doesNotContain("secret-1");
        }
    }

    @Test
    void missingCredentialIs401WithHeadersAndBody() throws Exception {
        HttpResponse<?> r = refused(dg.listenUrl() + RAW, Map.of());
        assertThat(r.statusCode()).isEqualTo(401);
        JsonNode b = body(r);
        assertThat(b.path("err_code").asText()).isEqualTo("INVALID_AUTH");
        assertThat(b.path("err_msg").asText()).isEqualTo("Invalid credentials.");
        assertThat(r.headers().firstValue("dg-request-id"))
                .contains(b.path("request_id").asText());
        assertThat(r.headers().firstValue("dg-error")).contains("Invalid credentials.");
        RecordedConnection rec = dg.takeConnection(RawClient.WAIT);
        assertThat(rec.upgradeStatus()).isEqualTo(401);
        assertThat(rec.closedBy()).contains(ClosedBy.REFUSED);
        assertThat(rec.requestId()).isEqualTo(b.path("request_id").asText());
        assertThat(refused(dg.listenUrl() + RAW, Map.of("Authorization", "Basic abc"))
                        .statusCode())
                .isEqualTo(401);
        assertThat(refused(dg.fluxUrl() + "?model=flux-general-en", Map.of()).statusCode())
                .isEqualTo(401);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 402, 403, 429, 500, 503})
    void scriptedRefusalsCarryStatusHeadersAndBody(int status) throws Exception {
        dg.enqueue(ConnectionScript.refuse(status));
        HttpResponse<?> r = refused(dg.listenUrl() + RAW, Map.of("Authorization", "Token ok"));
        assertThat(r.statusCode()).isEqualTo(status);
        JsonNode b = body(r);
        assertThat(b.path("err_code").asText()).isEqualTo(Refusal.of(status).errCode());
        assertThat(b.path("err_msg").asText()).isEqualTo(Refusal.of(status).errMsg());
        assertThat(r.headers().firstValue("dg-error"))
                .contains(Refusal.of(status).errMsg());
        assertThat(r.headers().firstValue("dg-request-id"))
                .contains(b.path("request_id").asText());
        assertThat(r.headers().firstValue("content-type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    }

    @Test
    void documentedBodyCodes() {
        assertThat(Refusal.of(402).errCode()).isEqualTo("ASR_PAYMENT_REQUIRED");
        assertThat(Refusal.of(403).errCode()).isEqualTo("INSUFFICIENT_PERMISSIONS");
        assertThat(Refusal.of(429).errCode()).isEqualTo("TOO_MANY_REQUESTS");
    }

    @Test
    void upgradeResponseCarriesDgRequestId() throws Exception {
        try (Socket s = new Socket("127.0.0.1", dg.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /v1/listen" + RAW + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                            + "Sec-WebSocket-Version: 13\r\nAuthorization: Token raw\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            List<String> lines = new ArrayList<>();
            for (String l = in.readLine(); l != null && !l.isEmpty(); l = in.readLine()) {
                lines.add(l);
            }
            assertThat(lines.get(0)).contains("101");
            String id = lines.stream()
                    .filter(l -> l.toLowerCase().startsWith("dg-request-id:"))
                    .findFirst()
                    .orElseThrow()
                    .substring("dg-request-id:".length())
                    .trim();
            RecordedConnection rec = dg.connection(dg.connectionCount() - 1, RawClient.WAIT);
            assertThat(rec.requestId()).isEqualTo(id);
        }
    }

    @Test
    void restrictedKeysAndTokens() throws Exception {
        try (DeepgramEmulator strict = DeepgramEmulator.builder()
                .acceptedKeys("good-key")
                .acceptedTokens("good-jwt")
                .start()) {
            RawClient.connect(strict.listenUrl() + RAW, Map.of("Authorization", "Token good-key"), List.of())
                    .close();
            RawClient.connect(strict.listenUrl() + RAW, Map.of("Authorization", "Bearer good-jwt"), List.of())
                    .close();
            RawClient.connect(strict.listenUrl() + RAW, Map.of(), List.of("token", "good-key"))
                    .close();
            assertThat(refused(strict.listenUrl() + RAW, Map.of("Authorization", "Token bad"))
                            .statusCode())
                    .isEqualTo(401);
            assertThat(refused(strict.listenUrl() + RAW, Map.of("Authorization", "Bearer good-key"))
                            .statusCode())
                    .isEqualTo(401);
        }
        try (DeepgramEmulator keysOnly =
                DeepgramEmulator.builder().acceptedKeys("k").start()) {
            assertThat(refused(keysOnly.listenUrl() + RAW, Map.of("Authorization", "Bearer any"))
                            .statusCode())
                    .isEqualTo(401);
        }
    }

    @Test
    void singleUseCredentialIsRefusedTheSecondTime() throws Exception {
        try (DeepgramEmulator once =
                DeepgramEmulator.builder().singleUseCredentials(true).start()) {
            RawClient.connect(once.listenUrl() + RAW, Map.of("Authorization", "Bearer jwt-1"), List.of())
                    .close();
            HttpResponse<?> r = refused(once.listenUrl() + RAW, Map.of("Authorization", "Bearer jwt-1"));
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(body(r).path("err_code").asText()).isEqualTo("INVALID_AUTH");
            // a refreshed token works
            RawClient.connect(once.listenUrl() + RAW, Map.of("Authorization", "Bearer jwt-2"), List.of())
                    .close();
            assertThat(once.connections())
                    .extracting(RecordedConnection::upgradeStatus)
                    .containsExactly(101, 401, 101);
        }
    }

    @Test
    void concurrencyLimitGives429() throws Exception {
        try (DeepgramEmulator small =
                        DeepgramEmulator.builder().maxConnections(1).start();
                RawClient first = RawClient.connect(small.listenUrl() + RAW)) {
            assertThat(refused(small.listenUrl() + RAW, Map.of("Authorization", "Token x"))
                            .statusCode())
                    .isEqualTo(429);
            assertThat(small.activeConnections()).isEqualTo(1);
        }
    }

    @Test
    void unknownPathIs404AndNotRecorded() throws Exception {
        int before = dg.connectionCount();
        WebSocketHandshakeException e = catchThrowableOfType(
                WebSocketHandshakeException.class,
                () -> RawClient.connect(dg.baseUrl() + "/v3/listen", Map.of("Authorization", "Token x"), List.of()));
        assertThat(e.getResponse().statusCode()).isEqualTo(404);
        assertThat(dg.connectionCount()).isEqualTo(before);
    }

    @Test
    void recordsUrlQueryAndHeaders() throws Exception {
        try (RawClient c = RawClient.connect(
                dg.listenUrl() + RAW + "&keyterm=a%20b&keyterm=c&model=nova-3",
                Map.of("Authorization", "Token rec", "X-Custom", "v"),
                List.of())) {
            RecordedConnection rec = dg.connection(dg.connectionCount() - 1, RawClient.WAIT);
            assertThat(rec.path()).isEqualTo("/v1/listen");
            assertThat(rec.requestUrl()).startsWith("/v1/listen?encoding=linear16");
            assertThat(rec.queryParams().get("keyterm")).containsExactly("a b", "c");
            assertThat(rec.queryParam("model")).contains("nova-3");
            assertThat(rec.header("x-custom")).contains("v");
            assertThat(rec.header("Authorization")).contains("Token rec");
            assertThat(rec.toString()).contains("***").doesNotContain("Token rec");
        }
    }

    @Test
    void messagesLargerThanTheLimitClose1009() throws Exception {
        try (DeepgramEmulator small =
                        DeepgramEmulator.builder().maxMessageSizes(1024, 256).start();
                RawClient c = RawClient.connect(small.listenUrl() + RAW)) {
            c.sendText("{\"type\":\"KeepAlive\",\"pad\":\"" + "x".repeat(300) + "\"}");
            assertThat(c.awaitClose().code()).isEqualTo(1009);
            RecordedConnection rec = small.connection(0, RawClient.WAIT);
            assertThat(rec.awaitClosed(RawClient.WAIT)).isTrue();
            assertThat(rec.closeCode()).contains(1009);
        }
    }
}
