package io.github.dgstream.cli;

import io.github.dgstream.emulator.DeepgramEmulator;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dgstream emulator}: runs the Deepgram emulator standalone until interrupted. */
@Command(
        name = "emulator",
        mixinStandardHelpOptions = true,
        description = {
            "Run the local Deepgram emulator (/v1/listen and /v2/listen) until interrupted (Ctrl-C).",
            "It accepts any API key and only understands audio made by 'dgstream encode'."
        })
final class EmulatorCommand implements Callable<Integer> {

    @Option(
            names = "--port",
            defaultValue = "0",
            paramLabel = "N",
            description = "Port on 127.0.0.1 (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(
            names = "--idle-timeout",
            defaultValue = "10",
            paramLabel = "SECONDS",
            description = "v1 NET-0001 idle timeout in seconds. Default: ${DEFAULT-VALUE}.")
    double idleTimeoutSeconds;

    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            throw new CliException(ExitCodes.USAGE, "--port must be between 0 and 65535, not " + port);
        }
        if (!(idleTimeoutSeconds > 0)) {
            throw new CliException(ExitCodes.USAGE, "--idle-timeout must be positive");
        }
        DeepgramEmulator emulator = EmbeddedEmulator.start(port, idleTimeoutSeconds);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    emulator.close();
                    stopped.countDown();
                },
                "dgstream-emulator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.println(emulator.baseUrl());
        System.out.flush();
        System.err.println("Deepgram emulator listening: " + emulator.listenUrl() + " and " + emulator.fluxUrl()
                + " (Ctrl-C to stop)");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            // Interrupted by an embedding program (or a test) rather than Ctrl-C: stop cleanly.
            Runtime.getRuntime().removeShutdownHook(hook);
            emulator.close();
        }
        return ExitCodes.OK;
    }
}
