package io.github.dgstream.examples;

import io.github.dgstream.DeepgramClient;
import io.github.dgstream.Reconnecting;
import io.github.dgstream.ReconnectionConfig;
import io.github.dgstream.StreamEvent;
import io.github.dgstream.StreamSession;
import io.github.dgstream.StreamingOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The pull API on JDK 17: iterate the session, match events with {@code instanceof} patterns. Run with {@code
 * DEEPGRAM_API_KEY} set and a raw 16 kHz mono linear16 file: {@code PullExample audio.raw}.
 */
public final class PullExample {

    /** Streams {@code audio} (16 kHz mono linear16) and returns the utterances, one per UtteranceEnd or endpoint. */
    public static List<String> transcribe(DeepgramClient client, InputStream audio) {
        StreamingOptions options = StreamingOptions.builder()
                .model("nova-3")
                .encoding("linear16")
                .sampleRate(16000)
                .smartFormat(true)
                .interimResults(true)
                .utteranceEndMs(1000)
                .reconnection(ReconnectionConfig.builder().enabled(true).build())
                .build();
        List<String> utterances = new ArrayList<>();
        try (StreamSession session = client.listen().stream(options)) {
            CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
                byte[] buf = new byte[3200]; // 100 ms
                try (audio) {
                    for (int n; (n = audio.read(buf)) > 0; ) {
                        session.send(buf, 0, n); // from any thread; never throws because of a reconnect
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } finally {
                    session.finish(); // no more audio: the iteration ends after the last result
                }
            });
            StringBuilder utterance = new StringBuilder();
            for (StreamEvent event : session) {
                if (event instanceof StreamEvent.Transcript t
                        && t.isFinal()
                        && !t.text().isBlank()) {
                    utterance.append(utterance.length() > 0 ? " " : "").append(t.text());
                    if (t.speechFinal()) {
                        utterances.add(utterance.toString());
                        utterance.setLength(0);
                    }
                } else if (event instanceof StreamEvent.UtteranceEnd && utterance.length() > 0) {
                    utterances.add(utterance.toString());
                    utterance.setLength(0);
                } else if (event instanceof Reconnecting r) {
                    System.err.println("reconnecting (attempt " + r.attempt() + "): "
                            + r.cause().getMessage());
                }
            }
            if (utterance.length() > 0) {
                utterances.add(utterance.toString());
            }
            producer.join();
        }
        return utterances;
    }

    public static void main(String[] args) throws IOException {
        try (DeepgramClient client = DeepgramClient.builder().build(); // DEEPGRAM_API_KEY
                InputStream in = Files.newInputStream(Path.of(args[0]))) {
            transcribe(client, in).forEach(System.out::println);
        }
    }

    private PullExample() {}
}
