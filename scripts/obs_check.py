#!/usr/bin/env python3
"""Checks of the observability files, used by scripts/check-rules.sh and scripts/e2e-prometheus.sh.

    obs_check.py validate-dashboards DASHBOARD.json...
        Static checks of Grafana dashboards: schema version, datasource variable, every panel with the
        ${datasource} datasource, a description and targets with an expression, unique panel ids, template
        variables with defaults, portal_id from label_values used with =~.

    obs_check.py evaluate --prometheus URL --rules-file FILE DASHBOARD.json...
        Evaluates every panel expression of the dashboards (template variables substituted, once with every
        variable at its default and once with portal_id set to a real portal) and every loaded rule through
        Prometheus' /api/v1/query; no query may fail, the CORE_PANELS must return series, and /api/v1/rules must
        hold every rule of FILE with no rule in health "err".

    obs_check.py inhibition --alertmanager URL
        Posts alerts to a running Alertmanager that loaded deploy/alertmanager/alertmanager.yml and checks the
        inhibition rules: a failing portal poll mutes that portal's other alerts only, an exporter down mutes
        the other alerts of that exporter only.

    obs_check.py check-compose deploy/docker-compose.yml
        Consistency of the compose file with the files it mounts: mounted paths exist, Prometheus scrapes the
        exporter service and alerts the alertmanager service, Grafana's datasource and dashboard provider point
        at the Prometheus service and at the mounted dashboards. Needs PyYAML (Debian: python3-yaml).

    obs_check.py check-runbooks --doc DOC.md [--doc DOC.md...] RULES.yml...
        Every runbook_url of the files (rules, rule tests) links to one of the DOCs by its path in the repository
        (.../blob/main/deploy/prometheus/RUNBOOK.md#runbook-...), and its anchor names a heading of that DOC
        (GitHub anchors).

Only the Python standard library is used (PyYAML for check-compose). Prints one line per failure and a final "N passed, M failed" count.
"""
import argparse
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

MIN_SCHEMA_VERSION = 39
DATASOURCE_REF = "${datasource}"

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
]

# Grafana's built-in variables, replaced by what Grafana would send for a short time range.
BUILTINS = {
    "__rate_interval": "1m",
    "__interval": "15s",
    "__interval_ms": "15000",
    "__range": "5m",
    "__range_s": "300",
    "__range_ms": "300000",
}


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def ok(self):
        self.passed += 1

    def fail(self, message):
        self.failed += 1
        print(f"FAIL {message}", flush=True)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def all_panels(dashboard):
    """Panels in order, including those nested in collapsed rows."""
    for panel in dashboard.get("panels", []):
        yield panel
        yield from panel.get("panels", [])


# --- static validation ------------------------------------------------------------------------------------

