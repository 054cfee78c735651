package io.github.dgstream.emulator;

import java.io.PrintStream;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator standalone: {@code java -cp ... io.github.dgstream.emulator.EmulatorMain [--port N] [--host H]
 * [--idle-timeout-ms N] [--flux-idle-timeout-ms N] [--latency-ms N] [--max-connections N] [--max-threads N]
 * [--stamp-sent-ns] [--fault-every SECONDS [--fault-mode drop|close|error] [--seed N]] [--tls-keystore FILE.p12
 * [--tls-password P]]}. Prints {@code ws://HOST:PORT} ({@code wss://} with a key store: its single key entry, password
 * default {@code changeit}) and runs until interrupted.
 *
 * <p>{@code --fault-every S} gives every accepted connection one fault after a uniformly random {@code [0.5 S, 1.5 S)}
 * seconds of audio (mean {@code S}; the spread keeps many streams from failing in lockstep): {@code drop} (TCP
 * closed, no close frame, the default), {@code close} (close 1011 {@code NET-0000}) or {@code error} (in-band Error,
 * then close 1011). {@code --stamp-sent-ns} adds {@code metadata.extra.sent_ns} to every Results message and {@code
 * extra.sent_ns} to every Flux TurnInfo message (see {@link
 * DeepgramEmulator.Builder#stampSentNanos(boolean)}) and then reads commands from standard input, one a line:
 * {@code reset} forgets the times measured so far, {@code report} prints the stamp-to-written times as one line {@code
 * WRITE_LATENCY n=... p50_ms=... p99_ms=... max_ms=...} (the emulator's own share of a client's measured latency)
 * and the handshake times of clients that send {@code X-Bench-Dial-Ns} as a second, {@code HANDSHAKE seen_n=...
 * open_max_ms=...} (see {@link SendStamps#handshakeReport()}); the load harness brackets its measuring window with
 * these.
 */
public final class EmulatorMain {
    static final String USAGE = "usage: EmulatorMain [--port N] [--host H] [--idle-timeout-ms N]"
            + " [--flux-idle-timeout-ms N] [--latency-ms N] [--max-connections N] [--max-threads N] [--stamp-sent-ns]"
            + " [--fault-every SECONDS [--fault-mode drop|close|error] [--seed N]]"
            + " [--tls-keystore FILE.p12 [--tls-password P]]";

    private EmulatorMain() {}

    public static void main(String[] args) throws InterruptedException {
        DeepgramEmulator dg;
        try {
            dg = launch(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (dg.sendStamps() != null) {
            Thread commands = new Thread(() -> readCommands(dg.sendStamps(), System.in, System.out), "emulator-stdin");
            commands.setDaemon(true);
            commands.start();
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dg.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    /** Answers {@code reset} and {@code report} (see the class comment) until {@code in} ends. */
    static void readCommands(SendStamps stamps, java.io.InputStream in, PrintStream out) {
        try (java.io.BufferedReader r = new java.io.BufferedReader(
                new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                switch (line.trim()) {
                    case "reset" -> stamps.reset();
                    case "report" -> {
                        out.println("WRITE_LATENCY " + stamps.report());
                        out.println("HANDSHAKE " + stamps.handshakeReport());
                        out.flush();
                    }
                    default -> {} // not for us: ignored
                }
            }
        } catch (java.io.IOException e) {
            // standard input closed: no more commands
        }
    }

    /** Parses the arguments, starts the emulator and prints its base URL. */
    static DeepgramEmulator launch(String[] args, PrintStream out) {
        DeepgramEmulator.Builder b = DeepgramEmulator.builder();
        double faultEvery = 0;
        String faultMode = "drop";
        long seed = 1;
        String keyStore = null;
        String keyStorePassword = "changeit";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--stamp-sent-ns")) {
                b.stampSentNanos(true);
                continue;
            }
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
                case "--max-connections" -> b.maxConnections(number(a, v));
                case "--max-threads" -> b.maxThreads(number(a, v));
                case "--fault-every" -> faultEvery = seconds(a, v);
                case "--fault-mode" -> faultMode = v;
                case "--seed" -> seed = number(a, v);
                case "--tls-keystore" -> keyStore = v;
                case "--tls-password" -> keyStorePassword = v;
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        FaultPlan plan = faultEvery > 0 ? new FaultPlan(faultEvery, faultMode, seed) : null;
        if (keyStore != null) {
            try {
                b.tls(TestCertificates.load(java.nio.file.Path.of(keyStore), keyStorePassword), keyStorePassword);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--tls-keystore: " + e.getMessage(), e);
            }
        }
        DeepgramEmulator dg = b.start();
        if (plan != null) {
            dg.setDefaultScriptFactory(index -> plan.next());
        }
        out.println(dg.baseUrl());
        out.flush();
        return dg;
    }

    /** One fault per connection after a uniformly random {@code [0.5, 1.5) x every} seconds of audio. */
    static final class FaultPlan {
        private final double every;
        private final String mode;
        private final SplittableRandom random;

        FaultPlan(double every, String mode, long seed) {
            if (!mode.equals("drop") && !mode.equals("close") && !mode.equals("error")) {
                throw new IllegalArgumentException("--fault-mode must be drop, close or error: " + mode);
            }
            this.every = every;
            this.mode = mode;
            this.random = new SplittableRandom(seed);
        }

        synchronized ConnectionScript next() {
            double at = every * (0.5 + random.nextDouble());
            return switch (mode) {
                case "close" -> ConnectionScript.closeAfter(at, 1011, "NET-0000 emulator fault");
                case "error" -> ConnectionScript.errorAfter(at, "emulator fault");
                default -> ConnectionScript.dropAfter(at);
            };
        }
    }

    private static int number(String option, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number: " + v);
        }
    }

    private static double seconds(String option, String v) {
        try {
            double d = Double.parseDouble(v);
            if (!(d > 0)) {
                throw new IllegalArgumentException(option + " must be positive: " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number: " + v);
        }
    }
}
