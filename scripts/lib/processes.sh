# Process helpers shared by the scripts that start the agent and a Prometheus on loopback
# (scripts/e2e-prometheus.sh, scripts/render-dashboards.sh). Sourced, not run. The caller sets WORK, AGENT_PID and
# PROM_PID; cleanup() stops both processes and removes WORK (unless KEEP_WORKDIR=1) when the script exits.

stop() {
    local pid="$1"
    [ -n "$pid" ] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null
        # bounded wait for a clean shutdown, then force
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
}

cleanup() {
    stop "$PROM_PID"
    stop "$AGENT_PID"
    if [ "${KEEP_WORKDIR:-0}" = 1 ]; then
        echo "work directory kept: $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

show_log() {
    echo "---- last lines of $1 ----" >&2
    tail -n 40 "$1" >&2
    echo "----" >&2
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_until SECONDS DESCRIPTION PID COMMAND...: retries COMMAND once a second; fails early if PID died.
wait_until() {
    local seconds="$1" what="$2" pid="$3"
    shift 3
    local i
    for i in $(seq 1 "$seconds"); do
        if "$@" >/dev/null 2>&1; then
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "process $pid exited while waiting for $what" >&2
            return 1
        fi
        sleep 1
    done
    echo "timed out after ${seconds}s waiting for $what" >&2
    return 1
}
