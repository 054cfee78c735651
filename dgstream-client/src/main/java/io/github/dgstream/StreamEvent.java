package io.github.dgstream;

import java.util.List;

/**
 * Everything a v1 live session delivers, in order: server results plus lifecycle events. The same records are the
 * payloads of the callback API ({@link LiveTranscriptionEvents}) and the elements of the pull API.
 *
 * <p>All times are session-relative audio seconds: they start at 0 with the first audio byte of the session and keep
 * increasing across reconnects (see the module README, "Timebase").
 */
public sealed interface StreamEvent extends DeepgramEvent
        permits StreamEvent.Transcript,
                StreamEvent.SpeechStarted,
                StreamEvent.UtteranceEnd,
                StreamEvent.Metadata,
                OpenEvent,
                CloseEvent,
                Reconnecting,
                Reconnected,
                ReconnectFailed,
                ErrorEvent,
                UnhandledMessage {

    /** The kind of this event. */
    @Override
    EventType type();

    /**
     * A {@code Results} message.
     *
     * @param text the transcript of the first alternative (often empty for silence)
     * @param isFinal the text for this window will not change again
     * @param speechFinal an endpoint was detected
     * @param fromFinalize produced by a {@code Finalize} request
     * @param start window start (session seconds)
     * @param duration window length in seconds
     * @param words recognised words (immutable)
     * @param channel 0-based channel index
     * @param confidence confidence of the first alternative
     */
    record Transcript(
            String text,
            boolean isFinal,
            boolean speechFinal,
            boolean fromFinalize,
            double start,
            double duration,
            List<Word> words,
            int channel,
            double confidence)
            implements StreamEvent {
        public Transcript {
            words = List.copyOf(words);
        }

        /** End of the window: {@code start + duration}. */
        public double end() {
            return start + duration;
        }

        @Override
        public EventType type() {
            return EventType.TRANSCRIPT;
        }
    }

    /**
     * A {@code SpeechStarted} message (requires {@code vad_events}).
     *
     * @param timestamp when speech was detected (session seconds)
     * @param channel 0-based channel index
     */
    record SpeechStarted(double timestamp, int channel) implements StreamEvent {
        @Override
        public EventType type() {
            return EventType.SPEECH_STARTED;
        }
    }

    /**
     * An {@code UtteranceEnd} message (requires {@code interim_results} and {@code utterance_end_ms}).
     *
     * @param lastWordEnd end of the last word (session seconds)
     * @param channel 0-based channel index
     */
    record UtteranceEnd(double lastWordEnd, int channel) implements StreamEvent {
        @Override
        public EventType type() {
            return EventType.UTTERANCE_END;
        }
    }

    /**
     * The server's {@code Metadata} summary, sent once per connection just before the server closes it.
     *
     * @param requestId the connection's request id
     * @param duration seconds of audio the server received on <em>that connection</em> (not rebased)
     * @param channels number of channels
     * @param sha256 hash of the received audio ({@code "incomplete"} on a timeout close)
     * @param created server timestamp, as sent
     * @param models model UUIDs
     */
    record Metadata(String requestId, double duration, int channels, String sha256, String created, List<String> models)
            implements StreamEvent {
        public Metadata {
            models = models == null ? List.of() : List.copyOf(models);
        }

        @Override
        public EventType type() {
            return EventType.METADATA;
        }
    }
}
