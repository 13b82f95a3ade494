#!/usr/bin/env bash
# End-to-end check of the exporter with a real Prometheus, in one command:
#
#   scripts/e2e-prometheus.sh
#
# 1. builds target/workspaces-web-exporter.jar if absent (./mvnw -B -q -DskipTests package);
# 2. starts the agent on a free loopback port with the embedded simulator as source, a 2s poll interval and
#    injected faults (throttling, one access-denied portal);
# 3. lints a real scrape with `promtool check metrics` and checks the contract's metric families are there;
# 4. starts a real Prometheus on a free loopback port (temporary data dir) scraping the agent every 1s and
#    loading deploy/prometheus/rules/workspaces-web.rules.yml;
# 5. evaluates every dashboard panel expression and every rule through /api/v1/query (scripts/evaluate-queries.py):
#    no query may fail, the core panels must return series, and no rule may be in health "err";
# 6. checks the poll-failing alert is pending for exactly the access-denied portal;
# 7. after a protobuf scrape as well, checks that every line the agent wrote to stderr is one logfmt event with
#    time, level and msg (no raw JVM warning, no multi-line stack trace).
#
# Needs: Java 21+ (JAVA_HOME or java on PATH), prometheus and promtool (Debian: apt-get install prometheus),
# curl, python3. Both processes are stopped on exit. KEEP_WORKDIR=1 keeps the temporary directory (logs,
# config, scrape) for debugging; E2E_VERBOSE=1 prints the number of series of every query. Exit status 0 only when every check passed; the last line is
# "e2e: N passed, M failed".
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/target/workspaces-web-exporter.jar"
RULES="$ROOT/deploy/prometheus/rules/workspaces-web.rules.yml"
DASHBOARDS=("$ROOT"/dashboards/*.json)
JOB=workspaces-web-exporter

PASSED=0
FAILED=0
AGENT_PID=""
PROM_PID=""
WORK="$(mktemp -d "${TMPDIR:-/tmp}/e2e-prometheus.XXXXXX")"

pass() { PASSED=$((PASSED + 1)); echo "ok   $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $*" >&2; }

summary() { echo "e2e: $PASSED passed, $FAILED failed"; }

# A failure after which nothing else can be checked.
fatal() {
    fail "$*"
    summary
    exit 1
}

# stop, cleanup (trapped on exit), show_log, free_port, wait_until
. "$ROOT/scripts/lib/processes.sh"

# --- tools ---------------------------------------------------------------------------------------------------
for tool in prometheus promtool curl python3; do
    command -v "$tool" >/dev/null 2>&1 || fatal "$tool not found (Debian: apt-get install prometheus curl python3)"
done
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
java_major="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
case "$java_major" in
    ''|1.*|[0-9]|1[0-9]|20) fatal "Java 21 or newer is needed (found '${java_major:-none}' at $JAVA); set JAVA_HOME" ;;
esac
pass "tools: prometheus, promtool, curl, python3, java $java_major"

# --- static checks (cheap, and catch dashboard mistakes before starting anything) ------------------------------
if python3 "$ROOT/scripts/check-dashboards.py" "${DASHBOARDS[@]}" >"$WORK/validate.txt" 2>&1; then
    pass "dashboards valid: $(tail -n 1 "$WORK/validate.txt")"
else
    cat "$WORK/validate.txt" >&2
    fail "dashboard validation"
fi
if promtool check rules "$RULES" >"$WORK/check-rules.txt" 2>&1; then
    pass "promtool check rules"
else
    cat "$WORK/check-rules.txt" >&2
    fatal "promtool check rules $RULES"
fi

# --- agent ---------------------------------------------------------------------------------------------------
if [ ! -f "$JAR" ]; then
    echo "building $JAR"
    (cd "$ROOT" && ./mvnw -B -q -DskipTests package) || fatal "build failed: ./mvnw -B -q -DskipTests package"
    [ -f "$JAR" ] || fatal "the build did not produce $JAR"
fi

# GeoIP databases for the simulator's default client networks, written with MaxMind's writer (Debian's
# libmaxmind-db-writer-perl): the documentation networks stay unknown, as in every real database.
geo_networks() {
    local type="$1" kind="$2"
    python3 - "$type" "$kind" <<'PY'
import json, sys
db_type, kind = sys.argv[1], sys.argv[2]
nets = {"81.2.69.0/24": ("GB", 20712, "Andrews & Arnold Ltd"), "2a02:c7c::/32": ("GB", 5607, "Sky UK Limited"),
        "91.0.0.0/10": ("DE", 3320, "Deutsche Telekom AG"), "2003::/19": ("DE", 3320, "Deutsche Telekom AG"),
        "90.32.0.0/11": ("FR", 3215, "Orange S.A."), "89.160.0.0/18": ("SE", 29518, "Bredband2 AB"),
        "83.32.0.0/11": ("ES", 3352, "Telefonica de Espana S.A.U."), "73.0.0.0/8": ("US", 7922, "Comcast Cable Communications, LLC"),
        "70.24.0.0/13": ("CA", 577, "Bell Canada"), "179.96.0.0/12": ("BR", 28573, "Claro NXT Telecomunicacoes Ltda"),
        "126.0.0.0/8": ("JP", 17676, "SoftBank Corp."), "49.32.0.0/12": ("IN", 55836, "Reliance Jio Infocomm Limited"),
        "1.128.0.0/11": ("AU", 1221, "Telstra Limited")}
out = []
for net, (cc, asn, org) in nets.items():
    data = {"country": {"iso_code": cc}} if kind == "country" else \
        {"autonomous_system_number": asn, "autonomous_system_organization": org}
    out.append({"network": net, "data": data})
print(json.dumps({"database_type": db_type, "networks": out}))
PY
}
geo_networks GeoLite2-Country country | perl "$ROOT/scripts/write-mmdb.pl" "$WORK/GeoLite2-Country.mmdb" \
    || fatal "writing the GeoIP country database (needs Debian's libmaxmind-db-writer-perl)"
geo_networks GeoLite2-ASN asn | perl "$ROOT/scripts/write-mmdb.pl" "$WORK/GeoLite2-ASN.mmdb" \
    || fatal "writing the GeoIP ASN database"

AGENT_PORT="$(free_port)"
# Faults make the error paths visible: some throttling (retried by the SDK) and one portal, the third,
# whose session APIs deny access, so its polls fail. A dry-run policy exercises the policy counters.
cat >"$WORK/config.yaml" <<EOF
source: simulator
server:
  host: 127.0.0.1
  port: $AGENT_PORT
poll:
  interval: 2s
policies:
  - name: e2e-long-sessions
    max_session_duration: 1m
    dry_run: true
  - name: e2e-europe-only
    allow_countries: [DE, FR, GB, IE, ES, SE]
    dry_run: true
geoip:
  country_database: $WORK/GeoLite2-Country.mmdb
  asn_database: $WORK/GeoLite2-ASN.mmdb
limits:
  max_asns_per_portal: 8
simulator:
  portals: 3
  faults:
    throttle_probability: 0.05
    access_denied_portals: [2]
EOF
"$JAVA" -jar "$JAR" run --config "$WORK/config.yaml" >"$WORK/agent.out" 2>"$WORK/agent.log" &
AGENT_PID=$!
AGENT="http://127.0.0.1:$AGENT_PORT"
if wait_until 90 "agent $AGENT/-/ready" "$AGENT_PID" curl -fsS "$AGENT/-/ready"; then
    pass "agent ready on $AGENT"
else
    show_log "$WORK/agent.log"
    fatal "agent did not become ready"
fi

# --- one real scrape ---------------------------------------------------------------------------------------------
# The first poll may still be running right after readiness: retry until the session gauges are there.
has_sessions() {
    curl -fsS "$AGENT/metrics" -o "$WORK/metrics.txt" && grep -qE '^workspaces_web_active_sessions[{ ]' "$WORK/metrics.txt"
}
if wait_until 90 "session metrics in a scrape" "$AGENT_PID" has_sessions; then
    pass "scrape of $AGENT/metrics ($(wc -l <"$WORK/metrics.txt") lines)"
else
    show_log "$WORK/agent.log"
    fatal "no workspaces_web_active_sessions in $AGENT/metrics"
fi

lint="$(promtool check metrics <"$WORK/metrics.txt" 2>&1)"
lint_rc=$?
if [ "$lint_rc" -eq 0 ] && [ -z "$lint" ]; then
    pass "promtool check metrics: no lint findings"
else
    echo "$lint" >&2
    fail "promtool check metrics reported findings (exit $lint_rc)"
fi

# gzip as curl decodes it: curl reads only the first gzip member of a body, so a scrape sent as several members
# would come out cut short to its first family (or curl would fail). At least the families of the plain scrape
# above (a family may appear between the two scrapes), and the same lint.
if curl -fsS --compressed "$AGENT/metrics" -o "$WORK/metrics-gzip.txt" \
    && [ "$(grep -c '^# TYPE' "$WORK/metrics-gzip.txt")" -ge "$(grep -c '^# TYPE' "$WORK/metrics.txt")" ] \
    && [ -z "$(promtool check metrics <"$WORK/metrics-gzip.txt" 2>&1)" ]; then
    pass "curl --compressed scrape: $(grep -c '^# TYPE' "$WORK/metrics-gzip.txt") families, no lint findings"
else
    fail "curl --compressed scrape differs from the plain one or fails the lint"
fi

# Families that exist on every scrape with the simulator (error, policy and folding families appear only
# once something happened).
for family in \
    workspaces_web_active_sessions workspaces_web_active_users workspaces_web_user_active_sessions \
    workspaces_web_user_client_ips \
    workspaces_web_active_client_ips workspaces_web_client_ip_active_sessions \
    workspaces_web_sessions_started_total workspaces_web_sessions_ended_total \
    workspaces_web_session_duration_seconds_bucket workspaces_web_session_duration_seconds_count \
    workspaces_web_session_duration_seconds_sum workspaces_web_oldest_active_session_age_seconds \
    workspaces_web_portal_max_concurrent_sessions workspaces_web_portal_info workspaces_web_portal_up \
    workspaces_web_last_successful_poll_timestamp_seconds workspaces_web_poll_duration_seconds_bucket \
    workspaces_web_api_requests_total workspaces_web_api_request_errors_total workspaces_web_build_info \
    workspaces_web_discovery_up workspaces_web_config_last_reload_successful \
    workspaces_web_config_last_reload_success_timestamp_seconds \
    jvm_memory_used_bytes jvm_threads_live_threads process_cpu_usage process_start_time_seconds; do
    if grep -qE "^${family}[{ ]" "$WORK/metrics.txt"; then
        pass "scrape has $family"
    else
        fail "scrape lacks $family"
    fi
done
if grep -qE '^workspaces_web_api_request_errors_total\{[^}]*error="AccessDeniedException"' "$WORK/metrics.txt"; then
    pass "the denied portal shows as AccessDeniedException errors"
else
    fail "no workspaces_web_api_request_errors_total{error=\"AccessDeniedException\"} for the access-denied portal"
fi
if grep -qE '^workspaces_web_session_duration_seconds_bucket\{[^}]*le="43200(\.0)?"' "$WORK/metrics.txt"; then
    pass "duration histogram has the 43200s bucket"
else
    fail "duration histogram lacks the le=\"43200\" bucket of the contract"
fi

# --- Prometheus ----------------------------------------------------------------------------------------------
PROM_PORT="$(free_port)"
PROM="http://127.0.0.1:$PROM_PORT"
cat >"$WORK/prometheus.yml" <<EOF
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
EOF
promtool check config "$WORK/prometheus.yml" >"$WORK/check-config.txt" 2>&1 \
    || { cat "$WORK/check-config.txt" >&2; fatal "promtool check config of the generated prometheus.yml"; }
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/data" \
    --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$WORK/prometheus.log" 2>&1 &
PROM_PID=$!
if wait_until 60 "Prometheus $PROM/-/ready" "$PROM_PID" curl -fsS "$PROM/-/ready"; then
    pass "Prometheus ready on $PROM"
else
    show_log "$WORK/prometheus.log"
    fatal "Prometheus did not become ready"
fi

target_up() {
    curl -fsS --get "$PROM/api/v1/query" --data-urlencode "query=up{job=\"$JOB\"} == 1" \
        | python3 -c 'import json, sys; sys.exit(0 if json.load(sys.stdin)["data"]["result"] else 1)'
}
if wait_until 60 "a successful scrape of the agent (up == 1)" "$PROM_PID" target_up; then
    pass "Prometheus scrapes the agent (up == 1)"
else
    curl -fsS "$PROM/api/v1/targets" >&2
    show_log "$WORK/prometheus.log"
    fatal "Prometheus has no successful scrape of $AGENT"
fi

# --- every dashboard panel and every rule --------------------------------------------------------------------
python3 "$ROOT/scripts/evaluate-queries.py" --prometheus "$PROM" --rules-file "$RULES" --wait-seconds 90 \
    ${E2E_VERBOSE:+--verbose} "${DASHBOARDS[@]}" | tee "$WORK/evaluate.txt"
counts="$(tail -n 1 "$WORK/evaluate.txt")"
if [[ "$counts" =~ ^evaluate-queries:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    PASSED=$((PASSED + BASH_REMATCH[1]))
    FAILED=$((FAILED + BASH_REMATCH[2]))
else
    fail "evaluate-queries.py did not finish"
fi

# --- the alert pipeline sees the failing portal --------------------------------------------------------------
# WorkspacesWebPortalPollFailing waits 5m before firing, but is pending at once: exactly one portal, the denied one.
poll_failing_pending() {
    curl -fsS --get "$PROM/api/v1/query" \
        --data-urlencode 'query=ALERTS{alertname="WorkspacesWebPortalPollFailing", alertstate=~"pending|firing"}' \
        | python3 -c 'import json, sys; r = json.load(sys.stdin)["data"]["result"]; print(r); sys.exit(0 if len(r) == 1 else 1)'
}
if wait_until 30 "WorkspacesWebPortalPollFailing pending for the denied portal" "$PROM_PID" poll_failing_pending; then
    pass "WorkspacesWebPortalPollFailing is pending for exactly the access-denied portal"
else
    poll_failing_pending >&2
    fail "WorkspacesWebPortalPollFailing is not pending for exactly one portal"
fi

kill -0 "$AGENT_PID" 2>/dev/null && pass "agent still running" || { show_log "$WORK/agent.log"; fail "agent died during the run"; }

# --- the agent's stderr: one logfmt event per line --------------------------------------------------------------
# A protobuf scrape first: on JDK 24+ an old shaded protobuf made the JVM print raw sun.misc.Unsafe warnings here.
curl -fsS -o /dev/null -H 'Accept: application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited' \
    "$AGENT/metrics" && pass "protobuf scrape" || fail "protobuf scrape of $AGENT/metrics"
stop "$AGENT_PID"
AGENT_PID=""
if python3 - "$WORK/agent.log" >"$WORK/log-check.txt" 2>&1 <<'PY'
import re, sys
# go-logfmt's grammar: key=bare or key="quoted with \\ \" \n \r \t \uXXXX escapes", one space apart
pair = re.compile(r'([^\s="]+)=(?:"((?:[^"\\\x00-\x1f]|\\["\\nrt]|\\u[0-9a-fA-F]{4})*)"|([^\s="\x00-\x1f]*))(?: |$)')
bad = 0
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
for number, line in enumerate(lines, 1):
    keys, pos = set(), 0
    while pos < len(line):
        m = pair.match(line, pos)
        if not m or m.end() == pos:
            break
        keys.add(m.group(1))
        pos = m.end()
    if pos != len(line) or not {"time", "level", "msg"} <= keys:
        bad += 1
        print(f"line {number} is not a logfmt event with time, level and msg: {line[:300]}")
print(f"{len(lines)} lines, {bad} not events")
sys.exit(1 if bad or not lines else 0)
PY
then
    pass "agent stderr: $(tail -n 1 "$WORK/log-check.txt")"
else
    cat "$WORK/log-check.txt" >&2
    fail "agent stderr has lines that are not logfmt events"
fi

summary
[ "$FAILED" -eq 0 ]
