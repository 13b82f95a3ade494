#!/usr/bin/env bash
# Developer tool, not run by CI.
# Two ways of starting the agent (or anything that answers /-/healthy and /-/ready), turn about, RUNS times each:
# prints for each the medians of ms to /-/healthy, ms to /-/ready and the process's CPU ms at /-/healthy
# (scripts/lib/time-startup.py with CPU=1), then every run. Each way is the arguments after `java`, one string,
# run in the repository root with its config.yaml on 127.0.0.1:19742. How BENCHMARKS.md §0 measured each start-up
# change side by side, e.g. a jar against another:
#   scripts/startup-ab.sh 9 "-jar /tmp/before.jar" "-jar target/workspaces-web-exporter.jar"
# or a flag against none:
#   scripts/startup-ab.sh 7 "-jar target/workspaces-web-exporter.jar" "-XX:TieredStopAtLevel=1 -jar target/workspaces-web-exporter.jar"
# With an AOT cache, give each jar its own, trained with the README's command.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH" SERVER_HOST=127.0.0.1 SERVER_PORT=19742
runs=${1:?usage: scripts/startup-ab.sh RUNS "JAVA ARGS A" "JAVA ARGS B"}
ways=("${2:?}" "${3:?}")
dir=target/startup-ab
mkdir -p "$dir"
: > "$dir/A.txt"; : > "$dir/B.txt"
for _ in $(seq "$runs"); do
  for i in 0 1; do
    name=$([[ $i == 0 ]] && echo A || echo B)
    # shellcheck disable=SC2086 # each way is a list of arguments
    times=$(CPU=1 python3 scripts/lib/time-startup.py 19742 "$dir/$name.log" . -- java ${ways[$i]} 2> "$dir/cpu.txt")
    echo "$times $(sed -E 's/.*CPU ([0-9]+) ms.*/\1/' "$dir/cpu.txt")" >> "$dir/$name.txt"
  done
done
median() { sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }'; }
for name in A B; do
  echo "$name: ms to /-/healthy $(cut -d' ' -f1 "$dir/$name.txt" | median), to /-/ready $(cut -d' ' -f2 "$dir/$name.txt" | median), CPU ms at /-/healthy $(cut -d' ' -f3 "$dir/$name.txt" | median)   ($([[ $name == A ]] && echo "${ways[0]}" || echo "${ways[1]}"))"
done
echo "runs (healthy ready cpu), A | B:"
paste -d'|' "$dir/A.txt" "$dir/B.txt"
echo "load after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
