#!/usr/bin/env python3
"""Developer tool, not run by CI (scripts/bench-startup.sh calls it).

Starts one command (the agent) and prints the milliseconds from just before its fork to the first 200 of
/-/healthy and of /-/ready, then stops it with SIGTERM. One Python process asks every 5 ms over a plain socket, so
the timing costs the machine nothing like a curl fork per probe (which on 2 cores competed with the JVM's start).

With CPU=1 in the environment it also prints, on stderr, the process's CPU time when /-/healthy first answered
and how it splits by thread (read from /proc/PID/task/*/stat at that moment; digits in thread names folded; threads
that ended by then count in the total only); with CPU=ready, the same when /-/ready first answered.

Usage: time-startup.py PORT LOG_FILE WORKDIR -- COMMAND...
"""
import http.client
import os
import re
import signal
import subprocess
import sys
import time


def ok(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        conn.request("GET", path)
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def cpu_ms(stat_path):
    fields = open(stat_path).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 // os.sysconf("SC_CLK_TCK")


def cpu_report(pid, path, wall_ms):
    threads = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            name = re.sub(r"\d+", "N", open(f"/proc/{pid}/task/{task}/comm").read().strip())
            threads[name] = threads.get(name, 0) + cpu_ms(f"/proc/{pid}/task/{task}/stat")
        except OSError:
            pass  # the thread ended meanwhile
    top = sorted(threads.items(), key=lambda t: -t[1])[:5]
    return (f"at {path}: wall {wall_ms} ms, CPU {cpu_ms(f'/proc/{pid}/stat')} ms; by thread: "
            + ", ".join(f"{n} {ms} ms" for n, ms in top))


def main():
    port, log, workdir = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    command = sys.argv[sys.argv.index("--") + 1:]
    with open(log, "wb") as out:
        start = time.monotonic_ns()
        agent = subprocess.Popen(command, cwd=workdir, stdout=out, stderr=subprocess.STDOUT)
        try:
            marks = []
            for path in ("/-/healthy", "/-/ready"):
                while not ok(port, path):
                    if agent.poll() is not None:
                        sys.exit(f"agent exited with {agent.returncode} before {path}; see {log}")
                    time.sleep(0.005)
                marks.append((time.monotonic_ns() - start) // 1_000_000)
                if os.environ.get("CPU") == {"/-/healthy": "1", "/-/ready": "ready"}[path]:
                    print(cpu_report(agent.pid, path, marks[-1]), file=sys.stderr)
            print(*marks)
        finally:
            agent.send_signal(signal.SIGTERM)
            try:
                agent.wait(30)
            except subprocess.TimeoutExpired:
                agent.kill()


if __name__ == "__main__":
    main()
