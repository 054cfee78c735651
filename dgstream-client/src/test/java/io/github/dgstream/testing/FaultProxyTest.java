package io.github.dgstream.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy's own faults, observed with plain sockets on both sides: RST vs FIN vs silence, triggers, refusals. */
class FaultProxyTest {
    static final int WAIT_MS = 5000;

    ServerSocket upstream;
    final LinkedBlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
    Thread acceptor;
    FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(upstream.accept());
                }
            } catch (IOException closed) {
                // done
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        proxy = FaultProxy.to("127.0.0.1", upstream.getLocalPort());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        assertThat(proxy.liveThreads()).as("proxy threads after close()").isEmpty();
        upstream.close();
        for (Socket s : accepted) {
            s.close();
        }
        acceptor.join(WAIT_MS);
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", proxy.port());
        s.setSoTimeout(WAIT_MS);
        return s;
    }

    private Socket server() throws Exception {
        Socket s = accepted.poll(WAIT_MS, TimeUnit.MILLISECONDS);
        assertThat(s).as("upstream connection").isNotNull();
        s.setSoTimeout(WAIT_MS);
        return s;
    }

    private static byte[] readN(Socket s, int n) throws IOException {
        return s.getInputStream().readNBytes(n);
    }

    @Test
    void forwardsBothWaysAndCountsConnections() throws Exception {
        try (Socket c = connect();
                Socket srv = server()) {
            c.getOutputStream().write("ping".getBytes());
            assertThat(new String(readN(srv, 4))).isEqualTo("ping");
            srv.getOutputStream().write("pong".getBytes());
            assertThat(new String(readN(c, 4))).isEqualTo("pong");
            assertThat(proxy.connectionCount()).isEqualTo(1);
            assertThat(proxy.activeConnections()).isEqualTo(1);
            assertThat(proxy.upstreamBytes(0)).isEqualTo(4);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.activeConnections() == 0);
    }

    @Test
    void resetSendsRstToBothPeers() throws Exception {
        try (Socket c = connect();
                Socket srv = server()) {
            proxy.reset();
            assertThatThrownBy(() -> c.getInputStream().read()).isInstanceOf(SocketException.class);
            assertThatThrownBy(() -> srv.getInputStream().read()).isInstanceOf(SocketException.class);
        }
    }

    @Test
    void closeClientSideSendsFinToBothPeers() throws Exception {
        try (Socket c = connect();
                Socket srv = server()) {
            // one byte each way first: the link is then forwarding, not still being set up
            c.getOutputStream().write(1);
            assertThat(srv.getInputStream().read()).isEqualTo(1);
            srv.getOutputStream().write(2);
            assertThat(c.getInputStream().read()).isEqualTo(2);
            proxy.closeClientSide();
            assertThat(c.getInputStream().read()).as("EOF, not a reset").isEqualTo(-1);
            assertThat(srv.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void blackholeForwardsNothingAndClosesNothing() throws Exception {
        try (Socket c = connect();
                Socket srv = server()) {
            c.setSoTimeout(300);
            srv.setSoTimeout(300);
            proxy.blackhole();
            c.getOutputStream().write(new byte[1000]);
            srv.getOutputStream().write(new byte[1000]);
            assertThatThrownBy(() -> srv.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThatThrownBy(() -> c.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(proxy.activeConnections()).isEqualTo(1);
        }
        // when a peer finally gives up, the other side is told, so nothing stays half-open
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.activeConnections() == 0);
    }

    @Test
    void triggerFiresAtExactlyNBytes() throws Exception {
        try (Socket c = connect();
                Socket srv = server()) {
            proxy.onUpstreamBytes(0, 5, proxy::blackhole);
            c.getOutputStream().write("0123456789".getBytes());
            assertThat(new String(readN(srv, 5))).isEqualTo("01234");
            srv.setSoTimeout(300);
            assertThatThrownBy(() -> srv.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(proxy.firedTriggers()).isEqualTo(1);
            assertThat(proxy.upstreamBytes(0)).isEqualTo(10);
        }
    }

    @Test
    void refuseNextAcceptsAndClosesBeforeForwarding() throws Exception {
        proxy.refuseNext(2);
        for (int i = 0; i < 2; i++) {
            try (Socket c = connect()) {
                assertThat(c.getInputStream().read()).isEqualTo(-1);
            }
        }
        try (Socket c = connect();
                Socket srv = server()) {
            c.getOutputStream().write(7);
            assertThat(srv.getInputStream().read()).isEqualTo(7);
        }
        assertThat(proxy.connectionCount()).isEqualTo(3);
        assertThat(proxy.refusedCount()).isEqualTo(2);
        assertThat(accepted).isEmpty(); // refused connections never reached upstream
    }

    @Test
    void delayAddsLatencyToOpenConnectionsOnly() throws Exception {
        try (Socket c = connect();
                Socket srv = server()) {
            proxy.delay(Duration.ofMillis(200));
            long t0 = System.nanoTime();
            c.getOutputStream().write(1);
            assertThat(srv.getInputStream().read()).isEqualTo(1);
            srv.getOutputStream().write(2);
            assertThat(c.getInputStream().read()).isEqualTo(2);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(400));

            // The open link now holds every chunk for a minute, far beyond the sockets' read timeout (WAIT_MS), so a
            // read that completes at all shows the chunk was not held: no upper bound on time that a slow machine
            // could miss.
            proxy.delay(Duration.ofMinutes(1));
            try (Socket fresh = connect();
                    Socket freshSrv = server()) {
                fresh.getOutputStream().write(3);
                assertThat(freshSrv.getInputStream().read())
                        .as("a new connection's first byte")
                        .isEqualTo(3);
            }
            proxy.delay(Duration.ZERO);
            c.getOutputStream().write(4);
            assertThat(srv.getInputStream().read())
                    .as("the open link after ZERO")
                    .isEqualTo(4);
        }
    }
}
