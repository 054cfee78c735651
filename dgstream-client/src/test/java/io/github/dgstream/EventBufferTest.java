package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dgstream.internal.EventBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The overflow policies of the pull API's buffer, deterministically (no network, no threads). */
class EventBufferTest {
    final List<DeepgramException> failures = new ArrayList<>();
    final List<DeepgramEvent> taken = new ArrayList<>();
    final AtomicInteger resumed = new AtomicInteger();

    EventBuffer buffer(int capacity, OverflowPolicy policy) {
        EventBuffer b = new EventBuffer(capacity, policy, failures::add, taken::add);
        b.onSpace(resumed::incrementAndGet);
        return b;
    }

    static StreamEvent.Transcript result(String text, boolean isFinal) {
        return new StreamEvent.Transcript(text, isFinal, isFinal, false, 0, 1, List.of(), 0, 1.0);
    }

    @Test
    void blockSaysStopAtCapacityAndResumesAtHalf() {
        EventBuffer b = buffer(4, OverflowPolicy.BLOCK);
        assertThat(b.offer(result("a", true))).isTrue();
        assertThat(b.offer(result("b", false))).isTrue();
        assertThat(b.offer(result("c", true))).isTrue();
        assertThat(b.offer(result("d", true))).isFalse();
        assertThat(b.isPaused()).isTrue();
        assertThat(b.tryPoll()).isEqualTo(result("a", true));
        assertThat(resumed).hasValue(0); // 3 left: more than half
        b.tryPoll();
        assertThat(resumed).hasValue(1);
        assertThat(b.isPaused()).isFalse();
        assertThat(b.highWaterMark()).isEqualTo(4);
        assertThat(taken).hasSize(2);
    }

    @Test
    void dropInterimEvictsOldestInterimNeverFinalsOrLifecycle() {
        EventBuffer b = buffer(3, OverflowPolicy.DROP_INTERIM);
        b.offer(result("i1", false));
        b.offer(result("f1", true));
        assertThat(b.offer(result("i2", false))).isTrue(); // full, but interims can still be evicted
        assertThat(b.offer(result("f2", true))).isTrue(); // evicts i1
        assertThat(b.offer(new CloseEvent(1000, "", true))).isFalse(); // evicts i2; now only undroppable events
        assertThat(b.offer(result("i3", false))).isFalse(); // an arriving interim is dropped
        assertThat(b.droppedInterims()).isEqualTo(3);
        assertThat(b.highWaterMark()).isEqualTo(3);
        List<DeepgramEvent> out = new ArrayList<>();
        for (DeepgramEvent e; (e = b.tryPoll()) != null; ) {
            out.add(e);
        }
        assertThat(out).containsExactly(result("f1", true), result("f2", true), new CloseEvent(1000, "", true));
    }

    @Test
    void failReportsOnceAndDiscardsLaterServerEventsButNotLifecycle() {
        EventBuffer b = buffer(2, OverflowPolicy.FAIL);
        assertThat(b.offer(result("a", true))).isTrue();
        assertThat(b.offer(result("b", true))).isTrue();
        assertThat(b.offer(result("c", true))).isTrue(); // never pauses: it fails instead
        assertThat(b.offer(result("d", true))).isTrue();
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(DeepgramException.Kind.OVERFLOW);
            assertThat(f.getMessage()).contains("eventBufferCapacity=2").contains("overflowPolicy=FAIL");
        });
        b.offer(new ErrorEvent(failures.get(0)));
        b.offer(new CloseEvent(-1, "", false));
        b.complete(() -> {});
        List<EventType> types = new ArrayList<>();
        for (DeepgramEvent e; (e = b.tryPoll()) != null; ) {
            types.add(e.type());
        }
        assertThat(types).containsExactly(EventType.TRANSCRIPT, EventType.TRANSCRIPT, EventType.ERROR, EventType.CLOSE);
        assertThat(b.isEnded()).isTrue();
    }

    @Test
    void discardAllReleasesTheProducerAndStillShowsEveryEventToTheObserver() {
        EventBuffer b = buffer(1, OverflowPolicy.BLOCK);
        assertThat(b.offer(result("a", true))).isFalse();
        AtomicInteger drained = new AtomicInteger();
        b.discardAll();
        assertThat(resumed).hasValue(1);
        assertThat(b.offer(result("b", true))).isTrue();
        b.complete(drained::incrementAndGet);
        assertThat(drained).hasValue(1);
        assertThat(taken).extracting(e -> ((StreamEvent.Transcript) e).text()).containsExactly("a", "b");
        assertThat(b.tryPoll()).isNull();
        assertThat(b.isEnded()).isTrue();
    }

    static FluxEvent.Update update(int turn, double end) {
        return new FluxEvent.Update(turn, 0, end, "t", List.of(), 0);
    }

    @Test
    void dropInterimDropsFluxUpdatesButNeverTurnBoundaries() {
        EventBuffer b = buffer(3, OverflowPolicy.DROP_INTERIM);
        FluxEvent.StartOfTurn start = new FluxEvent.StartOfTurn(0, 0, 0.1, "", List.of(), 0);
        FluxEvent.EndOfTurn eot = new FluxEvent.EndOfTurn(0, 0, 1, "t.", List.of(), 0.9, "model", false);
        b.offer(start);
        b.offer(update(0, 0.25));
        b.offer(update(0, 0.5)); // full
        b.offer(eot); // evicts the oldest Update, never a turn boundary
        assertThat(b.droppedInterims()).isEqualTo(1);
        List<DeepgramEvent> out = new ArrayList<>();
        for (DeepgramEvent e; (e = b.tryPoll()) != null; ) {
            out.add(e);
        }
        assertThat(out).containsExactly(start, update(0, 0.5), eot);
    }
}
