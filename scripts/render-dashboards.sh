#!/usr/bin/env bash
# Developer tool, not run by CI.
# Renders pictures of the Grafana dashboards' main panels from real data, in one command:
#
#   scripts/render-dashboards.sh
#
# 1. builds target/workspaces-web-exporter.jar if absent (./mvnw -B -q -DskipTests package);
# 2. starts the agent on a free loopback port with the embedded simulator as source and a busy workload
#    (30 arrivals a minute, 2 minute median sessions, 40 sessions at start, 80 users so that users hold several
#    sessions, a little throttling) polled every 2s, so that the graphs move within minutes;
# 3. starts a real Prometheus on a free loopback port (temporary data dir) scraping the agent every 1s and
#    loading deploy/prometheus/rules/workspaces-web.rules.yml, the rules the dashboards query;
# 4. lets data accumulate for RENDER_SECONDS (default 210);
# 5. runs scripts/render-dashboards.py over that time range, which writes
#    dashboards/screenshots/<dashboard>.png with headless Chromium (Debian: apt-get install chromium).
#
# This is not Grafana (Grafana cannot run here): the pages are drawn by render-dashboards.py from the panels'
# own queries. Needs Java 21+ (JAVA_HOME or java on PATH), prometheus, curl, python3, chromium.
# Both processes are stopped on exit. KEEP_WORKDIR=1 keeps the temporary directory (logs, configs, the HTML pages).
# Not part of CI: the pictures depend on timing and are committed by hand.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/target/workspaces-web-exporter.jar"
RULES="$ROOT/deploy/prometheus/rules/workspaces-web.rules.yml"
OUT="${RENDER_OUT:-$ROOT/dashboards/screenshots}"
SECONDS_OF_DATA="${RENDER_SECONDS:-210}"
JOB=workspaces-web-exporter

AGENT_PID=""
PROM_PID=""
WORK="$(mktemp -d "${TMPDIR:-/tmp}/render-dashboards.XXXXXX")"

die() {
    echo "render-dashboards: $*" >&2
    exit 1
}

# stop, cleanup (trapped on exit), show_log, free_port, wait_until
. "$ROOT/scripts/lib/processes.sh"

# --- tools ---------------------------------------------------------------------------------------------------
for tool in prometheus curl python3; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found (Debian: apt-get install prometheus curl python3)"
done
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
    || die "chromium not found (Debian: apt-get install chromium)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
java_major="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
case "$java_major" in
    ''|1.*|[0-9]|1[0-9]|20) die "Java 21 or newer is needed (found '${java_major:-none}' at $JAVA); set JAVA_HOME" ;;
esac

if [ ! -f "$JAR" ]; then
    echo "building $JAR"
    (cd "$ROOT" && ./mvnw -B -q -DskipTests package) || die "build failed: ./mvnw -B -q -DskipTests package"
    [ -f "$JAR" ] || die "the build did not produce $JAR"
fi

# --- agent on a busy simulator ---------------------------------------------------------------------------------
AGENT_PORT="$(free_port)"
# stale_after: the workload injects throttling, so a portal's poll sometimes fails after the SDK's retries; the
# default 3 x interval (6s) would then withdraw its session gauges until the next good poll and punch holes in
# the graphs.
cat >"$WORK/config.yaml" <<CONFIG
source: simulator
server:
  host: 127.0.0.1
  port: $AGENT_PORT
poll:
  interval: 2s
  stale_after: 60s
simulator:
  portals: 3
  users: 80
  arrivals_per_minute: 30
  median_session_duration: 2m
  initial_active_sessions: 40
  faults:
    throttle_probability: 0.05
CONFIG
"$JAVA" -jar "$JAR" run --config "$WORK/config.yaml" >"$WORK/agent.log" 2>&1 &
AGENT_PID=$!
AGENT="http://127.0.0.1:$AGENT_PORT"
wait_until 90 "agent $AGENT/-/ready" "$AGENT_PID" curl -fsS "$AGENT/-/ready" \
    || { show_log "$WORK/agent.log"; die "agent did not become ready"; }
echo "agent ready on $AGENT"

# --- Prometheus --------------------------------------------------------------------------------------------------
PROM_PORT="$(free_port)"
PROM="http://127.0.0.1:$PROM_PORT"
cat >"$WORK/prometheus.yml" <<CONFIG
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - $RULES
scrape_configs:
  - job_name: $JOB
    static_configs:
      - targets: ["127.0.0.1:$AGENT_PORT"]
CONFIG
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/data" \
    --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$WORK/prometheus.log" 2>&1 &
PROM_PID=$!
wait_until 60 "Prometheus $PROM/-/ready" "$PROM_PID" curl -fsS "$PROM/-/ready" \
    || { show_log "$WORK/prometheus.log"; die "Prometheus did not become ready"; }
target_up() {
    curl -fsS --get "$PROM/api/v1/query" --data-urlencode "query=up{job=\"$JOB\"} == 1" \
        | python3 -c 'import json, sys; sys.exit(0 if json.load(sys.stdin)["data"]["result"] else 1)'
}
wait_until 60 "a successful scrape of the agent (up == 1)" "$PROM_PID" target_up \
    || { show_log "$WORK/prometheus.log"; die "Prometheus has no successful scrape of $AGENT"; }
echo "Prometheus ready on $PROM, scraping the agent; collecting ${SECONDS_OF_DATA}s of data"

# --- let data accumulate, then render --------------------------------------------------------------------------
# The graphs need a history: this wait is the time range they show, not a synchronisation.
sleep "$SECONDS_OF_DATA"
kill -0 "$AGENT_PID" 2>/dev/null || { show_log "$WORK/agent.log"; die "agent died while collecting data"; }

python3 "$ROOT/scripts/render-dashboards.py" --prometheus "$PROM" --range-seconds "$SECONDS_OF_DATA" --step 5 \
    --out-dir "$OUT" --html-dir "$WORK/html" "$ROOT"/dashboards/*.json
