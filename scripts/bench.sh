#!/usr/bin/env bash
# Developer tool, not run by CI.
# Runs one benchmark of BENCHMARKS.md: scripts/bench.sh api|history|poll|memory|scrape|startup|load|preload
# Builds the bench profile once (test classes + JMH, tests skipped), then runs the harness with the test class path.
#   scripts/bench.sh load [DURATION] [REV]    with REV (e.g. 23cf44b): that revision's agent under the same load first
#   scripts/bench.sh startup [RUNS] [REV]     with REV: that revision's jar started the same way, turn about
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
name=${1:?usage: scripts/bench.sh api|history|poll|memory|scrape|startup|load|preload}
shift || true
mkdir -p target/bench-results
out="target/bench-results/$name-$(date -u +%Y%m%dT%H%M%SZ).txt"

if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
  # package: start-up needs the jar; the bench profile skips the tests and compiles the benchmarks.
  ./mvnw -B -q -Pbench package
fi
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
agent_java=(java -Xmx2g -XX:+UseG1GC -cp "$cp")

# A revision to compare against, built in target/baseline-REV: `git archive REV` with this revision's load harness
# (bench/LoadTarget.java, which takes the users and IPs to simulate) copied in; its main code is REV's own, and so
# are the test helpers LoadTarget calls (BenchAgent, RemoteSimulator, TestConfigs): LoadTarget names only API that
# REV has too (it sets the server through AgentConfig's record components, whose number differs between revisions).
# The tree has no .git of its own, so its build_info revision is written in rather than taken from the enclosing
# checkout. Rebuilt when the revision, this LoadTarget or this script changes (the stamp is written only after a
# successful build).
baseline_tree() {
  local rev tree load=src/test/java/dev/workspacesweb/exporter/bench/LoadTarget.java stamp
  rev=$(git rev-parse --verify --quiet "$1^{commit}") || { echo "bench.sh: unknown revision $1" >&2; exit 2; }
  tree=target/baseline-$1
  stamp="$rev $(cat "$load" scripts/bench.sh | sha256sum | cut -d' ' -f1)"
  if [[ $(cat "$tree/.bench-stamp" 2>/dev/null) != "$stamp" ]]; then
    echo "building $1 ($rev) in $tree" >&2
    rm -rf "$tree"; mkdir -p "$tree"
    git archive "$rev" | tar -x -C "$tree"
    cp "$load" "$tree/$load"
    mkdir -p "$tree/src/main/resources"
    printf 'git.commit.id.abbrev=%s\ngit.dirty=false\n' "$(git rev-parse --short "$rev")" \
      > "$tree/src/main/resources/workspaces-web-exporter-git.properties"
    (cd "$tree" && ./mvnw -B -q -Pbench -Dmaven.gitcommitid.skip=true package) >&2 \
      || { echo "bench.sh: building $1 in $tree failed" >&2; exit 1; }
    [[ -f $tree/target/bench-classpath.txt && -f $tree/target/workspaces-web-exporter.jar ]] \
      || { echo "bench.sh: $tree lacks target/bench-classpath.txt or the jar" >&2; exit 1; }
    echo "$stamp" > "$tree/.bench-stamp"
  fi
  echo "$PWD/$tree"
}

header() {
  echo "# $name  date=$(date -u +%Y-%m-%dT%H:%M:%SZ)  rev=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml || echo '+dirty')"
  echo "# nproc=$(nproc)  $(lscpu | grep -m1 'Model name' | tr -s ' ')  uptime:$(uptime)"
}

case "$name" in
  api)     # 20 portals, 100k active, 1M terminated, 1% churn: calls per cycle vs minimum; also poll cost + memory
    { header; "${agent_java[@]}" dev.workspacesweb.exporter.bench.PollBench "$@"; } 2>&1 | tee "$out" ;;
  history) # calls per steady cycle at history sizes 0, 100k, 1M (same 100k active)
    { header; for h in 0 100000 1000000; do
        "${agent_java[@]}" dev.workspacesweb.exporter.bench.PollBench history=$h cycles=4 "$@"; done; } 2>&1 | tee "$out" ;;
  poll)    # cost of a steady cycle at 1k, 10k, 100k active (history 10x active)
    { header; for n in 1000 10000 100000; do
        "${agent_java[@]}" dev.workspacesweb.exporter.bench.PollBench active=$n history=$((n * 10)) cycles=12 "$@"; done; } 2>&1 | tee "$out" ;;
  scrape)  # JMH: /metrics render vs the client_java writer floor, at 1k, 10k, 100k active
    { header; "${agent_java[@]}" dev.workspacesweb.exporter.bench.ScrapeBench "$@"
      "${agent_java[@]}" dev.workspacesweb.exporter.bench.ScrapeRatio; } 2>&1 | tee "$out" ;;
  preload) # the simulator alone: preload of 100k active + 1M terminated sessions, page cost deep in the history
    { header; "${agent_java[@]}" dev.workspacesweb.exporter.simulator.PreloadBench "$@"; } 2>&1 | tee "$out" ;;
  startup)
    base=
    if [[ -n ${2:-} ]]; then
      base=$(baseline_tree "$2") # its own status: a failed baseline build stops here (set -e)
    fi
    { header; scripts/bench-startup.sh "${1:-10}" $base; } 2>&1 | tee "$out" ;;
  load)
    base_cp=
    if [[ -n ${2:-} ]]; then
      base=$(baseline_tree "$2")
      base_cp="$base/target/test-classes:$base/target/classes:$(cat "$base/target/bench-classpath.txt")"
    fi
    { header; scripts/bench-load.sh "$cp" "${1:-60s}" "$base_cp"; } 2>&1 | tee "$out" ;;
  *) echo "unknown benchmark $name" >&2; exit 2 ;;
esac
echo "results in $out"
