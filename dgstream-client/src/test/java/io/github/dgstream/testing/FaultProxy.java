package io.github.dgstream.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small fault-injecting TCP proxy for tests: it listens on {@code 127.0.0.1:0} and forwards every accepted
 * connection to a fixed upstream (the emulator). It injects the <em>network</em> faults a server cannot script
 * because it never learns about them:
 *
 * <ul>
 *   <li>{@link #blackhole()} — a partition: nothing more is forwarded in either direction, both sockets stay open (no
 *       FIN, no RST). Only the client's own liveness rules (pong deadline, receive watchdog, send timeout) can notice.
 *   <li>{@link #reset()} — an abrupt RST to the client and to the server ({@code SO_LINGER 0}).
 *   <li>{@link #closeClientSide()} — a FIN to the client (and to the server) with no WebSocket close frame.
 *   <li>{@link #refuseNext(int)} — the next n TCP connections are accepted and closed at once, before any HTTP: a
 *       connect-level failure rather than an HTTP refusal.
 *   <li>{@link #delay(Duration)} — added one-way latency in each direction (a latency spike while non-zero).
 * </ul>
 *
 * <p>Faults act on the connections open at the time of the call; new connections are forwarded normally (except for
 * {@code refuseNext}). For determinism without the wall clock, {@link
 * #onUpstreamBytes} runs an action when exactly N bytes have been forwarded upstream on a given connection.
 *
 * <p>Threads: one acceptor plus, per open connection, a reader and a writer per direction (the writer applies the
 * latency). At most {@link #MAX_LINKS} connections are open at once; beyond that new ones are refused. All threads
 * are daemon threads named {@code fault-proxy-*}; {@link #close()} closes every socket and waits for them.
 *
 * <p>Teardown mirrors a real TCP path: EOF from one peer becomes a FIN to the other ({@code shutdownOutput}), an
 * error (RST) becomes an RST, and a link ends when both directions have ended. A blackholed link still passes on the
 * end of a peer, so the emulator does not keep a half-open slot after the client gave up on it.
 */
public final class FaultProxy implements AutoCloseable {
    /** Bound on simultaneously open connections (4 threads each). */
    public static final int MAX_LINKS = 16;

    private static final int CHUNK = 16 * 1024;
    private static final int QUEUE_CHUNKS = 64;
    private static final Duration JOIN = Duration.ofSeconds(5);

    private final InetSocketAddress upstream;
    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<Trigger> triggers = new CopyOnWriteArrayList<>();
    private final Map<Integer, AtomicLong> upstreamBytes = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger toRefuse = new AtomicInteger();
    private volatile boolean closed;

    private record Trigger(int connection, long bytes, Runnable action, AtomicInteger fired) {}

    private FaultProxy(InetSocketAddress upstream) throws IOException {
        this.upstream = upstream;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = thread("fault-proxy-accept", this::acceptLoop);
    }

    /** Starts a proxy to {@code host:port}. */
    public static FaultProxy to(String host, int port) throws IOException {
        return new FaultProxy(new InetSocketAddress(host, port));
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code ws://127.0.0.1:PORT}, for the client's base URL. */
    public String baseUrl() {
        return "ws://127.0.0.1:" + port();
    }

    // ---- commands ---------------------------------------------------------------------------------------------

    /** Stops forwarding in both directions on every open connection; sockets stay open. */
    public void blackhole() {
        links.forEach(Link::blackhole);
    }

    /** RST to both peers of every open connection. */
    public void reset() {
        links.forEach(Link::reset);
    }

    /** FIN to both peers of every open connection, no WebSocket close frame; nothing more is forwarded. */
    public void closeClientSide() {
        links.forEach(Link::finBoth);
    }

    /** The next {@code n} connections are accepted and closed at once (before any byte is read). */
    public void refuseNext(int n) {
        toRefuse.addAndGet(n);
    }

    /**
     * One-way latency added, in each direction, to every chunk the open connections forward from now on (a latency
     * spike; {@code ZERO} ends it). Order is preserved. New connections start without added latency.
     */
    public void delay(Duration latency) {
        links.forEach(l -> l.latencyNanos = latency.toNanos());
    }

    /**
     * Runs {@code action} once, on the forwarding thread, when exactly {@code bytes} bytes (HTTP upgrade and WebSocket
     * framing included) have been read from the client on connection {@code connection} (0-based accept order,
     * refused connections included) and passed on upstream. Bytes after that point go through only if the action
     * leaves the connection forwarding. Actions are typically this proxy's commands, e.g. {@code proxy::blackhole}.
     */
    public FaultProxy onUpstreamBytes(int connection, long bytes, Runnable action) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("bytes must be > 0");
        }
        triggers.add(new Trigger(connection, bytes, action, new AtomicInteger()));
        return this;
    }

    // ---- observations -----------------------------------------------------------------------------------------

    /** TCP connections accepted so far, refused ones included. */
    public int connectionCount() {
        return connections.get();
    }

    /** Connections closed at once by {@link #refuseNext}. */
    public int refusedCount() {
        return refused.get();
    }

    /** Connections currently open (forwarding or not). */
    public int activeConnections() {
        return links.size();
    }

    /** How many {@link #onUpstreamBytes} triggers have fired. */
    public int firedTriggers() {
        return (int) triggers.stream().filter(t -> t.fired().get() > 0).count();
    }

    /** Bytes forwarded upstream on connection {@code index} (0 if it was refused or is unknown). */
    public long upstreamBytes(int index) {
        AtomicLong n = upstreamBytes.get(index);
        return n == null ? 0 : n.get();
    }

    /** Names of the proxy's threads still alive (none after {@link #close()}). */
    public List<String> liveThreads() {
        return threads.stream().filter(Thread::isAlive).map(Thread::getName).toList();
    }

    /** Closes the listener and every connection (RST), and waits for the proxy's threads. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(server);
        long deadline = System.nanoTime() + JOIN.toNanos();
        try {
            join(acceptor, deadline); // no link starts after this
            links.forEach(Link::reset);
            for (Thread t : threads) {
                join(t, deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread t, long deadline) throws InterruptedException {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }

    @Override
    public String toString() {
        return "FaultProxy{" + port() + " -> " + upstream + ", connections=" + connections + ", refused=" + refused
                + "}";
    }

    // ---- internals --------------------------------------------------------------------------------------------

    private Thread thread(String name, Runnable r) {
        Thread t = new Thread(
                () -> {
                    try {
                        r.run();
                    } finally {
                        threads.remove(Thread.currentThread());
                    }
                },
                name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
        return t;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            int index = connections.getAndIncrement();
            if (takeRefusal() || activeConnections() >= MAX_LINKS) {
                refused.incrementAndGet();
                closeQuietly(client);
                continue;
            }
            Socket up = new Socket();
            Link link = new Link(index, client, up);
            links.add(link); // before the upstream connect completes: commands issued from then on apply to it
            try {
                up.connect(upstream, 5000);
                client.setTcpNoDelay(true);
                up.setTcpNoDelay(true);
            } catch (IOException e) {
                link.reset();
                links.remove(link);
                continue;
            }
            link.start();
        }
    }

    private boolean takeRefusal() {
        while (true) {
            int n = toRefuse.get();
            if (n <= 0) {
                return false;
            }
            if (toRefuse.compareAndSet(n, n - 1)) {
                return true;
            }
        }
    }

    private static void abort(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (SocketException e) {
            // already closed
        }
        closeQuietly(s);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // best effort
        }
    }

    /** One proxied connection: two directions. */
    private final class Link {
        final int index;
        final Socket client;
        final Socket up0;
        final Direction up;
        final Direction down;
        volatile boolean blackholed;
        /** Both peers got a FIN from {@link #finBoth}: write failures after that are expected, not resets. */
        volatile boolean finned;

        volatile boolean aborted;
        volatile long latencyNanos;

        Link(int index, Socket client, Socket upstreamSocket) {
            this.index = index;
            this.client = client;
            this.up0 = upstreamSocket;
            this.up = new Direction(
                    this, "up", client, upstreamSocket, upstreamBytes.computeIfAbsent(index, i -> new AtomicLong()));
            this.down = new Direction(this, "down", upstreamSocket, client, null);
        }

        void start() {
            up.start();
            down.start();
        }

        boolean ended() {
            return up.ended && down.ended;
        }

        /** Nothing read from now on is passed on; what was already forwarded (queued) still arrives. */
        void blackhole() {
            blackholed = true;
        }

        synchronized void reset() {
            if (aborted) {
                return;
            }
            aborted = true;
            blackholed = true;
            abort(client);
            abort(up0);
        }

        void finBoth() {
            finned = true;
            blackholed = true;
            up.queue.clear();
            down.queue.clear();
            shutdownOutput(client);
            shutdownOutput(up0);
        }

        /** A direction ended; when both have, close both sockets and forget the link. */
        void directionEnded(boolean error) {
            if (error) {
                reset();
            }
            if (ended()) {
                closeQuietly(client);
                closeQuietly(up0);
                links.remove(this);
            }
        }
    }

    private static void shutdownOutput(Socket s) {
        try {
            if (!s.isClosed() && !s.isOutputShutdown()) {
                s.shutdownOutput();
            }
        } catch (IOException e) {
            // already closed
        }
    }

    private record Chunk(byte[] data, long dueNanos) {}

    private static final Chunk EOF = new Chunk(new byte[0], 0);

    /** One direction of a link: a reader that applies triggers and blackholing, a writer that applies latency. */
    private final class Direction {
        final Link link;
        final String name;
        final Socket from;
        final Socket to;
        /** Bytes passed on upstream (counted for triggers); {@code null} for the downstream direction. */
        final AtomicLong upstreamCount;

        final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
        volatile boolean ended;

        Direction(Link link, String name, Socket from, Socket to, AtomicLong upstreamCount) {
            this.link = link;
            this.name = name;
            this.from = from;
            this.to = to;
            this.upstreamCount = upstreamCount;
        }

        void start() {
            String n = "fault-proxy-" + link.index + "-" + name;
            thread(n + "-read", this::readLoop);
            thread(n + "-write", this::writeLoop);
        }

        private void readLoop() {
            byte[] buf = new byte[CHUNK];
            boolean error = false;
            try {
                InputStream in = from.getInputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    forward(buf, 0, n);
                }
            } catch (IOException e) {
                error = !closed && !link.finned;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = true;
            } finally {
                endWriter(error);
            }
        }

        /** Queues bytes for the writer, splitting at trigger points and running due triggers in between. */
        private void forward(byte[] buf, int off, int len) throws InterruptedException {
            while (len > 0) {
                int n = len;
                Trigger due = null;
                if (upstreamCount != null) {
                    long before = upstreamCount.get();
                    for (Trigger t : triggers) {
                        if (t.connection() == link.index && t.fired().get() == 0 && t.bytes() > before) {
                            long room = t.bytes() - before;
                            if (room <= n) {
                                n = (int) room;
                                due = t;
                            }
                        }
                    }
                }
                if (upstreamCount != null) {
                    upstreamCount.addAndGet(n);
                }
                if (!link.blackholed) {
                    enqueue(Arrays.copyOfRange(buf, off, off + n));
                }
                off += n;
                len -= n;
                if (due != null && due.fired().getAndIncrement() == 0) {
                    due.action().run();
                }
            }
        }

        private void enqueue(byte[] data) throws InterruptedException {
            long due = System.nanoTime() + link.latencyNanos;
            while (!queue.offer(new Chunk(data, due), 100, TimeUnit.MILLISECONDS)) {
                if (link.blackholed || closed) {
                    return;
                }
            }
        }

        /**
         * Passes the end of the input on: after everything queued (EOF becomes a FIN) or, after an error, at once (the
         * link is reset). The writer drains its queue until it sees the end, so this never waits for long: a writer
         * blocked on a peer that does not read is freed by the reset or by {@link #close()}.
         */
        private void endWriter(boolean error) {
            if (error || link.aborted || closed) {
                link.reset();
                queue.clear();
            }
            try {
                queue.put(EOF);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                link.reset();
                queue.clear();
                queue.offer(EOF);
            }
        }

        /** Writes queued chunks when due; after a write failure it keeps draining (discarding) until the end. */
        private void writeLoop() {
            boolean broken = false;
            boolean error = false;
            try {
                while (true) {
                    Chunk c = queue.take();
                    if (c == EOF) {
                        if (!broken && !link.aborted) {
                            shutdownOutput(to); // FIN on, as TCP would
                        }
                        break;
                    }
                    if (broken) {
                        continue;
                    }
                    long wait = c.dueNanos() - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait); // the injected latency itself, not synchronisation
                    }
                    try {
                        OutputStream out = to.getOutputStream();
                        out.write(c.data());
                        out.flush();
                    } catch (IOException e) {
                        broken = true;
                        if (!closed && !link.finned && !link.aborted) {
                            error = true;
                            link.reset(); // RST on, as TCP would
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                ended = true;
                link.directionEnded(error);
            }
        }
    }
}
