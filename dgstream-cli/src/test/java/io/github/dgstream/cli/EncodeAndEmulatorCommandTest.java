package io.github.dgstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.dgstream.emulator.speech.WavAudio;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncodeAndEmulatorCommandTest {
    @TempDir
    Path dir;

    @Test
    void encodedSpeechTranscribesBack() {
        Path wav = dir.resolve("speech.wav");
        CliRun encode =
                CliRun.of("encode", "Good morning. How are you today?", "-o", wav.toString(), "--sample-rate", "8000");
        assertThat(encode.exitCode()).as(encode.err()).isZero();
        assertThat(WavAudio.read(wav).format().sampleRate()).isEqualTo(8000);

        CliRun run = CliRun.of("transcribe", wav.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("good morning").contains("Transcript: good morning how are you today");
        assertThat(run.out()).contains("1 connection, 0 reconnects");
        assertThat(run.out()).doesNotContain("\u001b["); // not a terminal: no escape codes, no progress bar
    }

    @Test
    void rawMulawTranscribes() {
        Path raw = dir.resolve("speech.ulaw");
        assertThat(CliRun.of(
                                "encode",
                                "testing one two three",
                                "-o",
                                raw.toString(),
                                "--encoding",
                                "mulaw",
                                "--sample-rate",
                                "8000")
                        .exitCode())
                .isZero();
        CliRun run = CliRun.of("transcribe", raw.toString(), "--encoding", "mulaw", "--sample-rate", "8000", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.outLines().get(run.outLines().size() - 1)).contains("\"transcript\":\"testing one two three\"");
    }

    @Test
    void emulatorCommandPrintsItsUrlAndStopsWhenInterrupted() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        AtomicInteger exit = new AtomicInteger(-1);
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        Thread runner = new Thread(() -> exit.set(Main.run("emulator", "--port", "0")), "emulator-command");
        try {
            runner.start();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> out.toString(StandardCharsets.UTF_8).startsWith("ws://127.0.0.1:"));
            runner.interrupt();
            runner.join(Duration.ofSeconds(20).toMillis());
        } finally {
            System.setOut(savedOut);
        }
        assertThat(runner.isAlive()).isFalse();
        assertThat(exit.get()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).trim()).matches("ws://127\\.0\\.0\\.1:\\d+");
    }
}
