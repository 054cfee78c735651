#!/usr/bin/env bash
# JMH microbenchmarks of the client's hot paths, with allocation per operation (-prof gc).
# Usage: dgstream-bench/run-jmh.sh [extra JMH args, e.g. a regex like DecodeBench or -f 3]
# Output: dgstream-bench/target/jmh-results.txt (and .json)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${SKIP_BUILD:-}" ] || mvn -B -q -pl dgstream-bench -am package -DskipTests
JAR=dgstream-bench/target/dgstream-bench.jar
OUT=dgstream-bench/target/jmh-results
{ echo "# $(date -u +%FT%TZ) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg)"; java -version 2>&1 | head -1; } > "$OUT.txt"
java -jar "$JAR" -prof gc -rf json -rff "$OUT.json" "$@" 2>&1 | tee -a "$OUT.txt"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT.txt"
