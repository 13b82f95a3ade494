#!/usr/bin/env bash
# Developer tool, not run by CI.
# Start-up benchmark (issue 15): the README's run command, `java -jar target/workspaces-web-exporter.jar` in the
# repository root (the shipped config.yaml: embedded simulator, every portal polled once before /-/ready), timed
# from fork to the first 200 of /-/healthy and of /-/ready (scripts/lib/time-startup.py, one process asking every
# 5 ms); plain, and with a JDK AOT cache trained by the README's training command
# (`java -XX:AOTCacheOutput=app.aot -jar ...`, stopped after /-/ready and one scrape). Beside it, the floors: the
# agent's web server alone (Helidon SE's WebServer answering /-/healthy and /-/ready, bench.ServerFloor helidon,
# from the same jar) and the JDK's own HTTP server alone (bench.ServerFloor jdk), each plain and with its own trained
# AOT cache. With a baseline tree (a checkout holding its own target/workspaces-web-exporter.jar and config.yaml) the
# agent's rows for it too. The configurations take turns run by run, after one warm-up start each; medians over RUNS.
# Loopback only.
# Usage: scripts/bench-startup.sh [RUNS] [BASELINE_TREE]   (called by scripts/bench.sh startup)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
baseline=${2:-}
port=19742
# The shipped config, on a loopback port of its own (environment overrides of server.host and server.port).
export SERVER_HOST=127.0.0.1 SERVER_PORT=$port
dir=$PWD/target/bench-startup
mkdir -p "$dir"
[[ -f target/workspaces-web-exporter.jar ]] || ./mvnw -B -q package -DskipTests
[[ -f target/test-classes/dev/workspacesweb/exporter/bench/ServerFloor.class ]] || ./mvnw -B -q test-compile
# A jar, not a directory: an AOT cache records only jars on the class path.
jar cf "$dir/floor.jar" -C target/test-classes dev/workspacesweb/exporter/bench/ServerFloor.class
floor_cp="$PWD/target/workspaces-web-exporter.jar:$dir/floor.jar"
pid=
trap '[[ -n $pid ]] && kill -TERM $pid 2>/dev/null || true' EXIT

await() { # path: polls it every 5 ms until 200
  until curl -sf -o /dev/null "http://127.0.0.1:$port$1"; do
    kill -0 "$pid" 2>/dev/null || { echo "process died, see $dir/training.log" >&2; exit 1; }
    sleep 0.005
  done
}

one() { # tree, java arguments...: prints "ms-to-healthy ms-to-ready" (one prober process, no curl per probe)
  local tree=$1; shift
  python3 scripts/lib/time-startup.py "$port" "$dir/run.log" "$tree" -- java "$@"
}

train() { # tree, cache file, java arguments...: the README's training run (a scrape too, where there is /metrics)
  local tree=$1 aot=$2; shift 2
  rm -f "$aot"
  (cd "$tree" && exec java -XX:AOTCacheOutput="$aot" "$@") > "$dir/training.log" 2>&1 &
  pid=$!
  await /-/ready
  curl -s -o /dev/null "http://127.0.0.1:$port/metrics" || true
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=
  for _ in $(seq 100); do [[ -s $aot ]] && break; sleep 0.1; done
  echo "trained $aot: $(du -m "$aot" | cut -f1) MB" >&2
}

labels=() trees=() args=()
add() { # label, tree, java arguments (one string; no spaces inside an argument)
  labels+=("$1"); trees+=("$2"); args+=("$3")
}
agent=(-jar target/workspaces-web-exporter.jar)
train "$PWD" "$dir/this.aot" "${agent[@]}"
add "this revision, plain" "$PWD" "${agent[*]}"
add "this revision, AOT cache" "$PWD" "-XX:AOTCache=$dir/this.aot ${agent[*]}"
if [[ -n $baseline ]]; then
  train "$baseline" "$dir/baseline.aot" "${agent[@]}"
  add "$(basename "$baseline"), plain" "$baseline" "${agent[*]}"
  add "$(basename "$baseline"), AOT cache" "$baseline" "-XX:AOTCache=$dir/baseline.aot ${agent[*]}"
fi
for server in helidon jdk; do
  floor=(-cp "$floor_cp" dev.workspacesweb.exporter.bench.ServerFloor "$server")
  train "$PWD" "$dir/floor-$server.aot" "${floor[@]}"
  add "floor: $server server alone, plain" "$PWD" "${floor[*]}"
  add "floor: $server server alone, AOT cache" "$PWD" "-XX:AOTCache=$dir/floor-$server.aot ${floor[*]}"
done
for i in "${!labels[@]}"; do one "${trees[$i]}" ${args[$i]} > /dev/null; : > "$dir/times-$i.txt"; done # warm-up
for _ in $(seq "$runs"); do
  for i in "${!labels[@]}"; do one "${trees[$i]}" ${args[$i]} >> "$dir/times-$i.txt"; done
done
median() { sort -n | awk '{ t[NR] = $1 } END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2; printf "%.0f (%d-%d)", m, t[1], t[NR] }'; }
echo "| start | runs | ms to /-/healthy: median (min-max) | ms to /-/ready: median (min-max) |"
echo "|---|---|---|---|"
for i in "${!labels[@]}"; do
  echo "| ${labels[$i]} | $runs | $(cut -d' ' -f1 "$dir/times-$i.txt" | median) | $(cut -d' ' -f2 "$dir/times-$i.txt" | median) |"
done
echo "load after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
