#!/usr/bin/env bash
# Developer tool, not run by CI.
# Start-up benchmark: process start to the first 200 of /-/ready, embedded simulator with a small workload and no
# rate limit; plain JVM, then with a JDK 25 AOT cache built by a training run (-XX:AOTCacheOutput).
# Usage: scripts/bench-startup.sh [RUNS]   (called by scripts/bench.sh startup; needs target/workspaces-web-exporter.jar)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
jar=target/workspaces-web-exporter.jar
[[ -f $jar ]] || ./mvnw -B -q package -DskipTests
dir=target/bench-startup
mkdir -p "$dir"
port=19742
cat > "$dir/config.yaml" <<YAML
server:
  host: 127.0.0.1
  port: $port
source: simulator
aws:
  max_requests_per_second: 0
simulator:
  portals: 2
  initial_active_sessions: 20
  history_sessions: 100
YAML

# One start: prints milliseconds from fork to the first 200 of /-/ready, then stops the agent.
one() {
  local start end pid
  start=$(date +%s%N)
  java "$@" -jar "$jar" run --config "$dir/config.yaml" > "$dir/agent.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/-/ready"; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "agent died, see $dir/agent.log" >&2; return 1; fi
    sleep 0.005
  done
  end=$(date +%s%N)
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  echo $(( (end - start) / 1000000 ))
}

series() { # label, java options...
  local label=$1; shift
  local times=()
  one "$@" > /dev/null # warm the page cache
  for _ in $(seq "$runs"); do times+=("$(one "$@")"); done
  printf '%s\n' "${times[@]}" | sort -n | awk -v label="$label" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" \
    '{ t[NR] = $1 } END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2;
       printf "| %s | %d | %.0f | %d | %d | %s |\n", label, NR, m, t[1], t[NR], load }'
  # Where the time goes in the last run: Helidon logs when each server (simulator, then agent) is listening.
  grep -o '[0-9]* milliseconds since JVM startup' "$dir/agent.log" | tr '\n' ';' | sed 's/^/    last run: simulator, agent server listening at: /; s/$/\n/' >&2
}

echo "| JVM | runs | median ms to /-/ready | min | max | load |"
echo "|---|---|---|---|---|---|"
series "plain (java -jar)"
series "-XX:TieredStopAtLevel=1" -XX:TieredStopAtLevel=1

# AOT cache (JDK 25, JEP 514/515): one training run that records loaded/linked classes and profiles, written at exit.
rm -f "$dir/app.aot"
java -XX:AOTCacheOutput="$dir/app.aot" -jar "$jar" run --config "$dir/config.yaml" > "$dir/training.log" 2>&1 &
pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/-/ready"; do sleep 0.05; done
curl -sf -o /dev/null "http://127.0.0.1:$port/metrics"
kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
for _ in $(seq 100); do [[ -s $dir/app.aot ]] && break; sleep 0.1; done
ls -l "$dir/app.aot" >&2
series "AOT cache (-XX:AOTCache)" -XX:AOTCache="$dir/app.aot"
series "AOT cache + TieredStopAtLevel=1" -XX:AOTCache="$dir/app.aot" -XX:TieredStopAtLevel=1
