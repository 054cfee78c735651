package io.github.dgstream.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.websocket.api.Callback;

/**
 * Benchmark support ({@link DeepgramEmulator.Builder#stampSentNanos(boolean)}): each v1 {@code Results} message
 * carries {@code metadata.extra.sent_ns} and each Flux {@code TurnInfo} message a top-level {@code extra.sent_ns}
 * (Flux messages have no {@code metadata}; clients ignore fields they do not know), the emulator's {@link
 * System#nanoTime()} just before it is serialised, and the time
 * from that stamp to Jetty's completion of the write (the frame is in the socket) is recorded here. That is the
 * emulator's own share of the latency a client measures against the stamp: serialising, Jetty's queue, the write,
 * and whatever delays this JVM (its GC pauses, waiting for a CPU).
 *
 * <p>Each figure is a {@link LatencyCounts} histogram. Thread-safe, lock-free.
 */
final class SendStamps {
    /**
     * A request header a benchmark client may add to its upgrade request: its {@link System#nanoTime()} when it
     * dialed. On one machine both JVMs read the same monotonic clock, so the emulator can time how long the handshake
     * took to reach it ({@link #handshakeReport()}).
     */
    static final String DIAL_HEADER = "X-Bench-Dial-Ns";

    private final LatencyCounts writes = new LatencyCounts();
    private final LatencyCounts requestSeen = new LatencyCounts();
    private final LatencyCounts opened = new LatencyCounts();

    /**
     * The object of {@code message} that gets the {@code extra.sent_ns} stamp, or {@code null} if this type of message
     * is not stamped: a {@code Results} message's {@code metadata} (where Deepgram echoes {@code extra} query
     * parameters), a {@code TurnInfo} message itself.
     */
    static ObjectNode holder(String type, ObjectNode message) {
        if ("Results".equals(type)) {
            return message.get("metadata") instanceof ObjectNode md ? md : null;
        }
        return "TurnInfo".equals(type) ? message : null;
    }

    /** Stamps now; returns the stamp. */
    long stamp() {
        return System.nanoTime();
    }

    /** A write callback that records the stamp-to-written time and then completes {@code next}. */
    Callback measuring(long stampNanos, Callback next) {
        return Callback.from(
                () -> {
                    record(System.nanoTime() - stampNanos);
                    next.succeed();
                },
                next::fail);
    }

    /** Records one stamp-to-written time. */
    void record(long nanos) {
        writes.record(nanos);
    }

    /** An upgrade request reached the emulator's decision (headers as recorded): dial to here, if it says when. */
    void handshakeSeen(Map<String, List<String>> headers) {
        long dial = dialNanos(headers);
        if (dial != 0) {
            requestSeen.record(System.nanoTime() - dial);
        }
    }

    /** The emulator's side of the WebSocket opened: dial to here, if the request said when it dialed. */
    void handshakeOpened(Map<String, List<String>> headers) {
        long dial = dialNanos(headers);
        if (dial != 0) {
            opened.record(System.nanoTime() - dial);
        }
    }

    private static long dialNanos(Map<String, List<String>> headers) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(DIAL_HEADER) && !e.getValue().isEmpty()) {
                try {
                    return Long.parseLong(e.getValue().get(0).trim());
                } catch (NumberFormatException ignored) {
                    return 0;
                }
            }
        }
        return 0;
    }

    /** Forgets everything recorded so far (the start of a measuring window). */
    void reset() {
        writes.reset();
        requestSeen.reset();
        opened.reset();
    }

    /** One line: {@code n=... p50_ms=... p99_ms=... max_ms=...}: stamp-to-written times since the last reset. */
    String report() {
        return writes.report("");
    }

    /**
     * One line, {@code seen_n=... seen_p50_ms=... ... open_max_ms=...}, since the last reset: from the client's dial
     * ({@link #DIAL_HEADER}) to the emulator deciding on the upgrade request ({@code seen}: the client's connect and
     * request, the accept, Jetty's parsing, and waiting for CPUs on both sides) and to the emulator's side of the
     * WebSocket being open ({@code open}). The rest of the client's handshake is the 101 response reaching it.
     */
    String handshakeReport() {
        return requestSeen.report("seen_") + " " + opened.report("open_");
    }
}
