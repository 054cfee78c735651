package io.github.dgstream;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;

/**
 * A Flux session as a pull stream ({@code client.listen().v2().stream(options)}): send audio from one thread and
 * iterate the ordered {@link FluxEvent}s on another. The event buffer is bounded; when it is full the library stops
 * reading the socket (TCP back-pressure) until the consumer catches up, so consume the events or close the session.
 * The iteration ends after the {@link CloseEvent}.
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
     * description. One Configure may be in flight at a time. Settings acknowledged by the server are used by every
     * later socket (query parameters); a Configure still unanswered when a socket dies is re-sent on the next one.
     *
     * @throws IllegalStateException if a previous Configure is unanswered or the input has ended
     */
    CompletableFuture<FluxEvent.ConfigureSuccess> configure(FluxConfigure configure);

    /** Sends ForceEndTurn behind the audio queued so far (only where the deployment enables it). */
    void forceEndTurn();

    /**
     * Ends the input: flush, CloseStream, last Updates, server close. An unfinished turn then gets a synthesized
     * {@link FluxEvent.EndOfTurn} ({@code synthesized() == true}) carrying its last text. Non-blocking; the future
     * completes when the session is terminal (events may still wait in the iterator).
     */
    CompletableFuture<Void> finish();

    /** The next event, waiting up to {@code timeout}; {@code null} on timeout or after the last event. */
    FluxEvent poll(Duration timeout) throws InterruptedException;

    /** A blocking, single-consumer iterator over the events; ends after the {@link CloseEvent}. */
    @Override
    Iterator<FluxEvent> iterator();

    SessionState state();

    /** The latest request id seen from the server, or {@code null}. */
    String requestId();

    /** Finishes with a bounded wait (the liveness finish timeout), then aborts what is left. Idempotent. */
    @Override
    void close();
}
