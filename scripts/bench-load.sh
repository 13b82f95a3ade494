#!/usr/bin/env bash
# Developer tool, not run by CI.
# Load benchmark (issue 6): 50 concurrent scrapers (wrk, 50 connections) for 60 s against the agent holding 20k
# active sessions (5k users, 5k IPs) while it keeps polling (1% churn every 5 s; the simulator runs in its own JVM).
# Loopback only.
# Usage: scripts/bench-load.sh CLASSPATH [DURATION]   (called by scripts/bench.sh load; needs `apt-get install wrk`)
set -euo pipefail
cd "$(dirname "$0")/.."
cp=$1
duration=${2:-60s}
port=19743
dir=target/bench-load
mkdir -p "$dir"
java -Xmx512m -XX:+UseG1GC -cp "$cp" dev.workspacesweb.exporter.bench.LoadTarget "$port" 5 > "$dir/target.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$port/-/ready"; do
  kill -0 "$pid" 2>/dev/null || { echo "load target died, see $dir/target.log" >&2; exit 1; }
  sleep 0.2
done
sleep 6 # one more poll with churn
series=$(curl -s "http://127.0.0.1:$port/metrics" | grep -c -v '^#')
bytes=$(curl -s "http://127.0.0.1:$port/metrics" | wc -c)
gzbytes=$(curl -s -H 'Accept-Encoding: gzip' "http://127.0.0.1:$port/metrics" | wc -c)
echo "agent pid $pid: $series samples per scrape, $bytes bytes, $gzbytes gzipped; -Xmx512m"
rss() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status"; }
echo "RSS before: $(rss) MB"

run() { # label, extra wrk args...
  local label=$1; shift
  local samples="$dir/rss-$label.txt"
  : > "$samples"
  ( while kill -0 "$pid" 2>/dev/null; do rss >> "$samples"; echo >> "$samples"; sleep 2; done ) &
  local sampler=$!
  echo "## $label: wrk -t2 -c50 -d$duration --latency $* (load $(cut -d' ' -f1-3 /proc/loadavg))"
  wrk -t2 -c50 -d"$duration" --timeout 10s --latency "$@" "http://127.0.0.1:$port/metrics"
  kill "$sampler" 2>/dev/null || true
  echo "RSS during run (MB): min $(sort -n "$samples" | grep . | head -1), max $(sort -n "$samples" | tail -1)"
  echo "samples per scrape right after the run: $(curl -s "http://127.0.0.1:$port/metrics" | grep -c -v '^#')"
  echo "agent during the run (every 5 s: polls done so far, longest poll in the last 5 s, heap):"
  grep stats "$dir/target.log" | tail -$(( ${duration%s} / 5 + 1 )) | sed 's/^/  /' | tr '\n' ' '; echo
}
run text
run gzip -H 'Accept-Encoding: gzip'
# wrk prints "Socket errors" and "Non-2xx or 3xx responses" lines when there are any. When a run ends, wrk closes
# its 50 connections with responses in flight: the agent logs those as ServerConnectionException (not errors).
cut_off=$(grep -c 'scrape failed: io.helidon.webserver.ServerConnectionException' "$dir/target.log" || true)
# MetricsHandler answers a failure after the body has started with send(), which Helidon refuses (logged once per cut-off scrape).
refused=$(grep -c 'When output stream is used, response is completed by closing' "$dir/target.log" || true)
others=$(grep -E '^(WARNING|SEVERE):' "$dir/target.log" | grep -v -c -E 'ServerConnectionException|Unable to reset response' || true)
echo "agent log: $cut_off scrapes cut off by wrk closing its connections at the end of a run ($refused of them followed by Helidon refusing MetricsHandler's error send()); other warnings: $others"
