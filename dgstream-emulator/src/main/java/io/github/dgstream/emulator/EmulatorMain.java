package io.github.dgstream.emulator;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator standalone: {@code java -cp ... io.github.dgstream.emulator.EmulatorMain [--port N] [--host H]
 * [--idle-timeout-ms N] [--flux-idle-timeout-ms N] [--latency-ms N]}. Prints {@code ws://HOST:PORT} and runs until
 * interrupted.
 */
public final class EmulatorMain {
    private EmulatorMain() {}

    public static void main(String[] args) throws InterruptedException {
        DeepgramEmulator dg;
        try {
            dg = launch(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: EmulatorMain [--port N] [--host H] [--idle-timeout-ms N]"
                    + " [--flux-idle-timeout-ms N] [--latency-ms N]");
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dg.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    /** Parses the arguments, starts the emulator and prints its base URL. */
    static DeepgramEmulator launch(String[] args, PrintStream out) {
        DeepgramEmulator.Builder b = DeepgramEmulator.builder();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--port" -> b.port(number(a, v));
                case "--host" -> b.host(v);
                case "--idle-timeout-ms" -> b.listenIdleTimeout(Duration.ofMillis(number(a, v)));
                case "--flux-idle-timeout-ms" -> b.fluxIdleTimeout(Duration.ofMillis(number(a, v)));
                case "--latency-ms" -> b.outboundLatency(Duration.ofMillis(number(a, v)));
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        DeepgramEmulator dg = b.start();
        out.println(dg.baseUrl());
        out.flush();
        return dg;
    }

    private static int number(String option, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number: " + v);
        }
    }
}
