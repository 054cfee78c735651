package io.github.dgstream;

import io.github.dgstream.internal.BufferPublisher;
import io.github.dgstream.internal.EventBuffer;
import io.github.dgstream.internal.SerialExecutor;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;

/**
 * Done-when 4: the Reactive Streams TCK (run by the TestNG engine on the JUnit Platform) against the very publisher
 * {@link StreamSession#events()} returns, fed through the same {@link EventBuffer} by a synthetic event source that
 * honours the buffer's flow control like the engine does. No network.
 */
public class EventPublisherTckTest extends FlowPublisherVerification<StreamEvent> {
    static final int CAPACITY = 16;

    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "tck-pool");
        t.setDaemon(true);
        return t;
    });

    public EventPublisherTckTest() {
        super(new TestEnvironment(300));
    }

    @AfterClass
    public void shutdown() {
        pool.shutdownNow();
    }

    @Override
    public Flow.Publisher<StreamEvent> createFlowPublisher(long elements) {
        SyntheticSource source = new SyntheticSource(elements, new SerialExecutor(pool));
        return new BufferPublisher(source.buffer, pool, () -> null, source::cancel);
    }

    @Override
    public Flow.Publisher<StreamEvent> createFailedFlowPublisher() {
        // A closed session: subscribing gets onError.
        SyntheticSource source = new SyntheticSource(0, new SerialExecutor(pool));
        return new BufferPublisher(source.buffer, pool, () -> "the session is closed", source::cancel);
    }

    /** Offers {@code n} events like the engine does: stops at a false, continues when the buffer has space. */
    static final class SyntheticSource {
        final EventBuffer buffer = new EventBuffer(CAPACITY, OverflowPolicy.BLOCK, e -> {}, e -> {});
        private final long n;
        private final SerialExecutor actor;
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private long produced;
        private boolean completed;

        SyntheticSource(long n, SerialExecutor actor) {
            this.n = n;
            this.actor = actor;
            buffer.onSpace(() -> actor.execute(this::pump));
            actor.execute(this::pump);
        }

        private void pump() {
            while (produced < n && !cancelled.get()) {
                long i = produced++;
                StreamEvent e = new StreamEvent.Transcript("w" + i, true, true, false, i, 1, List.of(), 0, 1.0);
                if (!buffer.offer(e)) {
                    return; // resumed by onSpace
                }
            }
            if (!completed && (produced == n || cancelled.get())) {
                completed = true;
                buffer.complete(() -> {});
            }
        }

        void cancel() {
            cancelled.set(true);
            buffer.discardAll();
            actor.execute(this::pump);
        }
    }
}
