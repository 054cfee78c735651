#!/usr/bin/env bash
# One load run: the emulator in its own JVM on 127.0.0.1, then one client JVM per mode (engine, bare, bare-handoff) against it.
# Usage: dgstream-bench/run-load.sh --streams 1000 --duration 60 [--modes engine,bare] [--fault-every 30]
#        [--fault-mode drop|close|error] [--chunk-ms 50] [--encoding mulaw|linear16] [--ramp 100]
#        [--http-threads K (bare only)] [--api v1|flux] [--tls] [--jfr DIR] [--out FILE.csv]
# Everything stops by itself (fixed audio per stream, watchdogs); results are appended to the CSV.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${SKIP_BUILD:-}" ] || mvn -B -q -pl dgstream-bench -am package -DskipTests
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "ulimit -n $(ulimit -n); nproc $(nproc); $(uptime)"
exec java -cp dgstream-bench/target/dgstream-bench.jar io.github.dgstream.bench.LoadHarness "$@"