def validate_dashboard(path, results):
    name = Path(path).name
    d = load(path)

    def check(condition, message):
        if condition:
            results.ok()
        else:
            results.fail(f"{name}: {message}")

    check(d.get("schemaVersion", 0) >= MIN_SCHEMA_VERSION,
          f"schemaVersion {d.get('schemaVersion')} < {MIN_SCHEMA_VERSION}")
    check(bool(d.get("uid")) and bool(d.get("title")), "dashboard needs a uid and a title")

    variables = {v.get("name"): v for v in d.get("templating", {}).get("list", [])}
    ds_var = variables.get("datasource")
    check(ds_var is not None and ds_var.get("type") == "datasource" and ds_var.get("query") == "prometheus",
          "needs a 'datasource' variable of type datasource for prometheus")
    for var_name, var in variables.items():
        if var.get("type") == "datasource":
            check(not var.get("current", {}).get("value"),
                  f"datasource variable '{var_name}' must not default to a hard-coded datasource")
            continue
        if var.get("type") in ("query",):
            check(var.get("datasource", {}).get("uid") == DATASOURCE_REF,
                  f"variable '{var_name}' must query the ${{datasource}} datasource")
        current = var.get("current") or {}
        check(current.get("value") not in (None, "", []),
              f"variable '{var_name}' needs a default (current) value so panels render on first load")

    portal = variables.get("portal_id")
    check(portal is not None, "needs a portal_id variable")
    if portal:
        check("label_values(" in str(portal.get("query")) and portal.get("includeAll") is True,
              "portal_id must come from label_values(...) and include All")

    ids = set()
    for panel in all_panels(d):
        title = panel.get("title", "<untitled>")
        if panel.get("type") == "row":
            continue
        pid = panel.get("id")
        check(pid is not None and pid not in ids, f"panel '{title}': id {pid} missing or duplicated")
        ids.add(pid)
        check((panel.get("datasource") or {}).get("uid") == DATASOURCE_REF,
              f"panel '{title}': datasource must be {DATASOURCE_REF}")
        check(bool((panel.get("description") or "").strip()), f"panel '{title}': needs a description")
        targets = panel.get("targets") or []
        check(len(targets) > 0, f"panel '{title}': has no targets")
        for t in targets:
            check(bool((t.get("expr") or "").strip()), f"panel '{title}' target {t.get('refId')}: no expr")
            check((t.get("datasource") or {}).get("uid") in (None, DATASOURCE_REF),
                  f"panel '{title}' target {t.get('refId')}: datasource must be {DATASOURCE_REF}")
            expr = t.get("expr") or ""
            if "$portal_id" in expr or "${portal_id}" in expr:
                check(re.search(r'portal_id=~"\$\{?portal_id\}?"', expr) is not None,
                      f"panel '{title}': $portal_id must be used with =~ (multi-value, All)")
        gp = panel.get("gridPos") or {}
        check(all(k in gp for k in ("x", "y", "w", "h")), f"panel '{title}': gridPos incomplete")


# --- evaluation against Prometheus ------------------------------------------------------------------------

def variable_values(dashboard, overrides):
    """The value each template variable takes on first load (All -> its allValue), with overrides applied."""
    values = dict(BUILTINS)
    for var in dashboard.get("templating", {}).get("list", []):
        name = var.get("name")
        if var.get("type") == "datasource":
            continue
        current = (var.get("current") or {}).get("value")
        if isinstance(current, list):
            current = current[0] if current else ""
        if current == "$__all":
            current = var.get("allValue") or ".*"
        values[name] = "" if current is None else str(current)
    values.update(overrides)
    return values


def substitute(expr, values):
    # longest names first so $portal_id is not taken for $portal
    for name in sorted(values, key=len, reverse=True):
        value = values[name]
        expr = re.sub(r"\$\{" + re.escape(name) + r"(?::[a-z]+)?\}", lambda _m: value, expr)
        expr = re.sub(r"\[\[" + re.escape(name) + r"\]\]", lambda _m: value, expr)
        expr = re.sub(r"\$" + re.escape(name) + r"(?![A-Za-z0-9_])", lambda _m: value, expr)
    return expr


def api_get(base, path, params=None, timeout=10):
    url = base.rstrip("/") + path
    if params:
        url += "?" + urllib.parse.urlencode(params)
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return json.load(resp)
    except urllib.error.HTTPError as e:
        # Prometheus answers 400/422 with a JSON error body
        try:
            return json.load(e)
        except ValueError:
            return {"status": "error", "error": f"HTTP {e.code}"}
    except (urllib.error.URLError, OSError, ValueError) as e:
        return {"status": "error", "error": str(e)}


def query(base, expr):
    """(error or None, number of series)"""
    body = api_get(base, "/api/v1/query", {"query": expr})
    if body.get("status") != "success":
        return f"{body.get('errorType', 'error')}: {body.get('error')}", 0
    result = body.get("data", {}).get("result", [])
    return None, len(result) if isinstance(result, list) else 1


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
    """Names of the rules in the file, read without a YAML library: '- record: x' and '- alert: x' lines."""
    names = []
    for line in Path(rules_file).read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*-\s*(record|alert):\s*(\S+)\s*$", line)
        if m:
            names.append(m.group(2))
    return names


