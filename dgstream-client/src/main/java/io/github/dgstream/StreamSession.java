package io.github.dgstream;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.Flow;

/**
 * A v1 live session consumed by pulling events ({@link ListenClient#stream(StreamingOptions)}): an {@link Iterable}
 * of the sealed {@link StreamEvent}, a {@link #poll(Duration)} for loops that do other work, or a single-subscriber
 * {@link Flow.Publisher} ({@link #events()}). It runs on the same resilient engine as the callback clients:
 * reconnection, replay, keepalive and liveness happen in the background whether or not anyone is consuming, and
 * reconnection events appear in the stream in order with the transcripts.
 *
 * <pre>{@code
 * try (StreamSession session = client.listen().stream(options)) {
 *     producer.submit(() -> { session.send(audio); session.finish(); });   // from any thread
 *     for (StreamEvent event : session) {                                  // blocks; ends after the last event
 *         if (event instanceof StreamEvent.Transcript t && t.isFinal()) { ... }
 *     }
 * }
 * }</pre>
 *
 * <p><b>Consumption.</b> Exactly one way and one thread at a time: {@link #iterator()} may be called once; {@link
 * #poll} may be mixed with it on the same thread; {@link #events()} excludes both. Calling them from a second thread
 * while one is waiting, a second {@code iterator()}, or any of them after {@link #close()}, throws {@link
 * IllegalStateException}. The stream contains every event of the session, {@link OpenEvent} first and {@link
 * CloseEvent} last; the iteration ends after the {@code CloseEvent}. A terminal failure is an {@link ErrorEvent} (or
 * {@link ReconnectFailed}) followed by the {@code CloseEvent}.
 *
 * <p><b>Backpressure.</b> Undelivered events are buffered up to {@link StreamingOptions#eventBufferCapacity()}; the
 * {@link OverflowPolicy} says what happens beyond: block reading the socket (default), drop interim results but
 * never finals, or fail.
 *
 * <p>Thread-safe: {@code send}, {@code finish}, {@code close} and the accessors may be called from any thread.
 */
public interface StreamSession extends Iterable<StreamEvent>, AutoCloseable {

    /**
     * Queues audio (copied). Never blocks on the network and never fails because a reconnect is under way; empty
     * input is ignored.
     *
     * @throws IllegalStateException after {@link #finish()} or {@link #close()}, or when the session has ended
     */
    void send(byte[] audio);

    void send(byte[] audio, int offset, int length);

    void send(ByteBuffer audio);

    /** Asks the server to flush buffered audio into final results (sent behind the audio queued so far). */
    void sendFinalize();

    /**
     * Ends the audio without waiting: queued audio is flushed, then CloseStream; the server's last results, its
     * Metadata and the {@link CloseEvent} follow in the stream, after which the iteration ends. Idempotent.
     */
    void finish();

    /**
     * An iterator over the session's events; {@code hasNext()} blocks until the next event arrives and returns false
     * after the {@link CloseEvent} or once the session was closed. May be called once.
     *
     * @throws IllegalStateException when called twice, after {@link #events()}, or after {@link #close()}; its
     *     methods throw it when used by two threads at once, or when the waiting thread is interrupted (with the
     *     interrupt flag kept)
     */
    @Override
    Iterator<StreamEvent> iterator();

    /**
     * The next event, waiting at most {@code timeout} ({@link Duration#ZERO}: do not wait).
     *
     * @return the event, or empty when none arrived in time, when the stream has ended ({@link #isDone()}), or when
     *     the thread was interrupted (the interrupt flag stays set)
     * @throws IllegalStateException after {@link #events()}, after {@link #close()}, or while another thread is
     *     consuming
     */
    Optional<StreamEvent> poll(Duration timeout);

    /**
     * The events as a {@link Flow.Publisher} for reactive stacks: one subscriber (a second one gets {@code onError}
     * with an {@link IllegalStateException}); signals run on the client's handler pool, serially, never on network
     * threads; {@code request(n)} is honoured exactly, so the overflow policy applies to a subscriber that stops
     * requesting; {@code onComplete} follows the {@link CloseEvent}; {@code cancel()} closes the session
     * asynchronously (CloseStream, the rest is discarded). Subscribing after {@link #close()} gets {@code onError}.
     *
     * @throws IllegalStateException when the session is already consumed through {@link #iterator()} or {@link
     *     #poll}
     */
    Flow.Publisher<StreamEvent> events();

    /**
     * The text of the final transcripts that left the buffer so far (consumed, or discarded by {@link #close()}),
     * joined by single spaces, in stream order; empty finals are skipped. At an {@link StreamEvent.UtteranceEnd} it is
     * exactly the finals delivered before it; after {@code close()} it is the whole session's transcript.
     */
    String accumulatedTranscript();

    /** True once the stream has ended and every event was consumed (or discarded by {@link #close()}). */
    boolean isDone();

    /** Interim results discarded under {@link OverflowPolicy#DROP_INTERIM}. */
    long droppedInterimResults();

    SessionState state();

    /** The latest request id seen from the server, or {@code null}. */
    String requestId();

    /**
     * Ends the session cleanly and releases everything, bounded in time: queued audio is flushed, CloseStream is
     * sent, the server's last results are received and the socket is closed with 1000. If another thread is
     * consuming (iterating, or a subscriber of {@link #events()}), it receives the remaining events and close waits
     * for it; otherwise (called from the consuming thread, e.g. by try-with-resources after a {@code break} or an
     * exception) the remaining events are discarded, though their finals still reach {@link
     * #accumulatedTranscript()}. The graceful part is bounded by {@link StreamingOptions#finishTimeout()} (plus a
     * short margin for a slow consumer); then the session is aborted. Idempotent; never throws because of the
     * network; an interrupt does not cut it short (the flag is kept).
     */
    @Override
    void close();
}
