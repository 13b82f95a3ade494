#!/usr/bin/env python3
"""Static checks of the Grafana dashboards (run by scripts/check-rules.sh and scripts/e2e-prometheus.sh).

    check-dashboards.py DASHBOARD.json...

Schema version, a datasource variable, every panel on the ${datasource} datasource with a description and targets
with an expression, unique panel ids, template variables with defaults, portal_id from label_values used with =~.
Prints one line per failure and a final "N passed, M failed" count; exits 1 on any failure.
"""
import argparse
import re
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent / "lib"))
from obs import DATASOURCE_REF, Results, all_panels, load  # noqa: E402

MIN_SCHEMA_VERSION = 39


def validate_dashboard(path, results):
    name = Path(path).name
    d = load(path)

    def check(condition, message):
        results.check(condition, f"{name}: {message}")

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


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dashboards", nargs="+")
    args = parser.parse_args(argv)
    results = Results()
    for path in args.dashboards:
        validate_dashboard(path, results)
    return results.finish("check-dashboards")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