def evaluate(args):
    results = Results()
    base = args.prometheus
    dashboards = [(p, load(p)) for p in args.dashboards]
    titles = {(Path(p).name, panel.get("title")) for p, d in dashboards for panel in all_panels(d)}
    for core in CORE_PANELS:
        if core in titles:
            results.ok()
        else:
            results.fail(f"core panel {core[1]!r} not found in {core[0]}")

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
                if n > 0:
                    results.ok()
                else:
                    results.fail(f"{where}: core panel returned no series\n     expr: {expr}")
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
        if name in loaded:
            results.ok()
        else:
            results.fail(f"rule {name} of {args.rules_file} is not loaded by Prometheus")
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


# --- Alertmanager inhibition ------------------------------------------------------------------------------

# (labels, inhibited?) posted together; the sources are the first two.
INHIBITION_CASES = [
    ({"alertname": "WorkspacesWebPortalPollFailing", "severity": "critical", "portal_id": "p-down",
      "job": "workspaces-web-exporter", "instance": "exporter-a:9742"}, False),
    ({"alertname": "WorkspacesWebExporterDown", "severity": "critical",
      "job": "workspaces-web-exporter", "instance": "exporter-b:9742"}, False),
    ({"alertname": "WorkspacesWebPortalDataStale", "severity": "warning", "portal_id": "p-down",
      "job": "workspaces-web-exporter", "instance": "exporter-a:9742"}, True),
    ({"alertname": "WorkspacesWebPortalNearCapacity", "severity": "warning", "portal_id": "p-down"}, True),
    ({"alertname": "WorkspacesWebUserManySessions", "severity": "warning", "portal_id": "p-down",
      "username": "alice"}, True),
    ({"alertname": "WorkspacesWebPortalNearCapacity", "severity": "warning", "portal_id": "p-up"}, False),
    ({"alertname": "WorkspacesWebAwsApiThrottling", "severity": "warning", "operation": "ListSessions",
      "job": "workspaces-web-exporter", "instance": "exporter-a:9742"}, False),
    ({"alertname": "WorkspacesWebAwsApiErrors", "severity": "warning", "operation": "ListSessions",
      "error": "AccessDeniedException", "job": "workspaces-web-exporter", "instance": "exporter-b:9742"}, True),
]


