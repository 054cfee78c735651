package io.github.dgstream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Scheduler#scheduleRepeating}'s default: a chain of one-shot timers that stops when cancelled. */
class SchedulerRepeatingTest {
    /** One-shot timers fired by hand. */
    private static final class ManualScheduler implements Scheduler {
        final List<Runnable> pending = new ArrayList<>();
        final List<Long> delays = new ArrayList<>();

        @Override
        public Cancellable schedule(Kind kind, long delayNanos, Runnable task) {
            pending.add(task);
            delays.add(delayNanos);
            return () -> pending.remove(task);
        }

        void fireAll() {
            for (Runnable r : new ArrayList<>(pending)) {
                pending.remove(r);
                r.run();
            }
        }
    }

    @Test
    void runsEveryPeriodUntilCancelled() {
        ManualScheduler s = new ManualScheduler();
        AtomicInteger runs = new AtomicInteger();
        Scheduler.Cancellable c = s.scheduleRepeating(Scheduler.Kind.LIVENESS, 500, runs::incrementAndGet);
        assertThat(runs).hasValue(0);
        s.fireAll();
        s.fireAll();
        s.fireAll();
        assertThat(runs).hasValue(3);
        assertThat(s.delays).containsOnly(500L).hasSize(4);
        c.cancel();
        assertThat(s.pending).as("the next timer is cancelled too").isEmpty();
        s.fireAll();
        assertThat(runs).hasValue(3);
    }

    @Test
    void aTaskThatCancelsItsOwnSeriesIsTheLastRun() {
        ManualScheduler s = new ManualScheduler();
        AtomicInteger runs = new AtomicInteger();
        Scheduler.Cancellable[] self = new Scheduler.Cancellable[1];
        self[0] = s.scheduleRepeating(Scheduler.Kind.LIVENESS, 20, () -> {
            if (runs.incrementAndGet() == 2) {
                self[0].cancel();
            }
        });
        s.fireAll();
        s.fireAll();
        assertThat(runs).hasValue(2);
        assertThat(s.pending).isEmpty();
    }
}
