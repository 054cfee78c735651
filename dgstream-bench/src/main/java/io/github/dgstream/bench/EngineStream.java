package io.github.dgstream.bench;

import io.github.dgstream.DeepgramEvent;
import io.github.dgstream.EventType;
import io.github.dgstream.FluxEvent;
import io.github.dgstream.LivenessConfig;
import io.github.dgstream.ReconnectFailed;
import io.github.dgstream.Reconnected;
import io.github.dgstream.Reconnecting;
import io.github.dgstream.ReconnectionConfig;
import io.github.dgstream.StreamEvent;
import io.github.dgstream.Word;
import io.github.dgstream.internal.ClientResources;
import io.github.dgstream.internal.Credentials;
import io.github.dgstream.internal.FluxAdapter;
import io.github.dgstream.internal.HandlerDispatcher;
import io.github.dgstream.internal.ProtocolAdapter;
import io.github.dgstream.internal.SessionEngine;
import io.github.dgstream.internal.SocketTimeline;
import io.github.dgstream.internal.V1Adapter;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A stream on the dgstream engine, wired exactly as {@code LiveSession.start} wires the public callback API ({@link
 * SessionEngine} + {@link V1Adapter} or {@link FluxAdapter} + {@link HandlerDispatcher} on the client's shared {@link
 * ClientResources}), with one addition: the adapter is wrapped to pick the emulator's {@code sent_ns} stamp out of
 * each Results or TurnInfo message (a string search; the engine itself ignores the field) so the handler can compute
 * the message's latency.
 */
final class EngineStream extends LoadStream {
    private static final EventType[] FLUX_TURN_EVENTS = {
        EventType.START_OF_TURN,
        EventType.UPDATE,
        EventType.EAGER_END_OF_TURN,
        EventType.TURN_RESUMED,
        EventType.END_OF_TURN
    };

    private final SessionEngine engine;
    private final StampQueue stamps = new StampQueue();
    private double pendingDelayMs;
    /** When the handler last received {@code Reconnected} (handler only). */
    private long lastReconnectedAt;

    /** @param adapter a fresh {@link V1Adapter} or {@link FluxAdapter} for this stream */
    EngineStream(
            int id,
            StreamStats stats,
            ClientResources res,
            URI baseUrl,
            ProtocolAdapter adapter,
            ReconnectionConfig reconnection,
            LivenessConfig liveness,
            StreamRecorder recorder) {
        super(id, stats);
        HandlerDispatcher d = new HandlerDispatcher(res.handlerPool(), 1024);
        if (adapter instanceof FluxAdapter) {
            Consumer<DeepgramEvent> turn = e -> {
                latency(recorder);
                if (e instanceof FluxEvent.EndOfTurn t) {
                    stats.beginFinal();
                    for (Word word : t.words()) {
                        stats.word(StreamStats.plain(word.word()));
                    }
                }
            };
            for (EventType type : FLUX_TURN_EVENTS) {
                d.add(type, turn);
            }
        } else {
            d.add(EventType.TRANSCRIPT, e -> {
                latency(recorder);
                StreamEvent.Transcript t = (StreamEvent.Transcript) e;
                if (t.isFinal()) {
                    stats.beginFinal();
                    for (Word word : t.words()) {
                        stats.word(word.word());
                    }
                }
            });
        }
        d.add(EventType.RECONNECTING, e -> {
            Reconnecting r = (Reconnecting) e;
            pendingDelayMs += r.delay().toNanos() / 1e6;
            recorder.reconnecting(r.cause());
            if (!r.delay().isZero()) {
                recorder.delayedReconnect();
            }
        });
        Credentials credentials = Credentials.apiKey("bench-" + id);
        String authorization = credentials.authorizationHeader(); // the header RecoveryStamping knows this stream by
        d.add(EventType.RECONNECTED, e -> {
            Reconnected r = (Reconnected) e;
            RecoveryStamping rs = recorder.recoveryStamping;
            long lossAt = rs == null ? 0 : rs.lastLossAt(authorization);
            long now = System.nanoTime();
            if (lossAt > lastReconnectedAt) { // else the transport saw no report of this loss: not timed
                long toEvent = now - lossAt - (long) (pendingDelayMs * 1e6);
                recorder.recoveryPart("to_event", toEvent);
                if (rs.lastLossWriteFirst(authorization)) {
                    recorder.recoveryPart("to_event_write_first", toEvent);
                }
            }
            lastReconnectedAt = now;
            recorder.recovered(r.downtime().toNanos() / 1e6 - pendingDelayMs);
            stats.reportedLostSeconds += r.lostSeconds();
            pendingDelayMs = 0;
        });
        d.add(EventType.RECONNECT_FAILED, e -> fail("reconnect failed: " + ((ReconnectFailed) e).cause()));
        d.add(EventType.ERROR, e -> fail("error: " + e));
        engine = new SessionEngine(
                res,
                new Stamping(adapter, stamps, recorder),
                new SessionEngine.Settings(baseUrl, credentials, reconnection, liveness),
                d);
    }

