package io.github.dgstream.examples;

import io.github.dgstream.CloseEvent;
import io.github.dgstream.DeepgramClient;
import io.github.dgstream.ErrorEvent;
import io.github.dgstream.Reconnected;
import io.github.dgstream.Reconnecting;
import io.github.dgstream.ReconnectFailed;
import io.github.dgstream.StreamEvent;
import io.github.dgstream.StreamSession;
import io.github.dgstream.StreamingOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The pull API on JDK 21+: an exhaustive {@code switch} with record patterns over the sealed {@link StreamEvent} (no
 * {@code default}: the compiler checks that every kind of event is handled). Compiled only on JDK 21+. Run with
 * {@code DEEPGRAM_API_KEY} set and a raw 16 kHz mono linear16 file: {@code SwitchExample audio.raw}.
 */
public final class SwitchExample {

    /** Streams {@code audio} and returns one line per event worth logging, finals as {@code [start] text}. */
    public static List<String> transcribe(DeepgramClient client, byte[] audio) {
        StreamingOptions options = StreamingOptions.builder()
                .model("nova-3")
                .encoding("linear16")
                .sampleRate(16000)
                .build();
        List<String> lines = new ArrayList<>();
        try (StreamSession session = client.listen().stream(options)) {
            session.send(audio);
            session.finish();
            for (StreamEvent event : session) {
                String line = switch (event) {
                    case StreamEvent.Transcript(var text, var isFinal, var speechFinal, var fromFinalize,
                            var start, var duration, var words, var channel, var confidence) when isFinal
                            && !text.isBlank() -> "[%.2f] %s".formatted(start, text);
                    case StreamEvent.Transcript t -> null; // interim results and empty finals
                    case StreamEvent.SpeechStarted(var timestamp, var channel) -> null;
                    case StreamEvent.UtteranceEnd(var lastWordEnd, var channel) -> "-- utterance end at " + lastWordEnd;
                    case StreamEvent.Metadata m -> "-- request " + m.requestId();
                    case Reconnecting(var attempt, var delay, var cause) -> "-- reconnecting #" + attempt + " in " + delay;
                    case Reconnected r -> "-- reconnected after " + r.attempt() + " attempt(s)";
                    case ReconnectFailed f -> "-- gave up: " + f.cause().getMessage();
                    case ErrorEvent(var error) -> "-- error " + error.kind() + ": " + error.getMessage();
                    case CloseEvent(var code, var reason, var byClient) -> "-- closed " + code;
                    case io.github.dgstream.OpenEvent o -> "-- open";
                    case io.github.dgstream.UnhandledMessage u -> null;
                };
                if (line != null) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    public static void main(String[] args) throws IOException {
        try (DeepgramClient client = DeepgramClient.builder().build()) {
            transcribe(client, Files.readAllBytes(Path.of(args[0]))).forEach(System.out::println);
        }
    }

    private SwitchExample() {}
}
