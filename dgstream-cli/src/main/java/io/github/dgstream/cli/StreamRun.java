package io.github.dgstream.cli;

import io.github.dgstream.DeepgramClient;
import io.github.dgstream.DeepgramException;
import io.github.dgstream.ErrorEvent;
import io.github.dgstream.LivenessConfig;
import io.github.dgstream.ReconnectFailed;
import io.github.dgstream.Reconnected;
import io.github.dgstream.Reconnecting;
import io.github.dgstream.ReconnectionConfig;
import io.github.dgstream.ReplayPolicy;
import io.github.dgstream.SessionState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** One streaming session of {@code transcribe}, for either API; events go to an {@link OutputSink}. */
abstract class StreamRun {
    protected final TranscribeCommand options;
    protected Target target;
    protected final OutputSink sink;
    private final List<String> finals = new ArrayList<>();
    private final AtomicInteger reconnects = new AtomicInteger();
    private final AtomicBoolean failed = new AtomicBoolean();
    private DeepgramClient client;

    StreamRun(TranscribeCommand options, OutputSink sink) {
        this.options = options;
        this.sink = sink;
    }

    /** Builds and validates the query options, before anything is started. */
    abstract void prepare(AudioSource.Format format);

    /** Connects; {@code totalBytes} (0 when unknown) sizes the outage buffer so a file sent fast loses nothing. */
    final void start(Target target, AudioSource.Format format, long totalBytes) {
        this.target = target;
        connect(format, totalBytes);
    }

    abstract void connect(AudioSource.Format format, long totalBytes);

    abstract void send(byte[] audio, int length);

    /** Ends the input on the connection and waits (bounded) until everything is delivered. */
    abstract void finishConnection();

    abstract SessionState state();

    /** The client every run uses: the target's endpoint and key, liveness tuned to the target. */
    final DeepgramClient newClient() {
        client = DeepgramClient.builder()
                .apiKey(target.apiKey())
                .baseUrl(target.baseUrl())
                .liveness(liveness())
                .build();
        return client;
    }

    /** Ends the input, waits (bounded) until everything is delivered, and releases the client. */
    final void finish() {
        try {
            finishConnection();
        } finally {
            if (state() == SessionState.FAILED) {
                markFailed();
            }
            closeClient();
        }
    }

    /** True once the session ended early (fatal error, retries exhausted). */
    final boolean ended() {
        return state().isTerminal();
    }

    final CliException connectFailed(DeepgramException e) {
        closeClient();
        return new CliException(
                ExitCodes.STREAM_FAILED, "cannot connect to " + target.baseUrl() + ": " + e.getMessage(), e);
    }

    final void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    // Lifecycle events are the same records for every API.

    final void reconnecting(Reconnecting e) {
        sink.reconnecting(e.attempt(), e.delay().toMillis(), describe(e.cause()));
    }

    final void reconnected(Reconnected e) {
        reconnects.incrementAndGet();
        sink.reconnected(
                e.attempt(),
                e.downtime().toMillis(),
                Math.round(e.replayedSeconds() * 1000),
                Math.round(e.lostSeconds() * 1000));
    }

    final void reconnectFailed(ReconnectFailed e) {
        markFailed();
        sink.reconnectFailed(e.attempts(), describe(e.cause()));
    }

    final void error(ErrorEvent e) {
        sink.error(describe(e.error()));
    }

    final boolean failed() {
        return failed.get();
    }

    final void markFailed() {
        failed.set(true);
    }

    final synchronized void addFinal(String text) {
        if (!text.isBlank()) {
            finals.add(text.strip());
        }
    }

    final synchronized String transcript() {
        return String.join(" ", finals);
    }

    final int reconnects() {
        return reconnects.get();
    }

    final int connections() {
        return 1 + reconnects.get();
    }

    ReconnectionConfig reconnection(AudioSource.Format format, long totalBytes) {
        // A file sent faster than real time can be far ahead of the transcripts: keep all of it replayable.
        double fileSeconds = totalBytes / format.bytesPerSecond();
        return ReconnectionConfig.builder()
                .enabled(!options.noReconnect)
                .replay(ReplayPolicy.sinceLastFinal())
                .bufferSeconds(Math.min(600, Math.max(30, fileSeconds + 5)))
                .build();
    }

    LivenessConfig liveness() {
        if (!target.embedded()) {
            return LivenessConfig.defaults();
        }
        // The embedded emulator is on loopback: a dead socket can be declared dead much sooner, which keeps the
        // half-open demo short. Long finish timeout: a file sent fast may still be in flight when a drop happens.
        return LivenessConfig.builder()
                .pingIntervalMs(1000)
                .pongTimeoutMs(1000)
                .receiveTimeoutMs(3000)
                .finishTimeoutMs(60_000)
                .build();
    }

    /** Builds options; the library's validation message (it names the field) becomes a usage error. */
    static <T> T validated(java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
    }

    static String describe(DeepgramException e) {
        return e == null ? "unknown" : e.getMessage();
    }
}
