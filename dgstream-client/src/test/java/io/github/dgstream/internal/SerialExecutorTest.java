package io.github.dgstream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The actor's ordering and where its tasks run; the pool is a queue the test runs by hand. */
class SerialExecutorTest {
    final ArrayDeque<Runnable> pool = new ArrayDeque<>();
    final SerialExecutor actor = new SerialExecutor(pool::add);
    final List<String> ran = new ArrayList<>();

    private void runPool() {
        Runnable r;
        while ((r = pool.poll()) != null) {
            r.run();
        }
    }

    @Test
    void aFollowUpOfAnInlineTaskRunsOnTheCallersThreadBeforeTheCallReturns() {
        actor.executeInline(() -> {
            ran.add("task");
            actor.executeNext(
                    () -> ran.add("follow-up on " + Thread.currentThread().getName()));
            ran.add("task done");
        });

        assertThat(ran)
                .containsExactly(
                        "task",
                        "task done",
                        "follow-up on " + Thread.currentThread().getName());
        assertThat(pool).as("no pool hop").isEmpty();
    }

    @Test
    void aTaskQueuedWhileTheInlineTaskRanGoesBeforeItsFollowUp() {
        actor.executeInline(() -> {
            actor.execute(() -> ran.add("queued meanwhile"));
            actor.executeNext(() -> ran.add("follow-up"));
            ran.add("task");
        });
        assertThat(ran).containsExactly("task");

        runPool();
        assertThat(ran).containsExactly("task", "queued meanwhile", "follow-up");
    }

    @Test
    void followUpsKeepTheirOrderAndMayAskForMore() {
        actor.execute(() -> {
            actor.executeNext(() -> {
                ran.add("first");
                actor.executeNext(() -> ran.add("third"));
            });
            actor.executeNext(() -> ran.add("second"));
        });
        runPool();

        assertThat(ran).containsExactly("first", "second", "third");
    }

    @Test
    void fromOutsideTheActorItIsExecute() {
        actor.executeNext(() -> ran.add("task"));
        assertThat(ran).isEmpty();

        runPool();
        assertThat(ran).containsExactly("task");
    }
}
