package io.github.dgstream;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * A v1 live transcription connection with blocking methods ({@code client.listen().live().v("1")}). One object is
 * one session: {@link #start} once, stream with {@link #send}, end with {@link #finish()} or {@link #close()}.
 * Handlers run on the client's handler pool, serially per connection, never on network threads.
 */
public interface ListenWebSocketClient extends AutoCloseable {

    /** Sets reconnection; only before {@link #start}. */
    void configureReconnection(ReconnectionConfig config);

    /** Overrides the client's liveness settings; only before {@link #start}. */
    void configureLiveness(LivenessConfig config);

    /** Registers a typed handler (any time; effective for later events). */
    <T extends StreamEvent> void on(EventKey<T> event, Consumer<? super T> handler);

    /**
     * Validates the options and connects. Blocks until the first connection is open. With reconnection enabled,
     * retryable connect failures are retried first.
     *
     * @throws DeepgramException if the session failed before a connection opened
     * @throws IllegalStateException if called twice
     */
    void start(LiveOptions options);

    /**
     * Queues audio (copied). Never blocks on the network and never fails because a reconnect is under way; empty
     * input is ignored.
     *
     * @throws NullPointerException for null audio
     * @throws IllegalStateException before {@link #start} or after {@link #finish}/{@link #close}
     */
    void send(byte[] audio);

    void send(byte[] audio, int offset, int length);

    void send(ByteBuffer audio);

    /** Sends a KeepAlive now (the engine also sends them itself when the stream is idle). */
    void keepAlive();

    /** Asks the server to flush buffered audio into final results (sent behind the audio queued so far). */
    void sendFinalize();

    /**
     * Flushes queued audio, sends CloseStream, delivers the remaining results and Metadata, waits (bounded by {@link
     * LivenessConfig#finishTimeoutMs()}) for the server's close and releases everything. Idempotent and safe from any
     * thread; called from one of this connection's handlers it returns at once and the rest happens after the
     * handler returns.
     */
    void finish();

    /** Same as {@link #finish()}, then aborts whatever is left. */
    @Override
    void close();

    SessionState state();

    /** True while a connection is open and streaming. */
    boolean isConnected();

    /** The latest request id seen from the server, or {@code null}. */
    String requestId();
}
