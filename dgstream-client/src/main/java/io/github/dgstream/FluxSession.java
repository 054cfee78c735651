package io.github.dgstream;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * A Flux session consumed by pulling events ({@code client.listen().v2().stream(options)}), the Flux counterpart of
 * {@link StreamSession} and built on the same machinery: a bounded event buffer with an {@link OverflowPolicy} (under
 * {@code DROP_INTERIM} the droppable events are {@link FluxEvent.Update}s), one consumer at a time, and a bounded
 * {@link #close()}. Send audio from any thread; consume on one: iterate it, {@link #poll poll} it, or subscribe to
 * {@link #events()}. The iteration ends after the {@link CloseEvent}.
 *
 * <pre>{@code
 * try (FluxSession s = client.listen().v2().stream(options, reconnection)) {
 *     producer.submit(() -> { for (byte[] chunk : audio) s.send(chunk); s.finish(); });
 *     for (FluxEvent e : s) {
 *         if (e instanceof FluxEvent.EndOfTurn eot) System.out.println(eot.turnIndex() + ": " + eot.transcript());
 *     }
 * }
 * }</pre>
 */
public interface FluxSession extends Iterable<FluxEvent>, AutoCloseable {

    /** Queues audio (copied); never blocks on the network and never fails because a reconnect is under way. */
    void send(byte[] audio);

    void send(byte[] audio, int offset, int length);

    void send(ByteBuffer audio);

    /**
     * Sends a mid-stream Configure (ahead of queued audio). The future completes with the server's {@link
     * FluxEvent.ConfigureSuccess}, or fails with a {@link DeepgramException} carrying the ConfigureFailure's code and
     * description (or the reason the session ended first). One Configure may be in flight at a time. Settings the
     * server acknowledged are used by every later socket (query parameters); a Configure still unanswered when a
     * socket dies is re-sent on the next one.
     *
     * @throws IllegalStateException if a previous Configure is unanswered, or the input has ended
     */
    CompletableFuture<FluxEvent.ConfigureSuccess> configure(FluxConfigure configure);

    /** Sends ForceEndTurn behind the audio queued so far (only where the deployment enables it). */
    void forceEndTurn();

    /**
     * Ends the input: flush, CloseStream, the last Updates, the server's close (status-less 1005 is normal). A turn
     * still open then gets a synthesized {@link FluxEvent.EndOfTurn} ({@code synthesized() == true}) with its last
     * text, since Flux sends none after CloseStream. Non-blocking; keep consuming until the {@link CloseEvent}.
     */
    void finish();

    /** A blocking, single-consumer iterator; ends after the {@link CloseEvent}. */
    @Override
    Iterator<FluxEvent> iterator();

    /** The next event, waiting up to {@code timeout}; empty on timeout or after the last event. */
    Optional<FluxEvent> poll(Duration timeout);

    /** The events as a single-subscriber {@link Flow.Publisher} (exclusive with the iterator and poll). */
    Flow.Publisher<FluxEvent> events();

    /** True once the last event was consumed (or discarded). */
    boolean isDone();

    /** Updates discarded under {@link OverflowPolicy#DROP_INTERIM}. */
    long droppedUpdates();

    SessionState state();

    /** The latest request id seen from the server, or {@code null}. */
    String requestId();

    /** Ends the session cleanly and releases everything, bounded in time (see {@link StreamSession#close()}). */
    @Override
    void close();
}
