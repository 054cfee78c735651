#!/usr/bin/env bash
# The full sweep behind docs/bench: JMH, then N = 10..2000 streams (engine, bare and bare-handoff, 60 s each, no
# faults), then AB_REPEATS more such sets at AB_STREAMS (the run-to-run spread of the 1,000-stream figures), then 500
# and 1,000 streams with a fault every ~30 s per stream (engine, its reconnects timed in parts, and the bare client,
# which reconnects without replay: the JDK's handshake under the same load; 90 s), then the variants at VARIANT_STREAMS (one
# set of all modes and one fault run each over Flux, /v2/listen, and over wss://, and one set of all modes measured
# after G1 has settled: 150 s, window from 90 s, once as is and once with -XX:+UseTransparentHugePages on the client
# JVMs, and one set of all modes with the emulator under nice -n 19), then the chart. About 100 minutes on 2 cores
# (SKIP_JMH=1: 95; SKIP_VARIANTS=1: 50 less).
# Re-run on a quiet machine:  dgstream-bench/run-sweep.sh [OUTDIR]   (default docs/bench)
# Env: STREAMS="10 100 500 1000 1500 2000"  MODES=engine,bare,bare-handoff  DURATION=60  AB_STREAMS=1000  AB_REPEATS=2  FAULT_STREAMS="500 1000"
#      FAULT_DURATION=90  SKIP_JMH=1  VARIANT_STREAMS=1000  SKIP_VARIANTS=1
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-docs/bench}
STREAMS=${STREAMS:-"10 100 500 1000 1500 2000"}
DURATION=${DURATION:-60}
MODES=${MODES:-engine,bare,bare-handoff}
mkdir -p "$OUT"
mvn -B -q -pl dgstream-bench -am package -DskipTests
export SKIP_BUILD=1
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
MACHINE="$OUT/machine.txt"
{
  echo "date: $(date -u +%FT%TZ)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "memory: $(free -g | awk '/Mem:/ {print $2 " GiB"}')"
  echo "kernel: $(uname -r)"
  echo "jdk: $(java -version 2>&1 | head -1)"
  echo "ulimit -n: $(ulimit -n)"
  echo "uptime at start: $(uptime)"
} > "$MACHINE"
if [ -z "${SKIP_JMH:-}" ]; then
  dgstream-bench/run-jmh.sh -f 1 -wi 3 -i 5 -w 1s -r 1s
  cp dgstream-bench/target/jmh-results.txt "$OUT/jmh.txt"
fi
CSV="$OUT/load-sweep.csv"
rm -f "$CSV" "$OUT/load-ab.log"
java -cp dgstream-bench/target/dgstream-bench.jar io.github.dgstream.bench.LoadHarness \
  --streams "$(echo $STREAMS | tr ' ' ',')" --duration "$DURATION" --modes "$MODES" --out "$CSV" \
  | tee "$OUT/load-sweep.log"
ACSV="$OUT/load-ab.csv"
rm -f "$ACSV"
for i in $(seq 1 "${AB_REPEATS:-2}"); do
  java -cp dgstream-bench/target/dgstream-bench.jar io.github.dgstream.bench.LoadHarness \
    --streams "${AB_STREAMS:-1000}" --duration "$DURATION" --modes "$MODES" --out "$ACSV" \
    | tee -a "$OUT/load-ab.log"
done
FCSV="$OUT/load-faults.csv"
rm -f "$FCSV"
java -cp dgstream-bench/target/dgstream-bench.jar io.github.dgstream.bench.LoadHarness \
  --streams "$(echo ${FAULT_STREAMS:-500 1000} | tr ' ' ',')" --duration "${FAULT_DURATION:-90}" --modes engine,bare \
  --fault-every 30 --fault-mode drop --recovery-stamps true --out "$FCSV" | tee "$OUT/load-faults.log"
if [ -z "${SKIP_VARIANTS:-}" ]; then
  for variant in "flux:--api flux" "tls:--tls"; do
    name=${variant%%:*}
    read -r -a args <<< "${variant#*:}"
    rm -f "$OUT/load-$name.csv" "$OUT/load-$name-faults.csv"
    java -cp dgstream-bench/target/dgstream-bench.jar io.github.dgstream.bench.LoadHarness "${args[@]}" \
      --streams "${VARIANT_STREAMS:-1000}" --duration "$DURATION" --modes "$MODES" --out "$OUT/load-$name.csv" \
      | tee "$OUT/load-$name.log"
    java -cp dgstream-bench/target/dgstream-bench.jar io.github.dgstream.bench.LoadHarness "${args[@]}" \
      --streams "${VARIANT_STREAMS:-1000}" --duration "${FAULT_DURATION:-90}" --modes engine \
      --fault-every 30 --fault-mode drop --out "$OUT/load-$name-faults.csv" | tee "$OUT/load-$name-faults.log"
  done
  # G1 settles its concurrent refinement only after a minute or more at full load: measure a window after that
  rm -f "$OUT/load-settled.csv"
  java -cp dgstream-bench/target/dgstream-bench.jar io.github.dgstream.bench.LoadHarness \
    --streams "${VARIANT_STREAMS:-1000}" --duration 150 --warmup 90 --modes "$MODES" --out "$OUT/load-settled.csv" \
    | tee "$OUT/load-settled.log"
  # the same with transparent huge pages on the client JVMs (the kernel's THP mode must be madvise or always)
  rm -f "$OUT/load-settled-thp.csv"
  java -cp dgstream-bench/target/dgstream-bench.jar io.github.dgstream.bench.LoadHarness \
    --streams "${VARIANT_STREAMS:-1000}" --duration 150 --warmup 90 --modes "$MODES" \
    --worker-jvm-opt "-XX:+UseTransparentHugePages" --out "$OUT/load-settled-thp.csv" \
    | tee "$OUT/load-settled-thp.log"
  # the emulator at a lower priority, so that it no longer competes with the client for the same cores
  rm -f "$OUT/load-nice.csv"
  java -cp dgstream-bench/target/dgstream-bench.jar io.github.dgstream.bench.LoadHarness \
    --streams "${VARIANT_STREAMS:-1000}" --duration "$DURATION" --modes "$MODES" --emulator-nice 19 \
    --out "$OUT/load-nice.csv" | tee "$OUT/load-nice.log"
fi
echo "uptime at end: $(uptime)" >> "$MACHINE"
java -Djava.awt.headless=true -cp dgstream-bench/target/dgstream-bench.jar io.github.dgstream.bench.Chart \
  "$CSV" "$OUT/load-sweep.png" "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1); load average at start/end: see machine.txt"
cat "$MACHINE"
