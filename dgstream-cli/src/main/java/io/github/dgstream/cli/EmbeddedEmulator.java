package io.github.dgstream.cli;

import io.github.dgstream.emulator.DeepgramEmulator;
import java.time.Duration;

/** Starts the emulator the way the tool uses it: loopback, any credential accepted. */
final class EmbeddedEmulator {
    private EmbeddedEmulator() {}

    static DeepgramEmulator start(int port, double idleTimeoutSeconds) {
        try {
            return DeepgramEmulator.builder()
                    .port(port)
                    .listenIdleTimeout(Duration.ofMillis(Math.round(idleTimeoutSeconds * 1000)))
                    .start();
        } catch (RuntimeException e) {
            throw new CliException(
                    ExitCodes.STREAM_FAILED,
                    "cannot start the emulator" + (port > 0 ? " on port " + port : "") + ": " + CliErrors.describe(e),
                    e);
        }
    }
}
