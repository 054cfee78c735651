package io.github.dgstream.internal;

import io.github.dgstream.DeepgramEvent;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-subscriber {@link Flow.Publisher} over an {@link EventBuffer}. Signals run serially on a {@link
 * SerialExecutor} over the client's handler pool (never on transport or engine threads, no thread of its own).
 * {@code request(n)} is honoured exactly: the buffer only gives up as many events as were requested, so a subscriber
 * that stops requesting fills the buffer and its overflow policy applies. The stream ends with {@code onComplete}
 * after the last event (the session's {@code CloseEvent}); failures of the session are in-band events.
 * {@code cancel()} runs the {@code onCancel} action once (the session closes and discards the rest).
 */
public final class BufferPublisher<E extends DeepgramEvent> implements Flow.Publisher<E> {
    private static final Logger LOG = LoggerFactory.getLogger(BufferPublisher.class);
    private static final int BATCH = 256;

    private final EventBuffer buffer;
    private final Executor pool;
    private final Supplier<String> admission;
    private final Runnable onCancel;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private volatile SerialExecutor admitted;

    /**
     * @param pool where signals run (wrapped in a serial executor per subscriber)
     * @param admission asked once, for the first subscriber: null to admit it, or why it may not subscribe
     * @param onCancel run once when the subscriber cancels
     */
    public BufferPublisher(EventBuffer buffer, Executor pool, Supplier<String> admission, Runnable onCancel) {
        this.buffer = Objects.requireNonNull(buffer);
        this.pool = Objects.requireNonNull(pool);
        this.admission = Objects.requireNonNull(admission);
        this.onCancel = Objects.requireNonNull(onCancel);
    }

    @Override
    public void subscribe(Flow.Subscriber<? super E> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber"); // rule 1.9
        SerialExecutor signals = new SerialExecutor(pool);
        if (!subscribed.compareAndSet(false, true)) {
            reject(signals, subscriber, "events() supports a single subscriber and already has one");
            return;
        }
        String refusal = admission.get();
        if (refusal != null) {
            reject(signals, subscriber, refusal);
            return;
        }
        admitted = signals;
        Sub sub = new Sub(subscriber, signals);
        signals.execute(sub::start);
    }

    /** True when called from a signal (onNext, ...) to the admitted subscriber. */
    public boolean isSignalThread() {
        SerialExecutor s = admitted;
        return s != null && s.inExecutor();
    }

    private static <T> void reject(Executor signals, Flow.Subscriber<T> s, String why) {
        signals.execute(() -> {
            try {
                s.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {}

                    @Override
                    public void cancel() {}
                });
                s.onError(new IllegalStateException(why));
            } catch (Throwable t) {
                LOG.warn("subscriber threw from onSubscribe/onError", t);
            }
        });
    }

    private final class Sub implements Flow.Subscription {
        private final SerialExecutor signals;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicBoolean drainScheduled = new AtomicBoolean();
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private volatile Flow.Subscriber<? super E> subscriber;
        private boolean done; // confined to signals

        Sub(Flow.Subscriber<? super E> subscriber, SerialExecutor signals) {
            this.subscriber = subscriber;
            this.signals = signals;
        }

        void start() {
            Flow.Subscriber<? super E> s = subscriber;
            if (s == null) {
                return;
            }
            try {
                s.onSubscribe(this);
            } catch (Throwable t) {
                LOG.warn("subscriber threw from onSubscribe; cancelling", t); // rule 2.13
                cancel();
                return;
            }
            buffer.setListener(this::scheduleDrain);
            scheduleDrain();
        }

        @Override
        public void request(long n) {
            if (cancelled.get()) {
                return; // rule 3.6
            }
            if (n <= 0) {
                signals.execute(() -> {
                    Flow.Subscriber<? super E> s = subscriber;
                    if (done || s == null) {
                        return;
                    }
                    done = true;
                    cancel();
                    s.onError(new IllegalArgumentException("rule 3.9: request(n) needs n > 0, was " + n));
                });
                return;
            }
            demand.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b); // rule 3.17
            scheduleDrain();
        }

        @Override
        public void cancel() {
            if (cancelled.compareAndSet(false, true)) {
                subscriber = null; // rule 3.13
                buffer.setListener(() -> {});
                onCancel.run();
            }
        }

        private void scheduleDrain() {
            if (drainScheduled.compareAndSet(false, true)) {
                signals.execute(this::drain);
            }
        }

        private void drain() {
            drainScheduled.set(false);
            Flow.Subscriber<? super E> s = subscriber;
            if (done || s == null) {
                return;
            }
            for (int i = 0; i < BATCH && demand.get() > 0; i++) {
                @SuppressWarnings("unchecked") // the session's adapter only produces this family's events
                E e = (E) buffer.tryPoll();
                if (e == null) {
                    break;
                }
                demand.getAndUpdate(d -> d == Long.MAX_VALUE ? d : d - 1);
                try {
                    s.onNext(e);
                } catch (Throwable t) {
                    LOG.warn("subscriber threw from onNext; cancelling", t); // rule 2.13
                    done = true;
                    cancel();
                    return;
                }
                if (cancelled.get()) {
                    return;
                }
            }
            if (buffer.isEnded()) {
                done = true;
                if (cancelled.get()) {
                    // The cancel itself ended the buffer (it discards everything): a cancelled subscriber gets no
                    // onComplete (rule 3.6). cancel() sets the flag before discarding, so seeing the end means
                    // seeing the flag.
                    return;
                }
                subscriber = null;
                buffer.setListener(() -> {});
                try {
                    s.onComplete();
                } catch (Throwable t) {
                    LOG.warn("subscriber threw from onComplete", t);
                }
                return;
            }
            if (demand.get() > 0 && buffer.size() > 0) {
                scheduleDrain(); // batch limit reached: yield the pool thread, continue later
            }
        }
    }
}
