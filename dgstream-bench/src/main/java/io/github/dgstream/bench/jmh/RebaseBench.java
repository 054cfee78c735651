package io.github.dgstream.bench.jmh;

import io.github.dgstream.internal.SocketTimeline;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Timestamp rebasing ({@link SocketTimeline}): server time of one socket to session time. {@code segments} = 1 is the
 * normal case (one replay start per socket); more segments only occur when the journal dropped unsent audio while the
 * socket was live. {@code sent} is the per-frame bookkeeping on the send path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RebaseBench {
    @Param({"1", "8"})
    public int segments;

    private SocketTimeline timeline;
    private double serverSeconds;
    private long pos;

    @Setup
    public void setup() {
        timeline = SocketTimeline.bytes(8000);
        long source = 123_456;
        for (int i = 0; i < segments; i++) {
            timeline.sent(source, 80_000);
            source += 80_000 + 4_000; // a gap: audio dropped by the journal
        }
        serverSeconds = 3.21;
        pos = source;
    }

    @Benchmark
    public double toSession() {
        serverSeconds += 0.001;
        if (serverSeconds > 9) {
            serverSeconds = 3.21;
        }
        return timeline.toSession(serverSeconds);
    }

    @Benchmark
    public long sent() {
        timeline.sent(pos, 400);
        pos += 400;
        return timeline.socketBytes();
    }
}
