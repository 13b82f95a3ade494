#!/usr/bin/env bash
# Static checks of the monitoring files, no exporter needed (a few seconds):
#
#   scripts/check-rules.sh
#
# - promtool check config deploy/prometheus/prometheus.yml (which also checks the rules file it loads)
# - promtool check rules and promtool test rules (alert unit tests)
# - amtool check-config deploy/alertmanager/alertmanager.yml and routing tests (amtool config routes test)
# - the inhibition rules against a real Alertmanager on a free loopback port, when its binary is installed
#   (Debian: prometheus-alertmanager)
# - every runbook_url links to a heading of deploy/prometheus/RUNBOOK.md
# - the Grafana dashboards: structure (scripts/check-dashboards.py) and up to date with
#   scripts/gen-dashboards.py
# - deploy/docker-compose.yml against the files it mounts (needs PyYAML, Debian: python3-yaml; .ci/run installs it)
#
# Needs promtool and amtool (Debian: apt-get install prometheus prometheus-alertmanager) and python3.
# The last line is "check-rules: N passed, M failed"; exit status 0 only when all passed.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PROM_DIR=deploy/prometheus
RULES="$PROM_DIR/rules/workspaces-web.rules.yml"
RULE_TESTS="$PROM_DIR/rules/workspaces-web.rules.test.yml"
AM_CONFIG=deploy/alertmanager/alertmanager.yml

PASSED=0
FAILED=0
AM_PID=""
WORK="$(mktemp -d "${TMPDIR:-/tmp}/check-rules.XXXXXX")"

cleanup() {
    if [ -n "$AM_PID" ] && kill -0 "$AM_PID" 2>/dev/null; then
        kill "$AM_PID" 2>/dev/null
        wait "$AM_PID" 2>/dev/null
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# step DESCRIPTION COMMAND...: runs COMMAND, shows its output only when it fails.
step() {
    local what="$1"
    shift
    if "$@" >"$WORK/out.txt" 2>&1; then
        PASSED=$((PASSED + 1))
        echo "ok   $what"
    else
        FAILED=$((FAILED + 1))
        echo "FAIL $what" >&2
        sed 's/^/     /' "$WORK/out.txt" >&2
    fi
}

for tool in promtool amtool python3; do
    command -v "$tool" >/dev/null 2>&1 \
        || { echo "$tool not found (Debian: apt-get install prometheus prometheus-alertmanager python3)" >&2; exit 1; }
done

step "promtool check config $PROM_DIR/prometheus.yml" promtool check config "$PROM_DIR/prometheus.yml"
step "promtool check rules $RULES" promtool check rules "$RULES"
step "promtool test rules $RULE_TESTS" promtool test rules "$RULE_TESTS"

# every alert has a severity label and the three annotations (promtool does not require them)
alerts_complete() {
    python3 - "$RULES" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
blocks = re.split(r"\n\s*- (?=alert:|record:)", text)
bad = []
for block in blocks:
    m = re.match(r"alert:\s*(\S+)", block)
    if not m:
        continue
    for needle in ("severity:", "summary:", "description:", "runbook_url:", "#runbook-"):
        if needle not in block:
            bad.append(f"{m.group(1)} lacks {needle}")
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF
}
step "every alert has severity, summary, description and a #runbook- runbook_url" alerts_complete

# every alert has a unit-test case
alerts_tested() {
    local missing=0 alert
    for alert in $(sed -n 's/^ *- alert: *//p' "$RULES"); do
        grep -q "alertname: $alert\$" "$RULE_TESTS" || { echo "no test case for $alert"; missing=1; }
    done
    return "$missing"
}
step "every alert has unit-test cases" alerts_tested

# the runbook sections live in deploy/prometheus/RUNBOOK.md: every runbook_url (rules and their tests) links to
# that file and to one of its headings
RUNBOOK="$PROM_DIR/RUNBOOK.md"
step "every runbook_url links to a section of $RUNBOOK" \
    python3 scripts/check-runbooks.py --doc "$RUNBOOK" "$RULES" "$RULE_TESTS"

step "amtool check-config $AM_CONFIG" amtool check-config "$AM_CONFIG"
step "critical alerts route to on-call-pager" \
    amtool config routes test --config.file="$AM_CONFIG" --verify.receivers=on-call-pager \
    severity=critical alertname=WorkspacesWebExporterDown
step "warning alerts route to team-notifications" \
    amtool config routes test --config.file="$AM_CONFIG" --verify.receivers=team-notifications \
    severity=warning alertname=WorkspacesWebPortalNearCapacity portal_id=p-1

AM_BIN="$(command -v prometheus-alertmanager || command -v alertmanager || true)"
if [ -n "$AM_BIN" ]; then
    AM_PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
    "$AM_BIN" --config.file="$AM_CONFIG" --storage.path="$WORK/alertmanager" \
        --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= --log.level=warn \
        >"$WORK/alertmanager.log" 2>&1 &
    AM_PID=$!
    am_ready() {
        local i
        for i in $(seq 1 30); do
            curl -fsS "http://127.0.0.1:$AM_PORT/-/ready" >/dev/null 2>&1 && return 0
            kill -0 "$AM_PID" 2>/dev/null || { cat "$WORK/alertmanager.log"; return 1; }
            sleep 1
        done
        echo "Alertmanager not ready after 30s"
        cat "$WORK/alertmanager.log"
        return 1
    }
    step "Alertmanager starts with $AM_CONFIG" am_ready
    step "inhibition: a failing portal mutes its own alerts, an exporter down mutes its own alerts" \
        python3 scripts/check-inhibition.py --alertmanager "http://127.0.0.1:$AM_PORT"
else
    echo "skip inhibition test: no alertmanager binary (Debian: apt-get install prometheus-alertmanager)"
fi

step "dashboards: structure, datasource, descriptions, variables" \
    python3 scripts/check-dashboards.py dashboards/*.json
step "dashboards are up to date with scripts/gen-dashboards.py" python3 scripts/gen-dashboards.py --check

step "docker-compose.yml consistent with the mounted Prometheus, Alertmanager and Grafana files" \
    python3 scripts/check-compose.py deploy/docker-compose.yml

echo "check-rules: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
