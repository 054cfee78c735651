package io.github.dgstream.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The load harness's CSV file: its columns, in the order of the result files in {@code docs/bench}, and appending one
 * row per measured worker. Apart from {@link LoadHarness}, which runs the emulator and the workers, because the column
 * list is the files' format, not part of running them.
 */
final class LoadCsv {
    private LoadCsv() {}

    static final List<String> COLUMNS = List.of(
            "mode",
            "streams",
            "fault_every_s",
            "audio_s",
            "encoding",
            "chunk_ms",
            "window_s",
            "threads_jvm_before",
            "threads_jvm_steady",
            "threads_jvm_peak",
            "threads_client_steady",
            "threads_client_peak",
            "heap_per_stream_kib",
            "replay_per_stream_kib",
            "cpu_s_per_stream_per_audio_s",
            "cpu_cores",
            "emulator_cpu_cores",
            "emulator_write_n",
            "emulator_write_p50_ms",
            "emulator_write_p99_ms",
            "emulator_write_max_ms",
            "lat_samples",
            "lat_p50_ms",
            "lat_p99_ms",
            "lat_max_ms",
            "lat_decoded_p50_ms",
            "lat_decoded_p99_ms",
            "lat_received_p50_ms",
            "lat_received_p99_ms",
            "runq_wait_ms_per_s",
            "emulator_runq_wait_ms_per_s",
            "gc",
            "gc_pauses",
            "gc_pause_share",
            "engine_over_bare_cpu",
            "engine_minus_bare_p99_ms",
            "engine_over_handoff_cpu",
            "engine_minus_handoff_p99_ms",
            "finals",
            "words_expected",
            "words_received",
            "words_lost",
            "words_doubled",
            "words_unknown",
            "words_lost_unreported",
            "audio_lost_reported_s",
            "streams_failed",
            "reconnects",
            "recovery_p50_ms",
            "recovery_p99_ms",
            "recovery_max_ms",
            "loadavg_before",
            "loadavg_after",
            "nproc",
            "jdk",
            "reconnect_causes",
            "failures",
            "error",
            "api",
            "scheme",
            "wakeups_per_s",
            "cpu_cores_by_group",
            "jit_ms_per_s",
            "probe_alu_us",
            "probe_mem_us",
            "probe_samples",
            "probe_idle_alu_us",
            "probe_idle_mem_us",
            "probe_idle_samples",
            "variant",
            "reconnects_delayed",
            "recovery_to_dial_p50_ms",
            "recovery_to_dial_p99_ms",
            "recovery_handshake_p50_ms",
            "recovery_handshake_p99_ms",
            "recovery_to_send_p50_ms",
            "recovery_to_send_p99_ms",
            "recovery_transport_p50_ms",
            "recovery_transport_p99_ms",
            "recovery_to_event_p50_ms",
            "recovery_to_event_p99_ms",
            "emulator_handshake_seen_n",
            "emulator_handshake_seen_p50_ms",
            "emulator_handshake_seen_p99_ms",
            "emulator_handshake_open_p50_ms",
            "emulator_handshake_open_p99_ms",
            "losses_write_first",
            "losses_write_first_explained",
            "worker_jvm_opt",
            "emulator_jvm_opt",
            "recovery_to_event_write_first_p50_ms",
            "recovery_to_event_write_first_p99_ms",
            "emulator_nice");

    /**
     * Appends {@code row} under the file's header, or under {@link #COLUMNS} in a new file: a file written before a
     * column was added keeps its own columns (the new one is left out of its rows).
     */
    static void append(Path out, Map<String, String> row) throws IOException {
        StringBuilder sb = new StringBuilder();
        List<String> columns = COLUMNS;
        if (!Files.exists(out) || Files.size(out) == 0) {
            sb.append(String.join(",", COLUMNS)).append('\n');
        } else {
            try (BufferedReader r = Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
                columns = List.of(r.readLine().split(","));
            }
        }
        List<String> cells = new ArrayList<>();
        for (String c : columns) {
            cells.add(row.getOrDefault(c, "").replace(',', ';'));
        }
        sb.append(String.join(",", cells)).append('\n');
        Files.writeString(out, sb, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
