package io.github.dgstream.bench;

import io.github.dgstream.internal.Transport;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's transport, timing each reconnect in parts ({@code --recovery-stamps}): from the JDK reporting the old
 * socket lost to the engine dialing ({@code recovery_to_dial}: the session actor's turns), the handshake from dial to
 * the JDK's open ({@code recovery_handshake}: the JDK, the emulator and the machine), from that open to the engine's
 * first write on the new socket ({@code recovery_to_send}: the actor's turn, the replay's start), and the whole from
 * loss to open as the JDK sees it ({@code recovery_transport}: what the bare clients' {@code recovery} measures). With
 * {@link EngineStream}, also from that loss to the handler receiving the {@code Reconnected} event, minus the backoff
 * ({@code recovery_to_event}: the "close to RECONNECTED", which {@code Reconnected.downtime} does not span;
 * {@code recovery_to_event_write_first}: the same for the losses that showed first as a failed write).
 *
 * <p>It also counts the losses that showed first as a failed write ({@code losses_write_first}) and, of those, the
 * ones the JDK's reader explained afterwards with a close or an error ({@code losses_write_first_explained}): the
 * engine waits {@code Outbound.WRITE_FAILURE_GRACE_MS} for that explanation before it takes the loss, and (since round
 * 13, when the loss would be retried at once) dials the next socket meanwhile.
 *
 * <p>Streams are told apart by their {@code Authorization} header (every engine stream of the harness has its own
 * key), as one transport serves them all. Only the first dial after a loss is timed; with drop faults it succeeds.
 * The parts include the backoff of a reconnect that was not made at once (counted in {@code reconnects_delayed}; none
 * when every connection lasts longer than the engine's healthy period, as with {@code --fault-every 30}).
 */
final class RecoveryStamping implements Transport {
    /** The parts' names, in the order of the CSV's columns. */
    static final java.util.List<String> PARTS =
            java.util.List.of("to_dial", "handshake", "to_send", "transport", "to_event", "to_event_write_first");
    /** The emulator's {@code SendStamps.DIAL_HEADER}: the client's nanoTime when it dialed. */
    static final String DIAL_HEADER = "X-Bench-Dial-Ns";

    private final StreamRecorder recorder;
    private final Transport delegate;
    private final ConcurrentHashMap<String, StreamTimes> streams = new ConcurrentHashMap<>();

    RecoveryStamping(StreamRecorder recorder, Transport delegate) {
        this.recorder = recorder;
        this.delegate = delegate;
    }

    /** One socket's first sign of loss: a failed write, or the reader's report (at any time, even after the abort). */
    private final class FirstSign {
        private static final int NONE = 0, WRITE_FIRST = 1, READER = 2;
        private final java.util.concurrent.atomic.AtomicInteger state = new java.util.concurrent.atomic.AtomicInteger();

        void write() {
            if (state.compareAndSet(NONE, WRITE_FIRST)) {
                recorder.lossWriteFirst();
            }
        }

        void reader() {
            if (state.compareAndSet(WRITE_FIRST, READER)) {
                recorder.lossWriteFirstExplained();
            } else {
                state.compareAndSet(NONE, READER);
            }
        }
    }

    /** One stream's outage in progress; guarded by itself. */
    private static final class StreamTimes {
        /** The socket whose loss counts: the newest one dialed. */
        Object current;

        long lostAt;
        long dialAt;
        long openedAt;
        /** When the JDK last reported a socket of this stream lost (kept after the new socket opens). */
        long lastLossAt;
        /** Whether that loss showed first as a failed write. */
        boolean lastLossWriteFirst;
    }

    /**
     * When the JDK last reported a socket of the stream with this {@code Authorization} header lost (nanoTime), or 0:
     * the start of {@code recovery_to_event}, which ends when the handler receives the {@code Reconnected} event.
     */
    long lastLossAt(String authorization) {
        StreamTimes t = streams.get(authorization);
        if (t == null) {
            return 0;
        }
        synchronized (t) {
            return t.lastLossAt;
        }
    }

    /** Whether the loss {@link #lastLossAt} returns showed first as a failed write. */
    boolean lastLossWriteFirst(String authorization) {
        StreamTimes t = streams.get(authorization);
        if (t == null) {
            return false;
        }
        synchronized (t) {
            return t.lastLossWriteFirst;
        }
    }

    @Override
    public CompletableFuture<Socket> connect(URI uri, Map<String, String> headers, Duration timeout, Listener l) {
        long now = System.nanoTime();
        StreamTimes t = streams.computeIfAbsent(headers.getOrDefault("Authorization", ""), k -> new StreamTimes());
        Object self = new Object();
        FirstSign sign = new FirstSign();
        synchronized (t) {
            t.current = self;
            if (t.lostAt != 0 && t.dialAt == 0) {
                t.dialAt = now;
                recorder.recoveryPart("to_dial", now - t.lostAt);
            }
        }
        // the emulator times its part of the handshake from this (emulator_handshake_*; same machine, same clock)
        Map<String, String> stamped = new java.util.HashMap<>(headers);
        stamped.put(DIAL_HEADER, Long.toString(now));
        return delegate.connect(uri, stamped, timeout, new ForwardingListener(l) {
            @Override
            public void onOpen(Socket socket) {
                long now = System.nanoTime();
                boolean timed;
                synchronized (t) {
                    timed = t.current == self && t.dialAt != 0;
                    if (timed) {
                        recorder.recoveryPart("handshake", now - t.dialAt);
                        recorder.recoveryPart("transport", now - t.lostAt);
                        t.openedAt = now;
                        t.lostAt = 0;
                        t.dialAt = 0;
                    }
                }
                super.onOpen(new WatchedSocket(socket, t, self, timed, sign));
            }

            @Override
            public void onClose(int code, String reason) {
                sign.reader();
                lost(t, self, false);
                super.onClose(code, reason);
            }

            @Override
            public void onError(Throwable error) {
                sign.reader();
                lost(t, self, false);
                super.onError(error);
            }
        });
    }

    /**
     * The first loss report of the stream's newest socket ({@code self}) starts an outage: the JDK's close or error,
     * or a failed write (after which the engine aborts the socket and the JDK may report nothing). A normal end starts
     * one that no dial follows.
     */
    private static void lost(StreamTimes t, Object self, boolean byWrite) {
        long now = System.nanoTime();
        synchronized (t) {
            if (t.current == self && t.lostAt == 0) {
                t.lostAt = now;
                t.lastLossAt = now;
                t.lastLossWriteFirst = byWrite;
                t.dialAt = 0;
            }
        }
    }

    /** A socket whose failed writes count as its loss; on a reconnect, it also times the engine's first write. */
    private final class WatchedSocket implements Socket {
        private final Socket s;
        private final StreamTimes t;
        private final Object self;
        private boolean sent; // the engine writes one frame at a time, from its actor
        private final FirstSign sign;

        WatchedSocket(Socket s, StreamTimes t, Object self, boolean timeFirstSend, FirstSign sign) {
            this.sign = sign;
            this.s = s;
            this.t = t;
            this.self = self;
            this.sent = !timeFirstSend;
        }

        /**
         * The write as the engine sees it: completing after the loss is stamped, so the engine's reaction (since round
         * 13 it dials the next socket at once) cannot come before the stamp.
         */
        private CompletableFuture<?> watched(CompletableFuture<?> write) {
            return write.whenComplete((v, err) -> {
                if (err != null) {
                    sign.write();
                    lost(t, self, true);
                }
            });
        }

        private void first() {
            if (!sent) {
                sent = true;
                long now = System.nanoTime();
                synchronized (t) {
                    recorder.recoveryPart("to_send", now - t.openedAt);
                }
            }
        }

        @Override
        public CompletableFuture<?> sendBinary(ByteBuffer data) {
            first();
            return watched(s.sendBinary(data));
        }

        @Override
        public CompletableFuture<?> sendText(String text) {
            first();
            return watched(s.sendText(text));
        }

        @Override
        public CompletableFuture<?> sendPing() {
            return watched(s.sendPing());
        }

        @Override
        public CompletableFuture<?> sendClose(int code, String reason) {
            return s.sendClose(code, reason);
        }

        @Override
        public void abort() {
            s.abort();
        }

        @Override
        public void request(long n) {
            s.request(n);
        }
    }
}
