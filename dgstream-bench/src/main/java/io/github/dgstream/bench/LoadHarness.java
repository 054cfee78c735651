package io.github.dgstream.bench;

import io.github.dgstream.emulator.TestCertificates;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The load harness: for each stream count N it starts the emulator in its own JVM on 127.0.0.1 ({@code EmulatorMain
 * --stamp-sent-ns}, optionally {@code --fault-every}), then runs one {@link LoadWorker} JVM per mode against that same
 * emulator, one after the other (same N, same duration, same emulator), and appends one CSV row per worker.
 *
 * <pre>
 * java -cp dgstream-bench.jar io.github.dgstream.bench.LoadHarness --streams 10,100,1000 --duration 60 \
 *     --modes engine,bare [--api v1|flux] [--fault-every 30 [--fault-mode drop]] [--out results.csv] [--chunk-ms 50] \
 *     [--encoding mulaw|linear16] [--ramp 100] [--worker-xmx 2g] [--worker-gc G1|Z|Shenandoah|Parallel] [--emulator-warmup 20]
 *     [--emulator-threads 64] [--emulator-nice 10] [--tls]
 *     [--worker-jvm-opt "OPT ..."] [--emulator-jvm-opt "OPT ..."] [--jfr DIR] [--probe-idle 6]
 * </pre>
 *
 * <p>A mode may name another build's bench jar, {@code engine@/path/dgstream-bench.jar}: that worker runs from it (the
 * CSV's {@code variant} column), so two builds can be alternated against one emulator.
 *
 * <p>A {@link SpeedProbe} runs in this JVM throughout: first {@code --probe-idle} seconds on the idle machine, then in
 * each worker's window, so that rows taken on a slower machine (a shared host) can be told apart.
 *
 * <p>Everything stops by itself: workers have a fixed amount of audio and a watchdog; the emulator is destroyed after
 * each N (and by a shutdown hook).
 */
public final class LoadHarness {
    private LoadHarness() {}

