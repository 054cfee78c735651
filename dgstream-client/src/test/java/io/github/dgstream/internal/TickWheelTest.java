package io.github.dgstream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link TickWheel}: one timer task steps through the slots; each task runs once per period until cancelled. */
class TickWheelTest {
    private static final long PERIOD = TickWheel.SLOTS * 1_000L;

    /** Records the stepping task instead of starting a timer; {@link #period()} steps one whole period. */
    private static final class ManualStepper implements TickWheel.Stepper {
        Runnable step;
        long stepNanos;
        int starts;
        int cancels;

        @Override
        public Scheduler.Cancellable start(long stepNanos, Runnable step) {
            this.step = step;
            this.stepNanos = stepNanos;
            starts++;
            return () -> {
                cancels++;
                this.step = null;
            };
        }

        boolean running() {
            return step != null;
        }

        void period() {
            for (int i = 0; i < TickWheel.SLOTS && step != null; i++) {
                step.run();
            }
        }
    }

    @Test
    void eachTaskRunsOncePerPeriodFromOneTimerTask() {
        ManualStepper stepper = new ManualStepper();
        TickWheel wheel = new TickWheel(PERIOD, stepper);
        int n = 3 * TickWheel.SLOTS + 5;
        AtomicInteger[] runs = new AtomicInteger[n];
        for (int i = 0; i < n; i++) {
            AtomicInteger r = runs[i] = new AtomicInteger();
            wheel.add(r::incrementAndGet);
        }
        assertThat(stepper.starts).as("one timer task for all tasks").isEqualTo(1);
        assertThat(stepper.stepNanos).isEqualTo(PERIOD / TickWheel.SLOTS);
        stepper.period();
        stepper.period();
        for (AtomicInteger r : runs) {
            assertThat(r).hasValue(2);
        }
    }

    @Test
    void aStepRunsOnlyItsSlotsShareOfTheTasks() {
        ManualStepper stepper = new ManualStepper();
        TickWheel wheel = new TickWheel(PERIOD, stepper);
        AtomicInteger runs = new AtomicInteger();
        for (int i = 0; i < 4 * TickWheel.SLOTS; i++) {
            wheel.add(runs::incrementAndGet);
        }
        stepper.step.run();
        assertThat(runs).hasValue(4);
    }

    @Test
    void aCancelledTaskStopsAndTheTimerTaskEndsWithTheLastOne() {
        ManualStepper stepper = new ManualStepper();
        TickWheel wheel = new TickWheel(PERIOD, stepper);
        AtomicInteger a = new AtomicInteger();
        AtomicInteger b = new AtomicInteger();
        Scheduler.Cancellable ca = wheel.add(a::incrementAndGet);
        Scheduler.Cancellable cb = wheel.add(b::incrementAndGet);
        stepper.period();
        ca.cancel();
        ca.cancel(); // idempotent
        stepper.period();
        assertThat(a).hasValue(1);
        assertThat(b).hasValue(2);
        assertThat(stepper.running()).isTrue();
        cb.cancel();
        assertThat(stepper.running())
                .as("no timer task while the wheel is empty")
                .isFalse();
        assertThat(stepper.cancels).isEqualTo(1);
        assertThat(wheel.size()).isZero();

        AtomicInteger c = new AtomicInteger();
        wheel.add(c::incrementAndGet);
        assertThat(stepper.starts).as("restarted by the next task").isEqualTo(2);
        stepper.period();
        assertThat(c).hasValue(1);
    }

    @Test
    void aTaskCancelledByAnEarlierTaskOfTheSameStepDoesNotRun() {
        ManualStepper stepper = new ManualStepper();
        TickWheel wheel = new TickWheel(PERIOD, stepper);
        List<Scheduler.Cancellable> handles = new ArrayList<>();
        AtomicInteger second = new AtomicInteger();
        handles.add(wheel.add(() -> handles.get(1).cancel()));
        for (int i = 1; i < TickWheel.SLOTS; i++) {
            wheel.add(() -> {});
        }
        handles.add(wheel.add(second::incrementAndGet)); // the same slot as the first task
        stepper.step.run();
        assertThat(second).hasValue(0);
        assertThat(wheel.size()).isEqualTo(TickWheel.SLOTS);
    }

    @Test
    void aFailingTaskDoesNotStopTheOthers() {
        ManualStepper stepper = new ManualStepper();
        TickWheel wheel = new TickWheel(PERIOD, stepper);
        AtomicInteger runs = new AtomicInteger();
        wheel.add(() -> {
            throw new IllegalStateException("boom");
        });
        wheel.add(runs::incrementAndGet);
        stepper.period();
        stepper.period();
        assertThat(runs).hasValue(2);
    }

    @Test
    void onAScheduledExecutorTheWheelsTaskLeavesTheQueueWithItsLastTask() throws Exception {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
        timer.setRemoveOnCancelPolicy(true);
        try {
            TickWheel wheel = new TickWheel(TimeUnit.MILLISECONDS.toNanos(160), (step, r) -> {
                var f = timer.scheduleWithFixedDelay(r, step, step, TimeUnit.NANOSECONDS);
                return () -> f.cancel(false);
            });
            CountDownLatch ran = new CountDownLatch(3);
            Scheduler.Cancellable c = wheel.add(ran::countDown);
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(timer.getQueue()).hasSize(1);
            c.cancel();
            assertThat(timer.getQueue()).as("an idle timer thread may exit").isEmpty();
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void theClientsSchedulerRunsRepeatingTasksOnItsWheel() throws Exception {
        try (ClientResources res = new ClientResources(EngineHooks.NONE)) {
            CountDownLatch a = new CountDownLatch(3);
            CountDownLatch b = new CountDownLatch(3);
            long period = TimeUnit.MILLISECONDS.toNanos(32);
            Scheduler.Cancellable ca = res.scheduler().scheduleRepeating(Scheduler.Kind.LIVENESS, period, a::countDown);
            Scheduler.Cancellable cb = res.scheduler().scheduleRepeating(Scheduler.Kind.LIVENESS, period, b::countDown);
            assertThat(a.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(b.await(10, TimeUnit.SECONDS)).isTrue();
            ca.cancel();
            cb.cancel();
        }
    }
}
