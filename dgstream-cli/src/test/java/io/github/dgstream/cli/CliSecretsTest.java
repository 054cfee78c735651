package io.github.dgstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dgstream.emulator.ConnectionScript;
import io.github.dgstream.emulator.DeepgramEmulator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code transcribe --json} with {@code DEEPGRAM_API_KEY} set never prints the key, whatever happens. */
@Timeout(120)
class CliSecretsTest {
    static final String KEY = "dg-cli-secret-key-4d2e";

    static void assertNoKey(CliRun run) {
        assertThat(run.out()).doesNotContain(KEY);
        assertThat(run.err()).doesNotContain(KEY);
    }

    @Test
    void keyIsNeverPrintedThroughDropsReconnectsAndRefusals() {
        try (DeepgramEmulator dg = DeepgramEmulator.builder().acceptedKeys(KEY).start()) {
            dg.script(0, ConnectionScript.refuse(429));
            dg.script(1, ConnectionScript.dropAfter(2.0));
            dg.script(2, ConnectionScript.errorAfter(1.0, "scripted"));
            CliRun run = CliRun.withEnv(
                    Map.of("DEEPGRAM_API_KEY", KEY),
                    "transcribe",
                    TranscribeJsonTest.SAMPLE.toString(),
                    "--json",
                    "--pace",
                    "fast",
                    "--url",
                    dg.baseUrl());
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("reconnecting").contains("reconnected");
            assertNoKey(run);
            assertThat(dg.connections().get(1).credential()).contains(KEY); // the key was really used
        }
    }

    @Test
    void refusedKeyIsReportedWithoutPrintingIt() {
        try (DeepgramEmulator dg =
                DeepgramEmulator.builder().acceptedKeys("another-key").start()) {
            CliRun run = CliRun.withEnv(
                    Map.of("DEEPGRAM_API_KEY", KEY),
                    "transcribe",
                    TranscribeJsonTest.SAMPLE.toString(),
                    "--json",
                    "--pace",
                    "fast",
                    "--url",
                    dg.baseUrl());
            assertThat(run.exitCode()).isNotZero();
            assertThat(run.out() + run.err()).contains("401");
            assertNoKey(run);
        }
    }

    @Test
    void malformedKeyIsReportedWithoutPrintingIt() {
        try (DeepgramEmulator dg = DeepgramEmulator.builder().start()) {
            CliRun run = CliRun.withEnv(
                    Map.of("DEEPGRAM_API_KEY", KEY + "\n"),
                    "transcribe",
                    TranscribeJsonTest.SAMPLE.toString(),
                    "--json",
                    "--pace",
                    "fast",
                    "--url",
                    dg.baseUrl());
            assertThat(run.exitCode()).isNotZero();
            assertThat(run.err()).contains("apiKey");
            assertNoKey(run);
            assertThat(dg.connectionCount()).isZero();
        }
    }
}