    /** Records the latency of the event being handled: every stamped event polls its stamp, in decode order. */
    private void latency(StreamRecorder recorder) {
        long now = System.nanoTime();
        long sent = stamps.poll();
        if (sent != 0) {
            recorder.latency(sent, now);
        }
    }

    @Override
    CompletableFuture<Void> open() {
        engine.start();
        return engine.opened();
    }

    @Override
    void send(byte[] audio, int off, int len) {
        engine.send(ByteBuffer.wrap(audio, off, len));
    }

    @Override
    CompletableFuture<Void> finish() {
        return engine.finish();
    }

    @Override
    void abort() {
        engine.abort();
    }

    @Override
    long replayStorageBytes() {
        return engine.journalStorageBytes();
    }

    /** Reads {@code "sent_ns":<digits>}; 0 if absent. */
    static long sentNs(String json) {
        int i = json.lastIndexOf("\"sent_ns\":");
        if (i < 0) {
            return 0;
        }
        long v = 0;
        for (int k = i + 10; k < json.length(); k++) {
            char c = json.charAt(k);
            if (c < '0' || c > '9') {
                break;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * The send stamps of the Transcripts decoded but not yet handled, in order (the dispatcher delivers a stream's
     * events in decode order, and the callback API drops none): a ring of {@code long}s, so measuring stores no
     * object into a long-lived one (which would cost G1 card refinement that the engine's figures would then carry).
     * 0 = no stamp. Bounded at 4,096: the dispatcher holds at most 1,024 events (plus those of the message that filled
     * it) before the engine stops reading, so the ring cannot fill; if it did, it would forget the oldest.
     */
    static final class StampQueue {
        private final long[] ring = new long[4096];
        private long head;
        private long tail;

        synchronized void add(long ns) {
            if (tail - head == ring.length) {
                head++;
            }
            ring[(int) (tail++ % ring.length)] = ns;
        }

        synchronized long poll() {
            return head == tail ? 0 : ring[(int) (head++ % ring.length)];
        }
    }

    /**
     * Delegates everything to the real adapter; queues one entry per Transcript or Flux turn event it produced: the
     * message's send stamp for the first, 0 for any further one (a Flux message can yield more than one event after a
     * reconnect), so the handler's one poll per such event stays in step.
     */
    private static final class Stamping implements ProtocolAdapter {
        private final ProtocolAdapter d;
        private final StampQueue stamps;
        private final StreamRecorder recorder;

        Stamping(ProtocolAdapter d, StampQueue stamps, StreamRecorder recorder) {
            this.d = d;
            this.stamps = stamps;
            this.recorder = recorder;
        }

        @Override
        public Decoded decode(String json, SocketTimeline timeline) {
            Decoded r = d.decode(json, timeline);
            boolean first = true;
            for (DeepgramEvent e : r.events()) {
                if (e instanceof StreamEvent.Transcript || e instanceof FluxEvent.Turn) {
                    long ns = first ? sentNs(json) : 0;
                    if (ns != 0) {
                        recorder.decoded(ns, System.nanoTime());
                    }
                    stamps.add(ns);
                    first = false;
                }
            }
            return r;
        }

        @Override
        public URI uri(URI baseUrl) {
            return d.uri(baseUrl);
        }

        @Override
        public double bytesPerSecond() {
            return d.bytesPerSecond();
        }

        @Override
        public int frameBytes() {
            return d.frameBytes();
        }

        @Override
        public void onNewSocket(double replayFromSeconds) {
            d.onNewSocket(replayFromSeconds);
        }

        @Override
        public String keepAliveMessage() {
            return d.keepAliveMessage();
        }

        @Override
        public String finalizeMessage() {
            return d.finalizeMessage();
        }

        @Override
        public String closeStreamMessage() {
            return d.closeStreamMessage();
        }

        @Override
        public boolean isNormalCloseAfterCloseStream(int code) {
            return d.isNormalCloseAfterCloseStream(code);
        }

        @Override
        public boolean errorEndsConnection() {
            return d.errorEndsConnection();
        }

        @Override
        public boolean expectsMessages() {
            return d.expectsMessages();
        }

        @Override
        public boolean progressResetsRetries() {
            return d.progressResetsRetries();
        }

        @Override
        public List<DeepgramEvent> streamEnded() {
            return d.streamEnded();
        }
    }
}
