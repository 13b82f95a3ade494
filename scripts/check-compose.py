#!/usr/bin/env python3
"""Checks deploy/docker-compose.yml against the files it mounts (run by scripts/check-rules.sh).

    check-compose.py deploy/docker-compose.yml

Mounted paths exist, Prometheus scrapes the exporter service and alerts the alertmanager service, Grafana's
datasource and dashboard provider point at the Prometheus service and at the mounted dashboards. Every file is
read with PyYAML. Prints one line per failure and a final count; exits 1 on any failure.
"""
import argparse
import re
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent / "lib"))
from obs import Results, load_yaml  # noqa: E402


def check_compose(args, results):
    compose_path = Path(args.compose).resolve()
    base = compose_path.parent
    compose = load_yaml(compose_path)
    services = compose.get("services", {})

    def check(condition, message):
        results.check(condition, f"{compose_path.name}: {message}")

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
        prom = load_yaml(prom_dir / "prometheus.yml")
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
            for ds in load_yaml(f).get("datasources", []):
                if ds.get("type") == "prometheus":
                    check(ds.get("url") == "http://prometheus:9090",
                          f"grafana datasource {ds.get('name')} points at {ds.get('url')}, not http://prometheus:9090")
                    check(ds.get("isDefault") is True, "the Prometheus datasource must be the default one, "
                                                       "the dashboards' ${datasource} variable starts on it")
        paths = [p.get("options", {}).get("path") for f in sorted((prov / "dashboards").glob("*.y*ml"))
                 for p in load_yaml(f).get("providers", [])]
        check(dashboards_target in paths, f"dashboard provider paths {paths} do not include the mounted "
                                          f"dashboards directory {dashboards_target}")
    home = services["grafana"].get("environment", {}).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")
    if home and dashboards_target:
        name = home[len(dashboards_target) + 1:] if home.startswith(dashboards_target + "/") else None
        check(name is not None and (mounts[("grafana", dashboards_target)] / name).exists(),
              f"home dashboard {home} is not one of the mounted dashboards")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("compose")
    results = Results()
    check_compose(parser.parse_args(argv), results)
    return results.finish("check-compose")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
