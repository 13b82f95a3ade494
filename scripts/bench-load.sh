#!/usr/bin/env bash
# Developer tool, not run by CI.
# Load benchmark (issues 6 and 15): 50 concurrent scrapers (wrk, 50 connections) against the agent holding 20k
# session series (20k active sessions of USERS users on IPS client IPs in one portal: users x 2 + IPs series) while it
# polls every 5 s (1% churn per interval; the simulator runs in its own JVM), plain and gzip; then the same load
# against the floor (bench.FloorServer: a bare JDK HTTP server sending the agent's own scrape bytes from memory);
# and, when a second class path is given, first against that revision's agent (the same LoadTarget harness).
# Each measured run follows the same load for LOAD_WARMUP (default 20s; 0 for none), unmeasured.
# Loopback only; every run bounded by DURATION.
# Usage: scripts/bench-load.sh CLASSPATH [DURATION] [BASELINE_CLASSPATH]
#   (called by scripts/bench.sh load / load-compare; needs `apt-get install wrk`)
set -euo pipefail
cd "$(dirname "$0")/.."
cp=$1
duration=${2:-60s}
baseline_cp=${3:-}
warmup=${LOAD_WARMUP:-20s} # 0: none
users=${LOAD_USERS:-7500}
ips=${LOAD_IPS:-5000}
port=19743
dir=target/bench-load
mkdir -p "$dir"
pid=
trap '[[ -n $pid ]] && kill -TERM $pid 2>/dev/null || true' EXIT

wait_ready() {
  until curl -sf -o /dev/null "http://127.0.0.1:$port/-/ready"; do
    kill -0 "$pid" 2>/dev/null || { echo "target died, see $1" >&2; exit 1; }
    sleep 0.2
  done
}
rss() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status"; }

# wrk with 50 connections; prints its report and the target's RSS range. Args: label, log, extra wrk args...
load() {
  local label=$1 log=$2; shift 2
  local samples="$dir/rss-$label.txt"
  : > "$samples"
  ( while kill -0 "$pid" 2>/dev/null; do rss >> "$samples"; echo >> "$samples"; sleep 2; done ) &
  local sampler=$!
  local before
  # The same load first, unmeasured: the JIT is still compiling the scrape path for tens of seconds after /-/ready
  # (-XX:+PrintCompilation counted 2,797 compilations in a first 20 s run, 587 in a third), and an exporter is
  # scraped for days. Every target gets the same warm-up, the floor and the baseline too.
  if [[ $warmup != 0 ]]; then
    echo "### $label, warm-up (not measured): $(wrk -t2 -c50 -d"$warmup" --timeout 10s --latency "$@" "http://127.0.0.1:$port/metrics" \
      | awk '/Requests\/sec/ { rps = $2 } / 99%/ { p99 = $2 } END { printf "%s req/s, p99 %s", rps, p99 }')"
  fi
  before=$(grep -c stats "$log" 2>/dev/null || true)
  echo "### $label: wrk -t2 -c50 -d$duration --timeout 10s --latency $* (load $(cut -d' ' -f1-3 /proc/loadavg))"
  wrk -t2 -c50 -d"$duration" --timeout 10s --latency "$@" "http://127.0.0.1:$port/metrics"
  kill "$sampler" 2>/dev/null || true
  echo "RSS during run (MB): min $(sort -n "$samples" | grep . | head -1), max $(sort -n "$samples" | tail -1)"
  if grep -q stats "$log" 2>/dev/null; then
    echo "polls (every 5 s: polls done so far, longest poll in the last 5 s, heap):"
    tail -n +"$((before + 1))" <(grep stats "$log") | sed 's/^/  /' | tr '\n' ' '; echo
    echo "samples per scrape right after the run: $(curl -s "http://127.0.0.1:$port/metrics" | grep -c -v '^#')"
  fi
}

# One agent revision under load. Args: label, class path.
agent() {
  local label=$1 classpath=$2 log="$dir/target-$1.log"
  java -Xmx512m -XX:+UseG1GC -cp "$classpath" dev.workspacesweb.exporter.bench.LoadTarget "$port" 5 "$users" "$ips" > "$log" 2>&1 &
  pid=$!
  wait_ready "$log"
  sleep 6 # one more poll with churn
  curl -s -o "$dir/scrape-$label.txt" "http://127.0.0.1:$port/metrics"
  curl -s -H 'Accept-Encoding: gzip' -o "$dir/scrape-$label.gz" "http://127.0.0.1:$port/metrics"
  echo "## $label (pid $pid): $(grep -c -v '^#' "$dir/scrape-$label.txt") samples per scrape, $(wc -c < "$dir/scrape-$label.txt") bytes, $(wc -c < "$dir/scrape-$label.gz") gzipped; -Xmx512m; RSS before: $(rss) MB"
  load "$label text" "$log"
  load "$label gzip" "$log" -H 'Accept-Encoding: gzip'
  # When a run ends, wrk closes its 50 connections with responses in flight: the agent logs those (not errors).
  echo "agent log: $(grep -c -E '^(WARNING|SEVERE):' "$log" || true) warnings, of which $(grep -c -E 'ServerConnectionException|CloseConnection|Broken pipe|Connection reset' "$log" || true) name a connection closed by wrk"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=
}

if [[ -n $baseline_cp ]]; then
  agent baseline "$baseline_cp"
fi
agent agent "$cp"
java -cp "$cp" dev.workspacesweb.exporter.bench.FloorServer "$port" "$dir/scrape-agent.txt" "$dir/scrape-agent.gz" \
  'text/plain; version=0.0.4; charset=utf-8' > "$dir/floor.log" 2>&1 &
pid=$!
wait_ready "$dir/floor.log"
echo "## floor (pid $pid): $(cat "$dir/floor.log")"
load "floor text" "$dir/floor.log"
load "floor gzip" "$dir/floor.log" -H 'Accept-Encoding: gzip'
