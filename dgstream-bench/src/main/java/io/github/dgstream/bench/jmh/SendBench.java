package io.github.dgstream.bench.jmh;

import io.github.dgstream.LiveOptions;
import io.github.dgstream.LivenessConfig;
import io.github.dgstream.ReconnectionConfig;
import io.github.dgstream.ReplayPolicy;
import io.github.dgstream.internal.AudioJournal;
import io.github.dgstream.internal.ClientResources;
import io.github.dgstream.internal.Credentials;
import io.github.dgstream.internal.EngineHooks;
import io.github.dgstream.internal.HandlerDispatcher;
import io.github.dgstream.internal.SessionEngine;
import io.github.dgstream.internal.SocketTimeline;
import io.github.dgstream.internal.Transport;
import io.github.dgstream.internal.V1Adapter;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Outbound hot path for one 50 ms chunk of 8 kHz mu-law (400 bytes).
 *
 * <ul>
 *   <li>{@code journal}: what the engine does per chunk without the socket: append (copy into the {@link
 *       AudioJournal}'s blocks, the replay store, as {@code send} does), read the slice for the socket, record it
 *       on the {@link SocketTimeline}, trim behind a 3 s replay window.
 *   <li>{@code engineSend}: the real {@link SessionEngine#send} on a started session whose transport completes every
 *       send at once; the benchmark waits (spinning) until the socket got the chunk. The actor is idle between
 *       chunks, so the write runs on the calling thread (no pool hop): the client's whole send latency.
 *       With {@code sessions=2000} each call sends to the next of 2,000 sessions of one client, so that a session's
 *       objects have left the CPU's near caches between two of its chunks, as at 1,000 real-time streams (where the
 *       load runs' profiles put the send path at 1.7-2.7 µs a chunk).
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SendBench {
    static final int CHUNK = 400;

    @State(Scope.Thread)
    public static class JournalState {
        final byte[] chunk = new byte[CHUNK];
        AudioJournal journal;
        SocketTimeline timeline;
        long next;

        @Setup
        public void setup() {
            journal = new AudioJournal(30 * 8000, 1);
            timeline = SocketTimeline.bytes(8000);
        }
    }

    @Benchmark
    public long journal(JournalState s) {
        s.journal.append(ByteBuffer.wrap(s.chunk)); // copies into the journal's blocks, as send does
        AudioJournal.Slice slice = s.journal.read(s.next, 32 * 1024);
        int len = slice.data().remaining();
        s.timeline.sent(slice.pos(), len);
        s.next = slice.pos() + len;
        s.journal.trimBefore(s.next - 3 * 8000);
        return s.next;
    }

    /** A transport whose sockets accept every frame at once and count the audio bytes. */
    static final class InstantTransport implements Transport {
        final AtomicLong audioBytes = new AtomicLong();

        @Override
        public CompletableFuture<Socket> connect(URI uri, Map<String, String> headers, Duration t, Listener l) {
            Socket s = new Socket() {
                @Override
                public CompletableFuture<?> sendBinary(ByteBuffer data) {
                    audioBytes.addAndGet(data.remaining());
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public CompletableFuture<?> sendText(String text) {
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public CompletableFuture<?> sendPing() {
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public CompletableFuture<?> sendClose(int code, String reason) {
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public void abort() {}

                @Override
                public void request(long n) {}
            };
            l.onOpen(s);
            return CompletableFuture.completedFuture(s);
        }
    }

    /** A started v1 session on {@code res} with replay (3 s cap) and no pings or receive watchdog. */
    static SessionEngine startEngine(ClientResources res) throws Exception {
        LiveOptions opts = LiveOptions.builder()
                .model("nova-3")
                .encoding("mulaw")
                .sampleRate(8000)
                .build();
        LivenessConfig live = LivenessConfig.builder()
                .receiveTimeoutMs(0) // the fake server never answers
                .pingIntervalMs(0)
                .build();
        SessionEngine engine = new SessionEngine(
                res,
                new V1Adapter(opts),
                new SessionEngine.Settings(
                        URI.create("ws://127.0.0.1:1"),
                        Credentials.apiKey("bench"),
                        ReconnectionConfig.builder()
                                .enabled(true)
                                .replay(ReplayPolicy.capped(3))
                                .build(),
                        live),
                new HandlerDispatcher(res.handlerPool(), 1024));
        engine.start();
        engine.opened().get(5, TimeUnit.SECONDS);
        return engine;
    }

    /**
     * {@code sessions} started sessions on one client, sent to in turn. With many, between two chunks of one session
     * every other session sends one, so its state is no longer in the CPU's near caches, as at 1,000 real-time streams.
     */
    @State(Scope.Thread)
    public static class EngineState {
        @Param({"1", "2000"})
        int sessions;

        final byte[] chunk = new byte[CHUNK];
        InstantTransport transport;
        ClientResources res;
        SessionEngine[] engines;
        int next;
        long expected;

        @Setup(Level.Trial)
        public void setup() throws Exception {
            transport = new InstantTransport();
            res = new ClientResources(EngineHooks.NONE.withTransport(transport));
            engines = new SessionEngine[sessions];
            for (int i = 0; i < sessions; i++) {
                engines[i] = startEngine(res);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            for (SessionEngine e : engines) {
                e.abort();
            }
            res.close();
        }
    }

    @Benchmark
    public long engineSend(EngineState s) {
        SessionEngine e = s.engines[s.next];
        s.next = s.next + 1 == s.engines.length ? 0 : s.next + 1;
        e.send(ByteBuffer.wrap(s.chunk));
        s.expected += CHUNK;
        while (s.transport.audioBytes.get() < s.expected) {
            Thread.onSpinWait();
        }
        return s.expected;
    }
}
