package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dgstream.internal.Scheduler.Kind;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The virtual time the backoff tests wait on: a timer they wait for must never be fired behind their back. */
class FakeSchedulerTest {
    @Test
    void advanceUnlessPendingStopsAtATimerOfThatKindScheduledDuringTheAdvance() {
        FakeScheduler time = new FakeScheduler();
        AtomicBoolean backoffRan = new AtomicBoolean();
        // A liveness verdict that schedules a backoff, as a detected drop does.
        time.schedule(
                Kind.LIVENESS, 10_000_000L, () -> time.schedule(Kind.BACKOFF, 50_000_000L, () -> backoffRan.set(true)));
        long start = time.nanoTime();

        time.advanceUnlessPending(Kind.BACKOFF, 250);

        assertThat(backoffRan)
                .as("the backoff timer is left for the test to fire")
                .isFalse();
        assertThat(time.pending(Kind.BACKOFF)).isPresent();
        assertThat(time.nanoTime() - start)
                .as("time stopped where the backoff appeared")
                .isEqualTo(10_000_000L);
        time.advanceUnlessPending(Kind.BACKOFF, 250);
        assertThat(time.nanoTime() - start).as("no advance while it is pending").isEqualTo(10_000_000L);
    }

    @Test
    void plainAdvanceFiresEverythingDue() {
        FakeScheduler time = new FakeScheduler();
        AtomicBoolean backoffRan = new AtomicBoolean();
        time.schedule(
                Kind.LIVENESS, 10_000_000L, () -> time.schedule(Kind.BACKOFF, 50_000_000L, () -> backoffRan.set(true)));

        time.advance(250);

        assertThat(backoffRan).isTrue();
        assertThat(time.pending(Kind.BACKOFF)).isEmpty();
    }
}
