package io.github.dgstream.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link TickWheel}: at most 16 timer entries per period, each running its slot's tasks, until they are cancelled. */
class TickWheelTest {
    private static final long PERIOD = 500_000_000L;

    /** Records the entries instead of starting timers; {@link #period()} fires every live entry once. */
    private static final class ManualTimer implements TickWheel.Timer {
        final List<Runnable> live = new ArrayList<>();
        int starts;

        @Override
        public Scheduler.Cancellable start(long periodNanos, Runnable run) {
            assertThat(periodNanos).isEqualTo(PERIOD);
            live.add(run);
            starts++;
            return () -> live.remove(run);
        }

        void period() {
            for (Runnable r : new ArrayList<>(live)) {
                r.run();
            }
        }
    }

    @Test
    void manyTasksShareSixteenEntriesAndEachRunsOncePerPeriod() {
        ManualTimer timer = new ManualTimer();
        TickWheel wheel = new TickWheel(PERIOD, timer);
        int n = 3 * TickWheel.SLOTS + 5;
        AtomicInteger[] runs = new AtomicInteger[n];
        for (int i = 0; i < n; i++) {
            AtomicInteger r = runs[i] = new AtomicInteger();
            wheel.add(r::incrementAndGet);
        }
        assertThat(timer.live).hasSize(TickWheel.SLOTS);
        assertThat(wheel.entries()).isEqualTo(TickWheel.SLOTS);
        timer.period();
        timer.period();
        for (AtomicInteger r : runs) {
            assertThat(r).hasValue(2);
        }
    }

    @Test
    void fewerTasksThanSlotsEachGetAnEntryOfTheirOwn() {
        ManualTimer timer = new ManualTimer();
        TickWheel wheel = new TickWheel(PERIOD, timer);
        AtomicInteger runs = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            wheel.add(runs::incrementAndGet);
        }
        assertThat(timer.live)
                .as("no more timer wake-ups than one entry per task")
                .hasSize(3);
        timer.live.get(0).run();
        assertThat(runs).hasValue(1);
    }

    @Test
    void aCancelledTaskStopsAndAnEmptySlotGivesUpItsEntry() {
        ManualTimer timer = new ManualTimer();
        TickWheel wheel = new TickWheel(PERIOD, timer);
        AtomicInteger a = new AtomicInteger();
        AtomicInteger b = new AtomicInteger();
        Scheduler.Cancellable ca = wheel.add(a::incrementAndGet);
        Scheduler.Cancellable cb = wheel.add(b::incrementAndGet);
        timer.period();
        ca.cancel();
        ca.cancel(); // idempotent
        timer.period();
        assertThat(a).hasValue(1);
        assertThat(b).hasValue(2);
        assertThat(timer.live).hasSize(1);
        cb.cancel();
        assertThat(timer.live).as("no timer entry while the wheel is empty").isEmpty();
        assertThat(wheel.size()).isZero();

        AtomicInteger c = new AtomicInteger();
        wheel.add(c::incrementAndGet);
        assertThat(timer.starts).as("a new entry for the next task").isEqualTo(3);
        timer.period();
        assertThat(c).hasValue(1);
    }

    @Test
    void newTasksFillTheEmptiestSlot() {
        ManualTimer timer = new ManualTimer();
        TickWheel wheel = new TickWheel(PERIOD, timer);
        List<Scheduler.Cancellable> handles = new ArrayList<>();
        for (int i = 0; i < 2 * TickWheel.SLOTS; i++) {
            handles.add(wheel.add(() -> {}));
        }
        handles.get(0).cancel();
        handles.get(TickWheel.SLOTS).cancel(); // both were in the first slot: it is empty now
        assertThat(wheel.entries()).isEqualTo(TickWheel.SLOTS - 1);
        wheel.add(() -> {});
        assertThat(wheel.entries()).as("the emptied slot is used again").isEqualTo(TickWheel.SLOTS);
    }

    @Test
    void aTaskCancelledByAnEarlierTaskOfTheSameSlotDoesNotRun() {
        ManualTimer timer = new ManualTimer();
        TickWheel wheel = new TickWheel(PERIOD, timer);
        List<Scheduler.Cancellable> handles = new ArrayList<>();
        AtomicInteger second = new AtomicInteger();
        handles.add(wheel.add(() -> handles.get(1).cancel()));
        for (int i = 1; i < TickWheel.SLOTS; i++) {
            wheel.add(() -> {});
        }
        handles.add(wheel.add(second::incrementAndGet)); // the same slot as the first task
        timer.live.get(0).run();
        assertThat(second).hasValue(0);
        assertThat(wheel.size()).isEqualTo(TickWheel.SLOTS);
    }

    @Test
    void aFailingTaskDoesNotStopTheOthersOfItsSlot() {
        ManualTimer timer = new ManualTimer();
        TickWheel wheel = new TickWheel(PERIOD, timer);
        AtomicInteger runs = new AtomicInteger();
        wheel.add(() -> {
            throw new IllegalStateException("boom");
        });
        for (int i = 1; i < TickWheel.SLOTS; i++) {
            wheel.add(() -> {});
        }
        wheel.add(runs::incrementAndGet); // the same slot as the failing task
        timer.period();
        timer.period();
        assertThat(runs).hasValue(2);
    }

    @Test
    void onAScheduledExecutorTheLastCancelEmptiesTheQueue() throws Exception {
        ScheduledThreadPoolExecutor stpe = new ScheduledThreadPoolExecutor(1);
        stpe.setRemoveOnCancelPolicy(true);
        try {
            TickWheel wheel = new TickWheel(TimeUnit.MILLISECONDS.toNanos(20), (period, r) -> {
                var f = stpe.scheduleWithFixedDelay(r, period, period, TimeUnit.NANOSECONDS);
                return () -> f.cancel(false);
            });
            CountDownLatch ran = new CountDownLatch(3);
            Scheduler.Cancellable c = wheel.add(ran::countDown);
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            // the entry is back in the queue once its run ends (it may still be running when the latch opens)
            await().atMost(Duration.ofSeconds(10)).until(() -> stpe.getQueue().size() == 1);
            c.cancel();
            // removed from the queue at once, or, if it was running, not re-queued: an idle timer thread may exit
            await().atMost(Duration.ofSeconds(10)).until(() -> stpe.getQueue().isEmpty());
        } finally {
            stpe.shutdownNow();
        }
    }

    @Test
    void theClientsSchedulerRunsRepeatingTasks() throws Exception {
        try (ClientResources res = new ClientResources(EngineHooks.NONE)) {
            CountDownLatch a = new CountDownLatch(3);
            CountDownLatch b = new CountDownLatch(3);
            long period = TimeUnit.MILLISECONDS.toNanos(20);
            Scheduler.Cancellable ca = res.scheduler().scheduleRepeating(Scheduler.Kind.LIVENESS, period, a::countDown);
            Scheduler.Cancellable cb = res.scheduler().scheduleRepeating(Scheduler.Kind.LIVENESS, period, b::countDown);
            assertThat(a.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(b.await(10, TimeUnit.SECONDS)).isTrue();
            ca.cancel();
            cb.cancel();
        }
    }
}
