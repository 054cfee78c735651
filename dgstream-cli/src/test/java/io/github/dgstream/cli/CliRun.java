package io.github.dgstream.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Runs the tool in-process with captured stdout/stderr and no DEEPGRAM_API_KEY. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        return withEnv(java.util.Map.of(), args);
    }

    /** Runs with this environment (for example {@code DEEPGRAM_API_KEY}) instead of none. */
    static synchronized CliRun withEnv(java.util.Map<String, String> env, String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        TranscribeCommand.environment = env::get;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
            TranscribeCommand.environment = System::getenv;
        }
    }

    List<String> outLines() {
        return Arrays.stream(out.split("\\R")).filter(l -> !l.isBlank()).toList();
    }

    List<String> errLines() {
        return Arrays.stream(err.split("\\R")).filter(l -> !l.isBlank()).toList();
    }
}
