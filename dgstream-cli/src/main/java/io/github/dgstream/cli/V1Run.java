package io.github.dgstream.cli;

import io.github.dgstream.DeepgramException;
import io.github.dgstream.ListenWebSocketClient;
import io.github.dgstream.LiveOptions;
import io.github.dgstream.LiveTranscriptionEvents;
import io.github.dgstream.SessionState;

/** A {@code /v1/listen} session through the callback client. */
final class V1Run extends StreamRun {
    private ListenWebSocketClient connection;

    private LiveOptions liveOptions;

    V1Run(TranscribeCommand options, OutputSink sink) {
        super(options, sink);
    }

    @Override
    void prepare(AudioSource.Format format) {
        liveOptions = liveOptions(format);
    }

    @Override
    void connect(AudioSource.Format format, long totalBytes) {
        connection = newClient().listen().live().v("1");
        connection.configureReconnection(reconnection(format, totalBytes));
        connection.on(LiveTranscriptionEvents.TRANSCRIPT, t -> {
            sink.transcript(t.isFinal(), t.speechFinal(), t.start(), t.end(), t.text());
            if (t.isFinal()) {
                addFinal(t.text());
            }
        });
        connection.on(LiveTranscriptionEvents.SPEECH_STARTED, e -> sink.speechStarted(e.timestamp()));
        connection.on(LiveTranscriptionEvents.UTTERANCE_END, e -> sink.utteranceEnd(e.lastWordEnd()));
        connection.on(LiveTranscriptionEvents.METADATA, m -> sink.metadata(m.requestId(), m.duration()));
        connection.on(LiveTranscriptionEvents.RECONNECTING, this::reconnecting);
        connection.on(LiveTranscriptionEvents.RECONNECTED, this::reconnected);
        connection.on(LiveTranscriptionEvents.RECONNECT_FAILED, this::reconnectFailed);
        connection.on(LiveTranscriptionEvents.ERROR, this::error);
        try {
            connection.start(liveOptions);
        } catch (DeepgramException e) {
            throw connectFailed(e);
        }
    }

    private LiveOptions liveOptions(AudioSource.Format format) {
        LiveOptions.Builder b = LiveOptions.builder()
                .model(options.model != null ? options.model : "nova-3")
                .encoding(format.encoding())
                .sampleRate(format.sampleRate())
                .channels(format.channels())
                .interimResults(options.interimResults)
                .endpointing(options.endpointingMs);
        if (options.language != null) {
            b.language(options.language);
        }
        if (options.utteranceEndMs != null) {
            b.utteranceEndMs(options.utteranceEndMs);
        }
        if (options.vadEvents) {
            b.vadEvents(true);
        }
        if (options.punctuate) {
            b.punctuate(true);
        }
        if (options.smartFormat) {
            b.smartFormat(true);
        }
        if (options.diarize) {
            b.diarize(true);
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
