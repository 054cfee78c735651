package io.github.dgstream.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.dgstream.DeepgramEvent;
import io.github.dgstream.EventType;
import io.github.dgstream.StreamEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The callback API's hand-off: order, one handler at a time, backpressure, completion, fairness on a shared pool. */
class HandlerDispatcherTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static StreamEvent event(int n) {
        return new StreamEvent.SpeechStarted(n, 0);
    }

    private static int number(DeepgramEvent e) {
        return (int) ((StreamEvent.SpeechStarted) e).timestamp();
    }

    @Test
    void deliversInOfferOrderOneHandlerAtATimeAndCompletesAfterTheLast() throws Exception {
        HandlerDispatcher d = new HandlerDispatcher(pool, 100_000);
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger running = new AtomicInteger();
        AtomicBoolean overlapped = new AtomicBoolean();
        d.add(EventType.SPEECH_STARTED, e -> {
            if (running.incrementAndGet() > 1) {
                overlapped.set(true);
            }
            seen.add(number(e));
            running.decrementAndGet();
        });
        CountDownLatch done = new CountDownLatch(1);
        for (int i = 0; i < 20_000; i++) {
            d.offer(event(i));
            if (i % 1000 == 0) {
                Thread.yield(); // let drains find the queue empty now and then, so it is resubmitted many times
            }
        }
        d.complete(done::countDown);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).hasSize(20_000);
        for (int i = 0; i < seen.size(); i++) {
            assertThat(seen.get(i)).isEqualTo(i);
        }
        assertThat(overlapped).isFalse();
    }

    @Test
    void aDispatcherOfCapacityOneRefusesRoomWhileAnEventIsPendingAndResumesReading() throws Exception {
        // capacity 1: one event not yet delivered fills the dispatcher, and the drain that delivers it gives the
        // room back (round 8 tried carrying such an event in the drain task instead of the queue; this guards both)
        HandlerDispatcher d = new HandlerDispatcher(pool, 1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        d.add(EventType.SPEECH_STARTED, e -> {
            blockUntil(release);
            seen.add(number(e));
        });
        AtomicInteger resumed = new AtomicInteger();
        d.onSpace(resumed::incrementAndGet);
        assertThat(d.offer(event(0)))
                .as("one event in flight fills a dispatcher of capacity 1")
                .isFalse();
        assertThat(d.offer(event(1))).isFalse();
        release.countDown();
        await().atMost(WAIT).until(() -> seen.size() == 2);
        assertThat(seen).containsExactly(0, 1);
        await().atMost(WAIT).until(() -> resumed.get() >= 1);
        assertThat(d.offer(event(2))).isFalse();
        await().atMost(WAIT).until(() -> seen.size() == 3);
        assertThat(seen).containsExactly(0, 1, 2);
    }

    @Test
    void fullQueueRefusesRoomAndResumesAtHalf() throws Exception {
        HandlerDispatcher d = new HandlerDispatcher(pool, 4);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger delivered = new AtomicInteger();
        d.add(EventType.SPEECH_STARTED, e -> {
            blockUntil(release);
            delivered.incrementAndGet();
        });
        AtomicInteger resumed = new AtomicInteger();
        d.onSpace(resumed::incrementAndGet);
        assertThat(d.offer(event(0))).isTrue();
        assertThat(d.offer(event(1))).isTrue();
        assertThat(d.offer(event(2))).isTrue();
        boolean room3 = d.offer(event(3));
        boolean room4 = d.offer(event(4));
        assertThat(room3 && room4)
                .as("at capacity the offer says there is no room")
                .isFalse();
        assertThat(resumed).hasValue(0);
        release.countDown();
        await().atMost(WAIT).until(() -> delivered.get() == 5);
        assertThat(resumed).as("resumed once, when the queue fell to half").hasValue(1);
    }

    @Test
    void aBusySessionYieldsThePoolToOthers() throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor();
        try {
            HandlerDispatcher busy = new HandlerDispatcher(single, 100_000);
            HandlerDispatcher other = new HandlerDispatcher(single, 100_000);
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            busy.add(EventType.SPEECH_STARTED, e -> order.add("busy"));
            other.add(EventType.SPEECH_STARTED, e -> order.add("other"));
            CountDownLatch gate = new CountDownLatch(1);
            single.execute(() -> {
                blockUntil(gate);
            });
            for (int i = 0; i < 1000; i++) {
                busy.offer(event(i));
            }
            other.offer(event(0));
            gate.countDown();
            await().atMost(WAIT).until(() -> order.size() == 1001);
            assertThat(order.indexOf("other"))
                    .as("the other session's event went after one batch of the busy one, not after all of it")
                    .isLessThan(1000)
                    .isGreaterThan(0);
        } finally {
            single.shutdownNow();
        }
    }

    /** Regression: the completion callback was lost, so the session's terminated future never completed. */
    @Test
    void aClosedPoolDropsEventsWithoutThrowingAndStillReportsCompletion() {
        HandlerDispatcher d = new HandlerDispatcher(pool, 10);
        List<DeepgramEvent> seen = new CopyOnWriteArrayList<>();
        d.add(EventType.SPEECH_STARTED, seen::add);
        pool.shutdownNow();
        assertThat(d.offer(event(1))).isTrue();
        AtomicBoolean done = new AtomicBoolean();
        d.complete(() -> done.set(true));
        assertThat(done).isTrue(); // at once, on this thread: no pool thread is left to run it
        assertThat(seen).isEmpty();
    }

    /** Blocks a handler (or pool task) until the test releases it; bounded, so a failed test cannot hang a thread. */
    private static void blockUntil(CountDownLatch release) {
        try {
            if (!release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("never released");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
