# Groups async-profiler collapsed stacks of the emulator JVM by what the emulator was doing, first match wins (the
# decoder runs inside Jetty's read path, so the emulator's own work is tested before Jetty's). Prints samples, share
# and group, largest first; the last line is the total.
# Usage: awk -f dgstream-bench/emulator-groups.awk EMULATOR.collapsed
function group(s) {
    if (s ~ /speech\/(SpeechDecoder|FrameClassifier|FrameRuns|SampleCodec)/) return "speech decoding"
    if (s ~ /sha256|MessageDigest/) return "audio hashing (SHA-256, for recordings)"
    if (s ~ /EmulatorConnection\.send|V1Messages|FluxMessages|OutboundSender/) return "results: build and write"
    if (s ~ /io\/github\/dgstream\/emulator/) return "other emulator code"
    if (s ~ /WebSocketConnection\.(fillAndParse|onFillable)/) return "Jetty: read and parse frames (syscalls included)"
    if (s ~ /ManagedSelector|EPollSelectorImpl/) return "Jetty: selector (epoll)"
    if (s ~ /WriteFlusher|SocketChannelEndPoint\.flush/) return "Jetty: write completion"
    if (s ~ /HttpConnection|Upgrade|Handshake/) return "Jetty: HTTP and upgrades"
    if (s ~ /CompileBroker|C2Compiler|Compilation::/) return "JIT compiler"
    if (s ~ /G1|GCTask|WorkerThread|ParallelTask/) return "GC"
    if (s ~ /QueuedThreadPool|ReservedThreadExecutor|LockSupport/) return "Jetty: thread pool hand-offs"
    return "other"
}
{
    n = $NF
    line = $0
    sub(/ [0-9]+$/, "", line)
    g = group(line)
    sum[g] += n
    total += n
}
END {
    for (g in sum) printf "%7d %5.1f %% %s\n", sum[g], 100 * sum[g] / total, g | "sort -rn"
    close("sort -rn")
    printf "%7d total\n", total
}
