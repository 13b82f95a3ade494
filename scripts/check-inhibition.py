#!/usr/bin/env python3
"""Checks the inhibition rules of deploy/alertmanager/alertmanager.yml on a running Alertmanager that loaded it
(run by scripts/check-rules.sh).

    check-inhibition.py --alertmanager URL [--wait-seconds 10]

Posts a set of alerts together and reads back which are inhibited: a failing portal poll mutes that portal's other
alerts only, an exporter down mutes the other alerts of that exporter only. Prints one line per failure and a final
count; exits 1 on any failure.
"""
import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent / "lib"))
from obs import Results, api_get  # noqa: E402

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


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--alertmanager", required=True, help="base URL, e.g. http://127.0.0.1:9093")
    parser.add_argument("--wait-seconds", type=float, default=10)
    return inhibition(parser.parse_args(argv)).finish("check-inhibition")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
