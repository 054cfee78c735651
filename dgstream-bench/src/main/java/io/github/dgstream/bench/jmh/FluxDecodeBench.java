package io.github.dgstream.bench.jmh;

import io.github.dgstream.FluxOptions;
import io.github.dgstream.internal.FluxAdapter;
import io.github.dgstream.internal.ProtocolAdapter;
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
 * Flux inbound hot path: one {@code TurnInfo} {@code Update} (the message Flux sends most, several per second while
 * someone speaks) to the typed {@code FluxEvent}, through {@link FluxAdapter#decode}: validation, rebasing onto the
 * session clock and turn-index reconciliation, on a turn already in progress; each Update reaches further than the
 * last, so each produces an {@code Update} event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FluxDecodeBench {
    /** Words in the turn so far: 1, 8, 30. */
    @Param({"1", "8", "30"})
    public int words;

    /** Updates that each reach 50 ms further than the one before: an Update that does not advance is dropped. */
    private static final int UPDATES = 4096;

    private final String[] json = new String[UPDATES];
    private int next;
    private FluxAdapter adapter;
    private SocketTimeline timeline;

    @Setup
    public void setup() {
        for (int i = 0; i < UPDATES; i++) {
            json[i] = Messages.turnInfo(words, i * 0.05);
        }
        timeline = SocketTimeline.bytes(32000);
        timeline.sent(0, 32000 * 600); // a socket that started at source position 0, 10 minutes of audio sent
        newTurn();
    }

    private void newTurn() {
        adapter = new FluxAdapter(
                FluxOptions.builder().encoding("linear16").sampleRate(16000).build());
        adapter.onNewSocket(0);
        adapter.decode(json[0].replace("\"Update\"", "\"StartOfTurn\""), timeline);
        next = 1;
    }

    @Benchmark
    public ProtocolAdapter.Decoded decodeTurnInfo() {
        if (next == UPDATES) {
            newTurn(); // once per 4,095 operations
        }
        return adapter.decode(json[next++], timeline);
    }
}
