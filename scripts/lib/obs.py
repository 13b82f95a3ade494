"""Helpers shared by the observability checks (scripts/check-*.py, scripts/evaluate-queries.py) and by
scripts/render-dashboards.py: the pass/fail tally, dashboard and YAML loading, Grafana's template variable
substitution and Prometheus' HTTP API. Imported, not run.
"""
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import yaml  # PyYAML (Debian: python3-yaml), installed by .ci/run

DATASOURCE_REF = "${datasource}"

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
    """Counts passed and failed checks; prints one line per failure."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def ok(self):
        self.passed += 1

    def fail(self, message):
        self.failed += 1
        print(f"FAIL {message}", flush=True)

    def check(self, condition, message):
        if condition:
            self.ok()
        else:
            self.fail(message)

    def finish(self, name):
        """Prints the final count and returns the exit status."""
        print(f"{name}: {self.passed} passed, {self.failed} failed", flush=True)
        return 1 if self.failed else 0


def load(path):
    """A dashboard (JSON)."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def find_values(node, key):
    """Every value of `key` anywhere in a parsed YAML or JSON document, in document order."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key:
                yield v
            yield from find_values(v, key)
    elif isinstance(node, list):
        for item in node:
            yield from find_values(item, key)


def all_panels(dashboard):
    """Panels in order, including those nested in collapsed rows."""
    for panel in dashboard.get("panels", []):
        yield panel
        yield from panel.get("panels", [])


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
    """GET a JSON API (Prometheus, Alertmanager); an error becomes {"status": "error", "error": ...}."""
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
    """(error or None, number of series) of an instant query."""
    body = api_get(base, "/api/v1/query", {"query": expr})
    if body.get("status") != "success":
        return f"{body.get('errorType', 'error')}: {body.get('error')}", 0
    result = body.get("data", {}).get("result", [])
    return None, len(result) if isinstance(result, list) else 1

