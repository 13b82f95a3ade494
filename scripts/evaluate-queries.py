#!/usr/bin/env python3
"""Evaluates every dashboard panel expression and every rule through a running Prometheus (run by
scripts/e2e-prometheus.sh against the agent on its simulator).

    evaluate-queries.py --prometheus URL --rules-file FILE [--wait-seconds 60] [--verbose] DASHBOARD.json...

Every panel expression is run through /api/v1/query with the template variables substituted, once with every
variable at its default and once with portal_id set to a real portal; no query may fail and the CORE_PANELS must
return series. /api/v1/rules must hold every rule of FILE (read with PyYAML) with no rule in health "err", and
each rule's expression must evaluate. Prints one line per failure and a final count; exits 1 on any failure.
"""
import argparse
import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent / "lib"))
from obs import Results, all_panels, api_get, load, load_yaml, query, substitute, variable_values  # noqa: E402

# Panels that must return at least one series against a running exporter with the simulator as source:
# (dashboard file name, panel title).
CORE_PANELS = [
    ("workspaces-web-overview.json", "Active sessions"),
    ("workspaces-web-overview.json", "Active users"),
    ("workspaces-web-overview.json", "Distinct client IPs"),
    ("workspaces-web-overview.json", "Session starts per minute"),
    ("workspaces-web-overview.json", "Active sessions and capacity per portal"),
    ("workspaces-web-overview.json", "Session starts and ends per minute"),
    ("workspaces-web-overview.json", "Oldest active session"),
    ("workspaces-web-overview.json", "Portals"),
    ("workspaces-web-users-ips.json", "Top users by active sessions"),
    ("workspaces-web-users-ips.json", "Top client IPs by active sessions"),
    # the simulator gives some sessions several client IPs, so some users are on several IPs (the stat
    # "Users on several IPs" is not listed: with its "or vector(0)" it always returns a series)
    ("workspaces-web-users-ips.json", "Users on several client IPs"),
    ("workspaces-web-users-ips.json", "Active users and distinct client IPs"),
    ("workspaces-web-exporter.json", "Exporter up"),
    ("workspaces-web-exporter.json", "Portal poll status"),
    ("workspaces-web-exporter.json", "Time since last successful poll"),
    ("workspaces-web-exporter.json", "AWS API requests by operation"),
    ("workspaces-web-exporter.json", "Build"),
    ("workspaces-web-exporter.json", "JVM heap memory"),
    # e2e-prometheus.sh gives the agent GeoIP databases of the simulator's networks
    ("workspaces-web-geo.json", "Active sessions by country"),
    ("workspaces-web-geo.json", "Sessions by country"),
    ("workspaces-web-geo.json", "Top networks"),
    ("workspaces-web-geo.json", "Sessions by portal and country"),
    ("workspaces-web-geo.json", "GeoIP database age"),
]


def panel_queries(dashboards, overrides):
    """(dashboard name, panel title, refId, substituted expr) for every target."""
    for path, d in dashboards:
        values = variable_values(d, overrides)
        for panel in all_panels(d):
            for t in panel.get("targets") or []:
                if t.get("expr"):
                    yield Path(path).name, panel.get("title"), t.get("refId"), substitute(t["expr"], values)


def wait_for_core(base, dashboards, deadline):
    """Recording rules and rates need a few scrapes and evaluations: retry the core panels until they all
    return series or the deadline passes. Returns the core panels still empty."""
    core = set(CORE_PANELS)
    while True:
        empty = set()
        for name, title, _ref, expr in panel_queries(dashboards, {}):
            if (name, title) in core:
                err, n = query(base, expr)
                if err or n == 0:
                    empty.add((name, title))
        if not empty or time.monotonic() > deadline:
            return empty
        time.sleep(2)


def expected_rules(rules_file):
    """Names of the recording and alerting rules of a Prometheus rules file."""
    groups = (load_yaml(rules_file) or {}).get("groups", [])
    return [rule.get("record") or rule.get("alert") for group in groups for rule in group.get("rules", [])]


def evaluate(args):
    results = Results()
    base = args.prometheus
    dashboards = [(p, load(p)) for p in args.dashboards]
    titles = {(Path(p).name, panel.get("title")) for p, d in dashboards for panel in all_panels(d)}
    for core in CORE_PANELS:
        results.check(core in titles, f"core panel {core[1]!r} not found in {core[0]}")

    still_empty = wait_for_core(base, dashboards, time.monotonic() + args.wait_seconds)

    # A real portal for the second pass: one whose polls succeed (a failing portal has no session data).
    body = api_get(base, "/api/v1/query", {"query": "max by (portal_id) (workspaces_web_portal_up) == 1"})
    portals = sorted(r["metric"]["portal_id"] for r in body.get("data", {}).get("result", []))
    passes = [("portal_id=All", {})]
    if portals:
        passes.append((f"portal_id={portals[0]}", {"portal_id": portals[0]}))
    else:
        results.fail("no portal with workspaces_web_portal_up == 1 in Prometheus")

    for label, overrides in passes:
        for name, title, ref, expr in panel_queries(dashboards, overrides):
            err, n = query(base, expr)
            where = f"[{label}] {name} / {title} / {ref}"
            if err:
                results.fail(f"{where}: query failed: {err}\n     expr: {expr}")
                continue
            results.ok()
            if (name, title) in CORE_PANELS:
                results.check(n > 0, f"{where}: core panel returned no series\n     expr: {expr}")
            if args.verbose:
                print(f"ok   {where}: {n} series", flush=True)
    if still_empty:
        print("core panels that stayed empty while waiting: "
              + ", ".join(f"{n}/{t}" for n, t in sorted(still_empty)), flush=True)

    # Rules: every rule of the file is loaded, none is unhealthy, and each expression evaluates.
    expected = expected_rules(args.rules_file)
    deadline = time.monotonic() + args.wait_seconds
    while True:
        body = api_get(base, "/api/v1/rules")
        rules = [r for g in body.get("data", {}).get("groups", []) for r in g.get("rules", [])]
        unevaluated = [r for r in rules if r.get("health") == "unknown"]
        if (rules and not unevaluated) or time.monotonic() > deadline:
            break
        time.sleep(1)
    loaded = {r.get("name") for r in rules}
    for name in expected:
        results.check(name in loaded, f"rule {name} of {args.rules_file} is not loaded by Prometheus")
    for r in rules:
        if r.get("health") == "err":
            results.fail(f"rule {r.get('name')}: health err: {r.get('lastError')}")
        elif r.get("health") == "unknown":
            results.fail(f"rule {r.get('name')}: never evaluated")
        else:
            results.ok()
        err, n = query(base, r.get("query", ""))
        if err:
            results.fail(f"rule {r.get('name')}: query failed: {err}\n     expr: {r.get('query')}")
        else:
            results.ok()
            if args.verbose:
                print(f"ok   rule {r.get('name')}: {n} series", flush=True)
    return results


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prometheus", required=True, help="base URL, e.g. http://127.0.0.1:9090")
    parser.add_argument("--rules-file", required=True)
    parser.add_argument("--wait-seconds", type=float, default=60)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("dashboards", nargs="+")
    return evaluate(parser.parse_args(argv)).finish("evaluate-queries")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
