package io.github.dgstream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dgstream.DeepgramEvent;
import io.github.dgstream.OverflowPolicy;
import io.github.dgstream.StreamEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Signal ordering of the pull publisher, with the pool run by hand so every interleaving is chosen by the test. */
class BufferPublisherTest {
    /** Runs submitted tasks only when the test says so. */
    static final class ManualPool implements Executor {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            for (Runnable r; (r = tasks.poll()) != null; ) {
                r.run();
            }
        }
    }

    static final class Recorder implements Flow.Subscriber<DeepgramEvent> {
        final List<String> signals = new ArrayList<>();
        Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            signals.add("subscribe");
        }

        @Override
        public void onNext(DeepgramEvent item) {
            signals.add("next");
        }

        @Override
        public void onError(Throwable t) {
            signals.add("error");
        }

        @Override
        public void onComplete() {
            signals.add("complete");
        }
    }

    static StreamEvent.Transcript result(int i) {
        return new StreamEvent.Transcript("w" + i, true, true, false, i, 1, List.of(), 0, 1.0);
    }

    /**
     * Regression (CI flake in the TCK's rule 3.6 test), with real threads: the subscriber cancels from another thread
     * the moment onSubscribe has run, racing the pool thread's first drain. Before the fix, a drain that had already
     * read the subscriber saw the buffer ended by the cancel's discard and signalled onComplete. The race window is
     * tens of nanoseconds, so it is repeated; each round is independent.
     */
    @Test
    void aCancelRacingTheFirstDrainNeverCompletesTheSubscriber() throws Exception {
        // One pool thread: once a task queued after the cancel has run, the signal runner queued before it has too.
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            int completedAfterCancel = 0;
            for (int round = 0; round < 20_000; round++) {
                EventBuffer buffer = new EventBuffer(16, OverflowPolicy.BLOCK, e -> {}, e -> {});
                for (int i = 0; i < 3; i++) {
                    buffer.offer(result(i));
                }
                BufferPublisher<DeepgramEvent> publisher =
                        new BufferPublisher<>(buffer, pool, () -> null, buffer::discardAll);
                AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
                AtomicBoolean completed = new AtomicBoolean();
                publisher.subscribe(new Flow.Subscriber<DeepgramEvent>() {
                    @Override
                    public void onSubscribe(Flow.Subscription s) {
                        subscription.set(s);
                    }

                    @Override
                    public void onNext(DeepgramEvent item) {}

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onComplete() {
                        completed.set(true);
                    }
                });
                while (subscription.get() == null) {
                    Thread.onSpinWait();
                }
                subscription.get().cancel();
                pool.submit(() -> {}).get(10, TimeUnit.SECONDS);
                if (completed.get()) {
                    completedAfterCancel++;
                }
            }
            assertThat(completedAfterCancel)
                    .as("rounds where onComplete followed cancel")
                    .isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Regression (CI flake in the TCK's rule 3.6 test): the cancel discards the buffer, which ends it; a drain that was
     * already scheduled then saw the end and signalled onComplete to the cancelled subscriber.
     */
    @Test
    void aDrainScheduledBeforeTheCancelDoesNotCompleteTheCancelledSubscriber() {
        ManualPool pool = new ManualPool();
        EventBuffer buffer = new EventBuffer(16, OverflowPolicy.BLOCK, e -> {}, e -> {});
        for (int i = 0; i < 3; i++) {
            buffer.offer(result(i));
        }
        BufferPublisher<DeepgramEvent> publisher = new BufferPublisher<>(buffer, pool, () -> null, buffer::discardAll);
        Recorder subscriber = new Recorder();
        publisher.subscribe(subscriber);
        pool.runAll(); // onSubscribe; the first drain finds no demand
        subscriber.subscription.request(1); // schedules a drain, not yet run
        subscriber.subscription.cancel(); // discards the rest: the buffer is now ended
        pool.runAll();
        subscriber.subscription.request(1);
        pool.runAll();
        assertThat(subscriber.signals).containsExactly("subscribe");
        assertThat(buffer.isEnded()).isTrue();
    }

    @Test
    void anUncancelledSubscriberGetsEveryRequestedEventThenComplete() {
        ManualPool pool = new ManualPool();
        EventBuffer buffer = new EventBuffer(16, OverflowPolicy.BLOCK, e -> {}, e -> {});
        for (int i = 0; i < 2; i++) {
            buffer.offer(result(i));
        }
        buffer.complete(() -> {});
        BufferPublisher<DeepgramEvent> publisher = new BufferPublisher<>(buffer, pool, () -> null, buffer::discardAll);
        Recorder subscriber = new Recorder();
        publisher.subscribe(subscriber);
        pool.runAll();
        subscriber.subscription.request(1);
        pool.runAll();
        assertThat(subscriber.signals).containsExactly("subscribe", "next");
        subscriber.subscription.request(5);
        pool.runAll();
        assertThat(subscriber.signals).containsExactly("subscribe", "next", "next", "complete");
    }
}