def inhibition(args):
    results = Results()
    base = args.alertmanager.rstrip("/")
    payload = json.dumps([{"labels": labels} for labels, _ in INHIBITION_CASES]).encode()
    request = urllib.request.Request(base + "/api/v2/alerts", data=payload, method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        urllib.request.urlopen(request, timeout=10).close()
    except (urllib.error.URLError, OSError) as e:
        results.fail(f"posting alerts to {base}: {e}")
        return results

    def key(labels):
        return tuple(sorted(labels.items()))

    expected = {key(labels): inhibited for labels, inhibited in INHIBITION_CASES}
    deadline = time.monotonic() + args.wait_seconds
    while True:
        body = api_get(base, "/api/v2/alerts")
        alerts = body if isinstance(body, list) else []
        got = {key(a["labels"]): bool(a.get("status", {}).get("inhibitedBy")) for a in alerts}
        # the inhibition state is computed when the alerts are listed; retry briefly in case the posted
        # alerts are not all visible yet
        if all(got.get(k) == v for k, v in expected.items()) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    for labels, inhibited in INHIBITION_CASES:
        k = key(labels)
        name = f"{labels['alertname']} {dict((n, v) for n, v in labels.items() if n not in ('alertname', 'severity'))}"
        if k not in got:
            results.fail(f"alert {name} not found in Alertmanager")
        elif got[k] != inhibited:
            results.fail(f"alert {name}: expected {'inhibited' if inhibited else 'not inhibited'}, "
                         f"got {'inhibited' if got[k] else 'not inhibited'}")
        else:
            results.ok()
    return results


# --- docker compose consistency ----------------------------------------------------------------------------

def check_compose(args, results):
    import yaml  # only this command needs it

    compose_path = Path(args.compose).resolve()
    base = compose_path.parent
    compose = yaml.safe_load(compose_path.read_text(encoding="utf-8"))
    services = compose.get("services", {})

    def check(condition, message):
        if condition:
            results.ok()
        else:
            results.fail(f"{compose_path.name}: {message}")

    for name in ("exporter", "prometheus", "alertmanager", "grafana"):
        check(name in services, f"service {name} missing")
    if any(name not in services for name in ("exporter", "prometheus", "alertmanager", "grafana")):
        return

    mounts = {}  # (service, container path) -> host path
    for sname, service in services.items():
        for volume in service.get("volumes", []):
            m = re.match(r"^(\$\{[^}]*\}|[^:]+):([^:]+)(?::[a-z,]+)?$", volume)
            if not m or not m.group(1).startswith((".", "/", "$")):
                continue  # named volume
            host, container = m.group(1), m.group(2)
            # ${VAR:-default}: the default
            host = re.sub(r"^\$\{[A-Za-z_]+:-(.*)\}$", r"\1", host)
            mounts[(sname, container)] = base / host
            if sname == "exporter" and container.endswith("config.yaml"):
                continue  # the operator's own config file, possibly not in the repository
            check((base / host).exists(), f"{sname}: mounted path {host} does not exist")

    exporter_ports = [str(p).split(":")[-1] for p in services["exporter"].get("ports", [])]
    check("9742" in exporter_ports, "exporter does not publish port 9742")
    check(any(k == ("exporter", "/etc/workspaces-web-exporter/config.yaml") for k in mounts),
          "exporter config is not mounted at /etc/workspaces-web-exporter/config.yaml")

    prom_dir = mounts.get(("prometheus", "/etc/prometheus"))
    check(prom_dir is not None, "prometheus: ./prometheus is not mounted at /etc/prometheus")
    if prom_dir is not None:
        prom = yaml.safe_load((prom_dir / "prometheus.yml").read_text(encoding="utf-8"))
        targets = [t for sc in prom.get("scrape_configs", []) if sc.get("job_name") == "workspaces-web-exporter"
                   for st in sc.get("static_configs", []) for t in st.get("targets", [])]
        check("exporter:9742" in targets, f"prometheus.yml job workspaces-web-exporter targets {targets}, "
                                          "not the exporter service (exporter:9742)")
        am_targets = [t for am in prom.get("alerting", {}).get("alertmanagers", [])
                      for st in am.get("static_configs", []) for t in st.get("targets", [])]
        check("alertmanager:9093" in am_targets, f"prometheus.yml alerts {am_targets}, not alertmanager:9093")
        for rule_file in prom.get("rule_files", []):
            check((prom_dir / rule_file).exists(), f"prometheus.yml rule file {rule_file} not under the mount")
        interval = prom.get("global", {}).get("scrape_interval", "1m")
        check(interval.endswith("s") and int(interval[:-1]) <= 30,
              f"global scrape_interval {interval} is longer than the default 30s poll interval")

    prov = mounts.get(("grafana", "/etc/grafana/provisioning"))
    dashboards_target = next((c for (s, c), h in mounts.items() if s == "grafana" and h.name == "dashboards"), None)
    check(prov is not None, "grafana: provisioning is not mounted at /etc/grafana/provisioning")
    check(dashboards_target is not None, "grafana: ../dashboards is not mounted")
    if prov is not None:
        for f in sorted((prov / "datasources").glob("*.y*ml")):
            for ds in yaml.safe_load(f.read_text(encoding="utf-8")).get("datasources", []):
                if ds.get("type") == "prometheus":
                    check(ds.get("url") == "http://prometheus:9090",
                          f"grafana datasource {ds.get('name')} points at {ds.get('url')}, not http://prometheus:9090")
                    check(ds.get("isDefault") is True, "the Prometheus datasource must be the default one, "
                                                       "the dashboards' ${datasource} variable starts on it")
        paths = [p.get("options", {}).get("path") for f in sorted((prov / "dashboards").glob("*.y*ml"))
                 for p in yaml.safe_load(f.read_text(encoding="utf-8")).get("providers", [])]
        check(dashboards_target in paths, f"dashboard provider paths {paths} do not include the mounted "
                                          f"dashboards directory {dashboards_target}")
    home = services["grafana"].get("environment", {}).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")
    if home and dashboards_target:
        name = home[len(dashboards_target) + 1:] if home.startswith(dashboards_target + "/") else None
        check(name is not None and (mounts[("grafana", dashboards_target)] / name).exists(),
              f"home dashboard {home} is not one of the mounted dashboards")


# --- runbook anchors --------------------------------------------------------------------------------------

def github_slug(heading):
    """The anchor GitHub gives a Markdown heading."""
    slug = heading.strip().lower()
    slug = re.sub(r"[^\w\- ]", "", slug)
    return slug.replace(" ", "-")


def check_runbooks(args, results):
    # doc path as given (relative to the repository root, as in the URL) -> its anchors
    anchors = {}
    for doc in args.doc:
        slugs = set()
        for line in Path(doc).read_text(encoding="utf-8").splitlines():
            m = re.match(r"^#{1,6}\s+(.*)$", line)
            if m:
                slugs.add(github_slug(m.group(1)))
        anchors[Path(doc).as_posix()] = slugs
    for rules in args.files:
        urls = re.findall(r"runbook_url:\s*\"?([^\s\"]+)", Path(rules).read_text(encoding="utf-8"))
        if not urls:
            results.fail(f"no runbook_url in {rules}")
        for url in sorted(set(urls)):
            location, _, anchor = url.partition("#")
            # the URL names the file in the repository: it must be one of the docs checked, so that the anchor
            # is looked up in the file the link opens
            doc = next((d for d in anchors if location.endswith("/" + d)), None)
            if doc is None:
                results.fail(f"{rules}: runbook_url {url} does not link to {' or '.join(anchors)}")
            elif not anchor.startswith("runbook-"):
                results.fail(f"{rules}: runbook_url {url} has no #runbook- anchor")
            elif anchor not in anchors[doc]:
                results.fail(f"{rules}: runbook anchor #{anchor} has no heading in {doc}")
            else:
                results.ok()


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate-dashboards")
    v.add_argument("dashboards", nargs="+")
    e = sub.add_parser("evaluate")
    e.add_argument("--prometheus", required=True, help="base URL, e.g. http://127.0.0.1:9090")
    e.add_argument("--rules-file", required=True)
    e.add_argument("--wait-seconds", type=float, default=60)
    e.add_argument("--verbose", action="store_true")
    e.add_argument("dashboards", nargs="+")
    c = sub.add_parser("check-compose")
    c.add_argument("compose")
    r = sub.add_parser("check-runbooks")
    r.add_argument("--doc", action="append", required=True,
                   help="runbook document, by its path in the repository (repeatable)")
    r.add_argument("files", nargs="+", help="rules or rule test files with runbook_url annotations")
    i = sub.add_parser("inhibition")
    i.add_argument("--alertmanager", required=True, help="base URL, e.g. http://127.0.0.1:9093")
    i.add_argument("--wait-seconds", type=float, default=10)
    args = parser.parse_args(argv)

    if args.command == "validate-dashboards":
        results = Results()
        for path in args.dashboards:
            validate_dashboard(path, results)
    elif args.command == "check-compose":
        results = Results()
        check_compose(args, results)
    elif args.command == "check-runbooks":
        results = Results()
        check_runbooks(args, results)
    elif args.command == "inhibition":
        results = inhibition(args)
    else:
        results = evaluate(args)
    print(f"{args.command}: {results.passed} passed, {results.failed} failed", flush=True)
    return 1 if results.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
