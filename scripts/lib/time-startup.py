#!/usr/bin/env python3
"""Developer tool, not run by CI (scripts/bench-startup.sh calls it).

Starts one command (the agent) and prints the milliseconds from just before its fork to the first 200 of
/-/healthy and of /-/ready, then stops it with SIGTERM. One Python process asks every 5 ms over a plain socket, so
the timing costs the machine nothing like a curl fork per probe (which on 2 cores competed with the JVM's start).

Usage: time-startup.py PORT LOG_FILE WORKDIR -- COMMAND...
"""
import http.client
import os
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
            print(*marks)
        finally:
            agent.send_signal(signal.SIGTERM)
            try:
                agent.wait(30)
            except subprocess.TimeoutExpired:
                agent.kill()


if __name__ == "__main__":
    main()