    /** {@code --key value} pairs (a trailing flag without value gets "true"). */
    static Map<String, String> parse(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String k = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                m.put(k, args[++i]);
            } else {
                m.put(k, "true");
            }
        }
        return m;
    }

    /** The password of the key store {@code --tls} generates (a throwaway self-signed certificate). */
    static final String TLS_PASSWORD = "changeit";

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = parse(args);
        if (opt.containsKey("tls")) {
            opt.put("trust", selfSignedKeyStore().toString());
        }
        String[] counts = opt.getOrDefault("streams", "10").split(",");
        String[] modes = opt.getOrDefault("modes", "engine,bare").split(",");
        Path out = Path.of(opt.getOrDefault("out", "load-results.csv"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        long fdLimit = fdLimit();
        try (SpeedProbe probe = new SpeedProbe()) {
            // the probe's figures on this machine with nothing else running, to compare each window's with
            long idleFrom = System.nanoTime() + 2_000_000_000L; // after the probe's own JIT compilation
            TimeUnit.SECONDS.sleep(2 + Long.parseLong(opt.getOrDefault("probe-idle", "6")));
            Map<String, String> idle = probe.medians("probe_idle_", idleFrom, System.nanoTime());
            System.out.println("speed probe, idle machine: " + idle);
            sweep(new Run(opt, java, cp, probe, idle, out), counts, modes, fdLimit);
        }
        System.out.println("results appended to " + out.toAbsolutePath());
    }

    /**
     * What every worker of one harness run shares: the options, this JVM's {@code java} and class path, the speed
     * probe with its idle-machine figures (copied into every row), and the CSV the rows are appended to.
     */
    private record Run(
            Map<String, String> opt, String java, String cp, SpeedProbe probe, Map<String, String> idle, Path out) {
        Run withOptions(Map<String, String> other) {
            return new Run(other, java, cp, probe, idle, out);
        }
    }

    private static void sweep(Run run, String[] counts, String[] modes, long fdLimit) throws Exception {
        for (String c : counts) {
            int n = Integer.parseInt(c.trim());
            if (fdLimit > 0 && fdLimit < 2L * n + 200) {
                System.err.printf("skipping N=%d: file-descriptor limit %d is too low (ulimit -n)%n", n, fdLimit);
                continue;
            }
            Map<String, Map<String, String>> byMode = new LinkedHashMap<>();
            try (EmulatorProcess emu = EmulatorProcess.start(run.java(), run.cp(), n, run.opt())) {
                warmUp(run, n, emu);
                for (String mode : modes) {
                    Map<String, String> row = runWorker(run, mode, n, emu);
                    row.putAll(run.idle());
                    byMode.put(mode, row);
                    ratios(byMode, "bare", "bare");
                    ratios(byMode, "bare-handoff", "handoff");
                    LoadCsv.append(run.out(), row);
                    if (row.containsKey("error")) {
                        System.err.println("worker failed; stopping the sweep here");
                        return;
                    }
                }
            }
        }
    }

    private static Map<String, String> runWorker(Run run, String mode, int n, EmulatorProcess emu) throws Exception {
        Map<String, String> opt = run.opt();
        // MODE@JAR: this worker runs from another build's bench jar (A/B of two builds against one emulator)
        String variant = mode.contains("@") ? mode.substring(mode.indexOf('@') + 1) : "";
        String workerMode = variant.isEmpty() ? mode : mode.substring(0, mode.indexOf('@'));
        List<String> cmd = new ArrayList<>(List.of(
                run.java(),
                "-Xmx" + opt.getOrDefault("worker-xmx", "2g"),
                "-XX:+Use" + opt.getOrDefault("worker-gc", "G1") + "GC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        if (opt.containsKey("worker-jvm-opt")) {
            // extra JVM options for the worker, separated by spaces (none of ours contains one)
            cmd.addAll(List.of(opt.get("worker-jvm-opt").trim().split(" +")));
        }
        if (opt.containsKey("jfr")) {
            Files.createDirectories(Path.of(opt.get("jfr")));
            cmd.add("-XX:StartFlightRecording=filename="
                    + Path.of(opt.get("jfr"), mode.replaceAll("[^A-Za-z0-9.-]", "_") + "-" + n + ".jfr") + ",settings="
                    + opt.getOrDefault("jfr-settings", "profile"));
        }
        cmd.addAll(List.of(
                "-cp",
                variant.isEmpty() ? run.cp() : variant,
                LoadWorker.class.getName(),
                "--mode",
                workerMode,
                "--streams",
                "" + n));
        cmd.addAll(List.of("--url", emu.url));
        for (String k : List.of(
                "duration",
                "chunk-ms",
                "encoding",
                "ramp",
                "warmup",
                "seed",
                "tick-ms",
                "http-threads",
                "engine-http-threads",
                "received-stamps",
                "recovery-stamps",
                "api",
                "trust",
                "heap-histogram")) {
            if (opt.containsKey(k)) {
                cmd.addAll(List.of("--" + k, opt.get(k)));
            }
        }
        System.out.printf(
                Locale.ROOT,
                "== N=%d mode=%s (load average %s)%n",
                n,
                mode,
                loadAverage().replace(' ', '/'));
        String load0 = loadAverage();
        double emuCpu0 = emu.cpuSeconds();
        long emuRunq0 = JvmProbes.runQueueWaitNanos(emu.process.pid());
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Map<String, String> row = new LinkedHashMap<>();
        long windowStart = -1;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.equals("WINDOW start")) {
                    emu.command("reset"); // the emulator's write times are taken over the worker's window
                    windowStart = System.nanoTime();
                } else if (line.equals("WINDOW end")) {
                    emu.command("report");
                    if (windowStart > 0) {
                        row.putAll(run.probe().medians("probe_", windowStart, System.nanoTime()));
                    }
                } else if (line.startsWith("RESULT")) {
                    putKeyValues(line.substring(6), "", row);
                } else {
                    System.out.println("  " + line);
                }
            }
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        if (!row.containsKey("mode")) { // no RESULT line
            row.put("error", "no-result-exit-" + p.exitValue());
        }
        double emuCpu = emu.cpuSeconds() - emuCpu0;
        row.put("emulator_cpu_cores", String.format(Locale.ROOT, "%.3f", emuCpu / wall));
        long emuRunq = JvmProbes.runQueueWaitNanos(emu.process.pid());
        if (emuRunq0 >= 0 && emuRunq >= 0) {
            row.put(
                    "emulator_runq_wait_ms_per_s",
                    String.format(Locale.ROOT, "%.1f", (emuRunq - emuRunq0) / 1e6 / wall));
        }
        row.putAll(emu.takeReport());
        row.put("fault_every_s", opt.getOrDefault("fault-every", "0"));
        row.put("worker_jvm_opt", opt.getOrDefault("worker-jvm-opt", "").trim());
        row.put("emulator_jvm_opt", opt.getOrDefault("emulator-jvm-opt", "").trim());
        row.put("emulator_nice", opt.getOrDefault("emulator-nice", "0"));
        row.put(
                "variant",
                variant.isEmpty() ? "" : Path.of(variant).getFileName().toString());
        row.put("loadavg_before", load0.replace(' ', '/'));
        row.put("loadavg_after", loadAverage().replace(' ', '/'));
        row.put("nproc", "" + Runtime.getRuntime().availableProcessors());
        row.put("jdk", System.getProperty("java.vm.version"));
        StringBuilder sb = new StringBuilder();
        row.forEach((k, v) -> sb.append("  ").append(k).append(" = ").append(v).append('\n'));
        System.out.print(sb);
        return row;
    }

    /**
     * Runs an unmeasured bare worker ({@code --emulator-warmup} seconds of audio, default 20; 0 = none) against the
     * fresh emulator, so its JIT compilation does not land in the first measured worker's window (it did: at 100
     * streams the first worker's p99 was 3-4x the second's, whichever mode went first).
     */
    private static void warmUp(Run run, int n, EmulatorProcess emu) throws Exception {
        String seconds = run.opt().getOrDefault("emulator-warmup", "20");
        if (Double.parseDouble(seconds) <= 0) {
            return;
        }
        Map<String, String> w = new LinkedHashMap<>(run.opt());
        w.put("duration", seconds);
        w.remove("http-threads");
        System.out.println("== emulator warm-up (not measured)");
        runWorker(run.withOptions(w), "bare", Math.min(n, 200), emu);
    }

    /**
     * Once the engine and {@code baseMode} rows of one N exist: the engine's CPU over the base's and its p99 minus the
     * base's, as {@code engine_over_<name>_cpu} and {@code engine_minus_<name>_p99_ms}, put into both rows (the CSV
     * shows them on the later of the two: the earlier one was already written).
     */
    private static void ratios(Map<String, Map<String, String>> byMode, String baseMode, String name) {
        Map<String, String> engine = byMode.get("engine");
        Map<String, String> base = byMode.get(baseMode);
        if (engine == null || base == null || engine.containsKey("engine_over_" + name + "_cpu")) {
            return;
        }
        try {
            // same N, so the ratio of CPU cores used in the steady windows is the per-stream ratio
            double ce = Double.parseDouble(engine.get("cpu_cores"));
            double cb = Double.parseDouble(base.get("cpu_cores"));
            double le = Double.parseDouble(engine.get("lat_p99_ms"));
            double lb = Double.parseDouble(base.get("lat_p99_ms"));
            String cpu = String.format(Locale.ROOT, "%.3f", ce / cb);
            String lat = String.format(Locale.ROOT, "%.3f", le - lb);
            System.out.printf("  engine/%s CPU = %s x, engine-%s p99 = %s ms%n", baseMode, cpu, baseMode, lat);
            for (Map<String, String> row : List.of(engine, base)) {
                row.put("engine_over_" + name + "_cpu", cpu);
                row.put("engine_minus_" + name + "_p99_ms", lat);
            }
        } catch (RuntimeException e) {
            // a missing figure: no ratio
        }
    }

    /** Puts each {@code key=value} of a space-separated line into {@code into}, keys prefixed with {@code prefix}. */
    static void putKeyValues(String line, String prefix, Map<String, String> into) {
        for (String kv : line.trim().split(" ")) {
            int i = kv.indexOf('=');
            if (i > 0) {
                into.put(prefix + kv.substring(0, i), kv.substring(i + 1));
            }
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    /**
     * {@code --tls}: a self-signed EC P-256 certificate for 127.0.0.1 made with the running JDK's {@code keytool}, as a
     * PKCS12 file in a fresh temporary directory; the emulator serves {@code wss://} with it and the workers trust it.
     */
    private static Path selfSignedKeyStore() throws Exception {
        Path ks = Files.createTempDirectory("dgstream-bench-tls").resolve("emulator.p12");
        TestCertificates.selfSigned(ks, "dgstream-bench", "ip:127.0.0.1", TLS_PASSWORD);
        return ks;
    }

    private static long fdLimit() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean u) {
            return u.getMaxFileDescriptorCount();
        }
        return -1;
    }
}
