package io.github.dgstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A WebSocket client by hand on a plain socket, for clients the JDK cannot imitate (one that never reads). */
final class RawSockets {
    private RawSockets() {}

    static void upgrade(Socket raw, int port, String pathAndQuery) throws Exception {
        String key = Base64.getEncoder().encodeToString(new byte[16]);
        String req = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                + "\r\nSec-WebSocket-Version: 13\r\nAuthorization: Token test-key\r\n\r\n";
        raw.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
        InputStream in = raw.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("response head").isNotNegative();
            head.append((char) b);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 101");
    }

    static void writeMaskedBinary(OutputStream out, byte[] payload) throws Exception {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x82); // FIN + binary
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            f.write(0x80 | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length & 0xff);
        } else {
            f.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) payload.length >>> (8 * i)) & 0xff);
            }
        }
        f.write(new byte[4]); // mask key 0: payload unchanged
        f.write(payload);
        out.write(f.toByteArray());
        out.flush();
    }
}
