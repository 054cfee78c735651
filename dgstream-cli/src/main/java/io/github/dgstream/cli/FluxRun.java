package io.github.dgstream.cli;

import io.github.dgstream.DeepgramException;
import io.github.dgstream.FluxEvent;
import io.github.dgstream.FluxEvents;
import io.github.dgstream.FluxOptions;
import io.github.dgstream.FluxWebSocketClient;
import io.github.dgstream.SessionState;

/** A Flux ({@code /v2/listen}) session through the callback client; every turn event is shown. */
final class FluxRun extends StreamRun {
    private FluxWebSocketClient connection;

    private FluxOptions fluxOptions;

    FluxRun(TranscribeCommand options, OutputSink sink) {
        super(options, sink);
    }

    @Override
    void prepare(AudioSource.Format format) {
        fluxOptions = fluxOptions(format);
    }

    @Override
    void connect(AudioSource.Format format, long totalBytes) {
        connection = newClient().listen().v2().live();
        connection.configureReconnection(reconnection(format, totalBytes));
        connection.on(FluxEvents.START_OF_TURN, t -> turn("StartOfTurn", t));
        connection.on(FluxEvents.UPDATE, t -> turn("Update", t));
        connection.on(FluxEvents.EAGER_END_OF_TURN, t -> turn("EagerEndOfTurn", t));
        connection.on(FluxEvents.TURN_RESUMED, t -> turn("TurnResumed", t));
        connection.on(FluxEvents.END_OF_TURN, t -> {
            turn("EndOfTurn", t);
            addFinal(t.transcript());
        });
        connection.on(FluxEvents.WARNING, w -> sink.error("warning " + w.code() + ": " + w.description()));
        connection.on(FluxEvents.RECONNECTING, this::reconnecting);
        connection.on(FluxEvents.RECONNECTED, this::reconnected);
        connection.on(FluxEvents.RECONNECT_FAILED, this::reconnectFailed);
        connection.on(FluxEvents.ERROR, this::error);
        try {
            connection.start(fluxOptions);
        } catch (DeepgramException e) {
            throw connectFailed(e);
        }
    }

    private void turn(String event, FluxEvent.Turn t) {
        sink.turn(event, t.turnIndex(), t.audioWindowStart(), t.audioWindowEnd(), t.transcript());
    }

    private FluxOptions fluxOptions(AudioSource.Format format) {
        if (format.channels() != 1) {
            throw new CliException(
                    ExitCodes.INPUT, "Flux takes mono audio only; this input has " + format.channels() + " channels");
        }
        FluxOptions.Builder b = FluxOptions.builder()
                .model(options.model != null ? options.model : "flux-general-en")
                .encoding(format.encoding())
                .sampleRate(format.sampleRate());
        if (options.eotThreshold != null) {
            b.eotThreshold(options.eotThreshold);
        }
        if (options.eagerEotThreshold != null) {
            b.eagerEotThreshold(options.eagerEotThreshold);
        }
        if (options.eotTimeoutMs != null) {
            b.eotTimeoutMs(options.eotTimeoutMs);
        }
        options.keyterms.forEach(b::keyterm);
        return validated(b::build);
    }

    @Override
    void send(byte[] audio, int length) {
        connection.send(audio, 0, length);
    }

    @Override
    void finishConnection() {
        connection.finish();
    }

    @Override
    SessionState state() {
        return connection.state();
    }
}
