package io.github.dgstream.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The emulator JVM of a load run: {@code EmulatorMain --stamp-sent-ns} on 127.0.0.1, commanded on its standard input. */
final class EmulatorProcess implements AutoCloseable {
    final Process process;
    final String url;
    private final Thread hook;
    private final PrintStream commands;
    private static final int ANSWERS_KEPT = 8;

    // The emulator's answers to `report`, one per worker and taken at once; bounded all the same: past ANSWERS_KEPT
    // unread answers the oldest is dropped (keepLatest).
    private final BlockingQueue<String> writeLatency = new ArrayBlockingQueue<>(ANSWERS_KEPT);
    private final BlockingQueue<String> handshake = new ArrayBlockingQueue<>(ANSWERS_KEPT);

    private EmulatorProcess(Process process, String url) {
        this.process = process;
        this.url = url;
        this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.hook = new Thread(process::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static EmulatorProcess start(String java, String cp, int n, Map<String, String> opt) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (opt.containsKey("emulator-nice")) {
            // a lower CPU priority for the emulator (nice(1), Linux/macOS): the client's threads run first on the
            // shared cores, closer to a server on another machine than two JVMs competing for the same cores
            int nice;
            try {
                nice = Integer.parseInt(opt.get("emulator-nice").trim());
            } catch (NumberFormatException e) {
                nice = Integer.MIN_VALUE;
            }
            if (nice < -20 || nice > 19) {
                throw new IllegalArgumentException(
                        "--emulator-nice must be a whole number from -20 to 19, got: " + opt.get("emulator-nice"));
            }
            cmd.addAll(List.of("nice", "-n", Integer.toString(nice)));
        }
        cmd.addAll(List.of(
                java,
                "-Xmx" + opt.getOrDefault("emulator-xmx", "2g"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        if (opt.containsKey("emulator-jvm-opt")) {
            // extra JVM options for the emulator, separated by spaces, as for the workers
            cmd.addAll(List.of(opt.get("emulator-jvm-opt").trim().split(" +")));
        }
        cmd.addAll(List.of(
                "-cp",
                cp,
                "io.github.dgstream.emulator.EmulatorMain",
                "--port",
                "0",
                "--stamp-sent-ns",
                "--max-connections",
                "" + (2 * n + 16)));
        if (opt.containsKey("trust")) {
            cmd.addAll(List.of("--tls-keystore", opt.get("trust"), "--tls-password", LoadHarness.TLS_PASSWORD));
        }
        if (opt.containsKey("emulator-threads")) {
            cmd.addAll(List.of("--max-threads", opt.get("emulator-threads")));
        }
        if (opt.containsKey("fault-every")) {
            cmd.addAll(List.of("--fault-every", opt.get("fault-every")));
            cmd.addAll(List.of("--fault-mode", opt.getOrDefault("fault-mode", "drop")));
        }
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                return r.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String url;
        try {
            url = first.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("the emulator did not start", e);
        }
        if (url == null || !(url.startsWith("ws://") || url.startsWith("wss://"))) {
            p.destroyForcibly();
            throw new IllegalStateException("the emulator printed " + url);
        }
        EmulatorProcess emu = new EmulatorProcess(p, url);
        Thread drain = new Thread(
                () -> {
                    try {
                        String line;
                        while ((line = r.readLine()) != null) {
                            if (line.startsWith("WRITE_LATENCY ")) {
                                keepLatest(emu.writeLatency, line.substring(14));
                            } else if (line.startsWith("HANDSHAKE ")) {
                                keepLatest(emu.handshake, line.substring(10));
                            }
                        }
                    } catch (IOException e) {
                        // gone
                    }
                },
                "emulator-stdout");
        drain.setDaemon(true);
        drain.start();
        return emu;
    }

    private static void keepLatest(BlockingQueue<String> answers, String answer) {
        while (!answers.offer(answer)) {
            answers.poll();
        }
    }

    /** Sends the emulator a command on its standard input ({@code reset} or {@code report}, see EmulatorMain). */
    void command(String c) {
        commands.println(c);
    }

    /**
     * The answer to the last {@code report}: the emulator's stamp-to-written times as {@code emulator_write_*} columns
     * and its handshake times (from the client's dial, {@code X-Bench-Dial-Ns}) as {@code emulator_handshake_*}, or
     * nothing if it did not answer within 5 s.
     */
    Map<String, String> takeReport() throws InterruptedException {
        Map<String, String> m = new LinkedHashMap<>();
        String line = writeLatency.poll(5, TimeUnit.SECONDS);
        if (line != null) {
            LoadHarness.putKeyValues(line, "emulator_write_", m);
            String hs = handshake.poll(5, TimeUnit.SECONDS);
            if (hs != null) {
                LoadHarness.putKeyValues(hs, "emulator_handshake_", m);
            }
        }
        return m;
    }

    double cpuSeconds() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO).toNanos() / 1e9;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        Runtime.getRuntime().removeShutdownHook(hook);
    }
}
