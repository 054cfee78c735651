package io.github.dgstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gives one clear line on stderr and a non-zero exit, never a stack trace. */
class ArgumentErrorsTest {
    @TempDir
    Path dir;

    private static void assertOneLineError(CliRun run, int exitCode, String fragment) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(exitCode);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines().get(0)).startsWith("dgstream: ").contains(fragment);
        assertThat(run.err()).doesNotContain("\tat ", "Exception");
    }

    @Test
    void noInput() {
        assertOneLineError(CliRun.of("transcribe"), ExitCodes.USAGE, "give FILE");
    }

    @Test
    void fileAndMicTogether() {
        assertOneLineError(CliRun.of("transcribe", "x.wav", "--mic"), ExitCodes.USAGE, "not both");
    }

    @Test
    void missingFile() {
        assertOneLineError(
                CliRun.of("transcribe", dir.resolve("nope.wav").toString()), ExitCodes.INPUT, "no such file");
    }

    @Test
    void notAWavFile() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.wav"), "this is not audio");
        assertOneLineError(CliRun.of("transcribe", text.toString()), ExitCodes.INPUT, "not a readable WAV file");
    }

    @Test
    void rawNeedsEncodingAndRate() throws Exception {
        Path raw = Files.write(dir.resolve("a.raw"), new byte[3200]);
        assertOneLineError(
                CliRun.of("transcribe", raw.toString(), "--encoding", "linear16"),
                ExitCodes.USAGE,
                "--encoding and --sample-rate");
        assertOneLineError(
                CliRun.of("transcribe", raw.toString(), "--encoding", "opus", "--sample-rate", "16000"),
                ExitCodes.USAGE,
                "--encoding must be");
    }

    @Test
    void badApi() {
        assertOneLineError(
                CliRun.of("transcribe", "x.wav", "--api", "v3"), ExitCodes.USAGE, "--api must be v1 or flux");
    }

    @Test
    void badPace() {
        assertOneLineError(CliRun.of("transcribe", "x.wav", "--pace", "-2"), ExitCodes.USAGE, "--pace must be");
        assertOneLineError(CliRun.of("transcribe", "x.wav", "--pace", "warp"), ExitCodes.USAGE, "--pace must be");
    }

    @Test
    void badDropMode() {
        assertOneLineError(
                CliRun.of("transcribe", "x.wav", "--drop-mode", "explode"), ExitCodes.USAGE, "--drop-mode must be");
    }

    @Test
    void badDropTime() {
        assertOneLineError(
                CliRun.of("transcribe", "x.wav", "--simulate-drop", "4,-1"), ExitCodes.USAGE, "positive seconds");
    }

    @Test
    void simulateDropNeedsEmbeddedEmulator() throws Exception {
        Path wav = dir.resolve("hi.wav");
        assertThat(CliRun.of("encode", "hi there", "-o", wav.toString()).exitCode())
                .isZero();
        assertOneLineError(
                CliRun.of("transcribe", wav.toString(), "--url", "ws://127.0.0.1:9", "--simulate-drop", "1"),
                ExitCodes.USAGE,
                "only with the embedded emulator");
    }

    @Test
    void badUrlScheme() throws Exception {
        Path wav = dir.resolve("hi.wav");
        assertThat(CliRun.of("encode", "hi there", "-o", wav.toString()).exitCode())
                .isZero();
        assertOneLineError(
                CliRun.of("transcribe", wav.toString(), "--url", "http://127.0.0.1:9"), ExitCodes.USAGE, "ws://");
    }

    @Test
    void unreachableUrlIsOneLine() throws Exception {
        Path wav = dir.resolve("hi.wav");
        assertThat(CliRun.of("encode", "hi there", "-o", wav.toString()).exitCode())
                .isZero();
        CliRun run = CliRun.of("transcribe", wav.toString(), "--url", "ws://127.0.0.1:1", "--no-reconnect");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.STREAM_FAILED);
        assertThat(run.err())
                .contains("dgstream: cannot connect to ws://127.0.0.1:1")
                .doesNotContain("\tat ");
    }

    @Test
    void fluxRejectsItsOwnBadOptionsNamingTheField() throws Exception {
        Path wav = dir.resolve("hi.wav");
        assertThat(CliRun.of("encode", "hi there", "-o", wav.toString()).exitCode())
                .isZero();
        assertOneLineError(
                CliRun.of("transcribe", wav.toString(), "--api", "flux", "--eot-threshold", "3"),
                ExitCodes.USAGE,
                "eot_threshold must be between");
    }

    @Test
    void unknownOption() {
        CliRun run = CliRun.of("transcribe", "--frobnicate");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines().get(0)).contains("Unknown option: '--frobnicate'");
    }

    @Test
    void encodeRejectsEmptyTextAndBadRate() {
        assertOneLineError(
                CliRun.of("encode", "...", "-o", dir.resolve("a.wav").toString()),
                ExitCodes.USAGE,
                "no speakable words");
        assertOneLineError(
                CliRun.of("encode", "hi", "-o", dir.resolve("a.wav").toString(), "--sample-rate", "7"),
                ExitCodes.USAGE,
                "--sample-rate");
    }

    @Test
    void emulatorRejectsBadPort() {
        assertOneLineError(CliRun.of("emulator", "--port", "70000"), ExitCodes.USAGE, "--port must be between");
    }
}
