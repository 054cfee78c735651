package io.github.dgstream.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dgstream.DeepgramEvent;
import io.github.dgstream.EventType;
import io.github.dgstream.LiveOptions;
import io.github.dgstream.StreamEvent;
import io.github.dgstream.internal.HandlerDispatcher;
import io.github.dgstream.internal.ProtocolAdapter;
import io.github.dgstream.internal.SocketTimeline;
import io.github.dgstream.internal.V1Adapter;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Inbound hot path: one {@code Results} message (JSON text as the transport hands it over) to the typed {@link
 * StreamEvent.Transcript}, with all times rebased ({@link V1Adapter#decode}), and then through the callback dispatcher
 * ({@link HandlerDispatcher}: bounded queue + serial executor) into a user handler. The dispatcher runs here on a
 * same-thread executor, so the figure is its bookkeeping without the thread hand-off (the load harness measures that).
 *
 * <p>Flux's TurnInfo decode is {@link FluxDecodeBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecodeBench {
    /** Words in the final: 1 (short answer), 8 (typical), 30 (long sentence). */
    @Param({"1", "8", "30"})
    public int words;

    private static final ObjectMapper TREE = new ObjectMapper();

    private String json;
    private V1Adapter adapter;
    private SocketTimeline timeline;
    private HandlerDispatcher dispatcher;
    private Blackhole sink;

    @Setup
    public void setup(Blackhole bh) {
        json = Messages.results(words);
        adapter = new V1Adapter(LiveOptions.builder()
                .model("nova-3")
                .encoding("mulaw")
                .sampleRate(8000)
                .build());
        timeline = SocketTimeline.bytes(8000);
        timeline.sent(0, 10_000_000); // a socket that started at source position 0
        sink = bh;
        dispatcher = new HandlerDispatcher(Runnable::run, 1024);
        dispatcher.add(EventType.TRANSCRIPT, e -> sink.consume(e));
    }

    /** Reference: only the Jackson tree that {@code decode} starts with (no events, no rebasing). */
    @Benchmark
    public JsonNode jacksonTreeOnly() throws Exception {
        return TREE.readTree(json);
    }

    @Benchmark
    public ProtocolAdapter.Decoded decode() {
        return adapter.decode(json, timeline);
    }

    @Benchmark
    public boolean decodeAndDispatch() {
        ProtocolAdapter.Decoded d = adapter.decode(json, timeline);
        boolean room = true;
        for (DeepgramEvent e : d.events()) {
            room &= dispatcher.offer(e);
        }
        return room;
    }
}
