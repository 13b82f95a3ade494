#!/usr/bin/env python3
"""Generates the Grafana dashboards in dashboards/ (the committed JSON is what Grafana imports).

Writing the panels here keeps the three dashboards consistent (datasource variable, template variables, units,
descriptions) and reviewable as PromQL rather than as 3000 lines of JSON. Usage:

    python3 scripts/gen-dashboards.py          # rewrite dashboards/*.json
    python3 scripts/gen-dashboards.py --check  # exit 1 if a committed dashboard differs from the generated one

Only the Python standard library is used.
"""
import json
import sys
from pathlib import Path

DASHBOARDS_DIR = Path(__file__).resolve().parent.parent / "dashboards"
SCHEMA_VERSION = 39
DS = {"type": "prometheus", "uid": "${datasource}"}
TAG = "workspaces-web"

# Common selectors: every query filters by the selected portals.
P = 'portal_id=~"$portal_id"'
EXPORTER = 'job="$job", instance=~"$instance"'

GREEN, YELLOW, ORANGE, RED, BLUE = "green", "yellow", "orange", "red", "blue"

# Legends and tables name a portal by its display name: the recording rule portal:workspaces_web_portal_info:name
# (from workspaces_web_portal_info) has one series per portal with portal_name = the display name, or the id while
# the name is unknown.
PORTAL_NAMES = "portal:workspaces_web_portal_info:name"


def named(expr):
    """expr (which keeps the portal_id label) with the portal's portal_name label joined in."""
    return f"({expr}) * on (portal_id) group_left (portal_name) {PORTAL_NAMES}"


def thresholds(*steps):
    """steps: (value or None, colour); the first step has value None (the base)."""
    return {"mode": "absolute", "steps": [{"color": c, "value": v} for v, c in steps]}


def target(expr, legend="__auto", ref="A", instant=False, fmt=None):
    if "{{portal_id}}" in legend:
        expr, legend = named(expr), legend.replace("{{portal_id}}", "{{portal_name}}")
    t = {
        "datasource": DS,
        "editorMode": "code",
        "expr": expr,
        "legendFormat": legend,
        "range": not instant,
        "instant": instant,
        "refId": ref,
    }
    if fmt:
        t["format"] = fmt
    return t


def targets(*specs, instant=False, fmt=None, by_portal_name=False):
    """specs: (expr, legend) pairs; refIds A, B, C...; by_portal_name: join portal_name into each (tables whose rows
    are per portal: show portal_name, hide portal_id)."""
    return [target(named(e) if by_portal_name else e, l, chr(ord("A") + i), instant, fmt)
            for i, (e, l) in enumerate(specs)]


class Layout:
    """Places panels left to right on Grafana's 24-column grid and hands out unique panel ids."""

    def __init__(self):
        self.x = 0
        self.y = 0
        self.row_h = 0
        self.next_id = 1

    def place(self, w, h):
        if self.x + w > 24:
            self.x = 0
            self.y += self.row_h
            self.row_h = 0
        pos = {"h": h, "w": w, "x": self.x, "y": self.y}
        self.x += w
        self.row_h = max(self.row_h, h)
        return pos

    def new_id(self):
        i = self.next_id
        self.next_id += 1
        return i


def base_panel(layout, kind, title, description, tgts, w, h, unit="short", thr=None, decimals=None, minv=None,
               maxv=None, mappings=None, custom=None, options=None, overrides=None):
    defaults = {
        "unit": unit,
        "color": {"mode": "thresholds" if kind in ("stat", "gauge", "bargauge") else "palette-classic"},
        "thresholds": thr or thresholds((None, GREEN)),
        "mappings": mappings or [],
    }
    if decimals is not None:
        defaults["decimals"] = decimals
    if minv is not None:
        defaults["min"] = minv
    if maxv is not None:
        defaults["max"] = maxv
    if custom is not None:
        defaults["custom"] = custom
    return {
        "id": layout.new_id(),
        "type": kind,
        "title": title,
        "description": description,
        "datasource": DS,
        "gridPos": layout.place(w, h),
        "fieldConfig": {"defaults": defaults, "overrides": overrides or []},
        "options": options or {},
        "targets": tgts,
    }


def timeseries(layout, title, description, tgts, w=12, h=8, unit="short", thr=None, minv=0, maxv=None,
               threshold_lines=False, overrides=None, stack=False, decimals=None):
    custom = {
        "drawStyle": "line",
        "lineWidth": 1,
        "fillOpacity": 10,
        "gradientMode": "none",
        "showPoints": "never",
        "spanNulls": False,
        "axisPlacement": "auto",
        "axisSoftMin": 0,
        "stacking": {"mode": "normal" if stack else "none", "group": "A"},
        "thresholdsStyle": {"mode": "line+area" if threshold_lines else "off"},
    }
    options = {
        "legend": {"displayMode": "table", "placement": "bottom", "showLegend": True, "calcs": ["lastNotNull", "max"]},
        "tooltip": {"mode": "multi", "sort": "desc"},
    }
    return base_panel(layout, "timeseries", title, description, tgts, w, h, unit, thr, decimals, minv, maxv,
                      custom=custom, options=options, overrides=overrides)


def stat(layout, title, description, tgts, w=4, h=4, unit="short", thr=None, decimals=None, mappings=None,
         graph=True, text_mode="auto"):
    options = {
        "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
        "colorMode": "value",
        "graphMode": "area" if graph else "none",
        "justifyMode": "auto",
        "orientation": "auto",
        "textMode": text_mode,
    }
    return base_panel(layout, "stat", title, description, tgts, w, h, unit, thr, decimals, mappings=mappings,
                      options=options)


def gauge(layout, title, description, tgts, w=4, h=4, unit="percentunit", thr=None, minv=0, maxv=1):
    options = {
        "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
        "showThresholdLabels": False,
        "showThresholdMarkers": True,
    }
    return base_panel(layout, "gauge", title, description, tgts, w, h, unit, thr, minv=minv, maxv=maxv,
                      options=options)


def bargauge(layout, title, description, tgts, w=12, h=10, unit="short", thr=None):
    options = {
        "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
        "orientation": "horizontal",
        "displayMode": "gradient",
        "showUnfilled": True,
        "valueMode": "color",
        "namePlacement": "left",
        "sizing": "auto",
        "minVizHeight": 16,
        "minVizWidth": 8,
        "maxVizHeight": 300,
    }
    return base_panel(layout, "bargauge", title, description, tgts, w, h, unit, thr, minv=0, options=options)


def table(layout, title, description, tgts, w=24, h=8, hide=("Time",), rename=None, unit="short", merge=False,
          sort_by=None, thr=None, overrides=None):
    """merge: join the rows of several instant queries on their labels (one value column per query);
    sort_by: (column display name, descending) for the initial sort."""
    options = {"showHeader": True, "cellHeight": "sm", "footer": {"show": False}}
    if sort_by:
        options["sortBy"] = [{"displayName": sort_by[0], "desc": sort_by[1]}]
    panel = base_panel(layout, "table", title, description, tgts, w, h, unit, thr=thr, options=options,
                       overrides=overrides)
    transformations = [{"id": "merge", "options": {}}] if merge else []
    transformations.append(
        {
            "id": "organize",
            "options": {
                "excludeByName": {name: True for name in hide},
                "renameByName": rename or {},
            },
        }
    )
    panel["transformations"] = transformations
    return panel


def heatmap(layout, title, description, tgts, w=12, h=8, unit="s"):
    options = {
        "calculate": False,
        "cellGap": 1,
        "color": {"mode": "scheme", "scheme": "Oranges", "scale": "exponential", "exponent": 0.5, "steps": 64,
                  "fill": "dark-orange", "reverse": False},
        "exemplars": {"color": "rgba(255,0,255,0.7)"},
        "filterValues": {"le": 1e-9},
        "legend": {"show": True},
        "rowsFrame": {"layout": "le"},
        "tooltip": {"mode": "single", "yHistogram": True, "showColorScale": False},
        "yAxis": {"axisPlacement": "left", "unit": unit, "reverse": False},
        "cellValues": {"unit": "short"},
    }
    # the field values are session counts; the bucket bounds (y axis) carry the duration unit
    panel = base_panel(layout, "heatmap", title, description, tgts, w, h, "short", options=options,
                       custom={"hideFrom": {"legend": False, "tooltip": False, "viz": False},
                               "scaleDistribution": {"type": "linear"}})
    panel["fieldConfig"]["defaults"].pop("thresholds")
    return panel


def dashed_override(regex):
    """Draws the series whose display name matches regex as a dashed line without fill (limits, capacity)."""
    return {
        "matcher": {"id": "byRegexp", "options": regex},
        "properties": [
            {"id": "custom.lineStyle", "value": {"fill": "dash", "dash": [10, 10]}},
            {"id": "custom.fillOpacity", "value": 0},
            {"id": "custom.lineWidth", "value": 2},
        ],
    }


UP_DOWN_MAPPINGS = [
    {"type": "value", "options": {"0": {"text": "DOWN", "color": RED, "index": 0},
                                  "1": {"text": "UP", "color": GREEN, "index": 1}}}
]

RELOAD_MAPPINGS = [
    {"type": "value", "options": {"0": {"text": "FAILED", "color": RED, "index": 0},
                                  "1": {"text": "OK", "color": GREEN, "index": 1}}}
]


# --- template variables ------------------------------------------------------------------------------------

def datasource_var():
    return {
        "type": "datasource",
        "name": "datasource",
        "label": "Data source",
        "query": "prometheus",
        "current": {},
        "hide": 0,
        "includeAll": False,
        "multi": False,
        "options": [],
        "refresh": 1,
        "regex": "",
        "skipUrlSync": False,
    }


def query_var(name, label, query, include_all=True, multi=True, default_all=True, default=None, regex="",
              description=""):
    if default_all:
        current = {"selected": True, "text": ["All"], "value": ["$__all"]}
    else:
        current = {"selected": True, "text": default, "value": default}
    return {
        "type": "query",
        "name": name,
        "label": label,
        "description": description,
        "datasource": DS,
        "definition": query,
        "query": query,
        "current": current,
        "hide": 0,
        "includeAll": include_all,
        "allValue": ".*" if include_all else None,
        "multi": multi,
        "options": [],
        "refresh": 2,
        "regex": regex,
        "skipUrlSync": False,
        "sort": 1,
    }


def custom_var(name, label, values, default, description=""):
    return {
        "type": "custom",
        "name": name,
        "label": label,
        "description": description,
        "query": ",".join(values),
        "current": {"selected": True, "text": default, "value": default},
        "options": [{"selected": v == default, "text": v, "value": v} for v in values],
        "hide": 0,
        "includeAll": False,
        "multi": False,
        "skipUrlSync": False,
    }


PORTAL_VAR = query_var(
    "portal_id", "Portal", "label_values(workspaces_web_portal_info, portal_id)",
    description="WorkSpaces Secure Browser portals reported by workspaces_web_portal_info.")
TOP_VAR = custom_var("top", "Top N", ["5", "10", "20", "50"], "10",
                     description="How many users or client IPs the top lists show.")


def dashboard(uid, title, description, panels, variables, refresh="30s", time_from="now-6h"):
    return {
        "__inputs": [],
        "__requires": [
            {"type": "grafana", "id": "grafana", "name": "Grafana", "version": "10.4.0"},
            {"type": "datasource", "id": "prometheus", "name": "Prometheus", "version": "1.0.0"},
        ],
        "annotations": {
            "list": [
                {
                    "builtIn": 1,
                    "datasource": {"type": "grafana", "uid": "-- Grafana --"},
                    "enable": True,
                    "hide": True,
                    "iconColor": "rgba(0, 211, 255, 1)",
                    "name": "Annotations & Alerts",
                    "type": "dashboard",
                }
            ]
        },
        "description": description + " Generated by scripts/gen-dashboards.py.",
        "editable": True,
        "fiscalYearStartMonth": 0,
        "graphTooltip": 1,
        "id": None,
        "links": [
            {"type": "dashboards", "tags": [TAG], "asDropdown": True, "title": "WorkSpaces Web", "icon": "external link",
             "includeVars": True, "keepTime": True, "targetBlank": False, "tooltip": "", "url": ""}
        ],
        "panels": panels,
        "refresh": refresh,
        "schemaVersion": SCHEMA_VERSION,
        "tags": [TAG, "aws", "prometheus"],
        "templating": {"list": variables},
        "time": {"from": time_from, "to": "now"},
        "timepicker": {},
        "timezone": "browser",
        "title": title,
        "uid": uid,
        "version": 1,
        "weekStart": "",
    }


# --- dashboards ---------------------------------------------------------------------------------------------

def overview():
    L = Layout()
    capacity_thr = thresholds((None, GREEN), (0.75, YELLOW), (0.9, RED))
    age_thr = thresholds((None, GREEN), (8 * 3600, YELLOW), (12 * 3600, RED))
    panels = [
        stat(L, "Active sessions",
             "Active sessions of the selected portals, summed (max by portal, so HA exporter pairs are not double "
             "counted). Source: workspaces_web_active_sessions via portal:workspaces_web_active_sessions:max.",
             targets((f'sum(portal:workspaces_web_active_sessions:max{{{P}}})', "active sessions"))),
        stat(L, "Active users",
             "Distinct usernames with an active session, summed over the selected portals: a user active on two "
             "portals counts twice. Source: workspaces_web_active_users.",
             targets((f'sum(portal:workspaces_web_active_users:max{{{P}}})', "active users"))),
        stat(L, "Distinct client IPs",
             "Distinct client IP addresses of the active sessions, summed over the selected portals. "
             "Source: workspaces_web_active_client_ips.",
             targets((f'sum(portal:workspaces_web_active_client_ips:max{{{P}}})', "client IPs"))),
        stat(L, "Session starts per minute",
             "Sessions started per minute over the last 5 minutes, all selected portals. "
             "Source: workspaces_web_sessions_started_total via portal:workspaces_web_sessions_started:rate5m.",
             targets((f'sum(portal:workspaces_web_sessions_started:rate5m{{{P}}}) * 60', "starts/min")),
             decimals=1),
        gauge(L, "Capacity used (busiest portal)",
              "Highest share of a portal's maximum concurrent sessions in use among the selected portals. Yellow "
              "from 75%, red from 90% (the WorkspacesWebPortalNearCapacity alert threshold). Portals without a "
              "known maximum are left out.",
              targets((f'max(portal:workspaces_web_capacity_used:ratio{{{P}}})', "capacity used")),
              thr=capacity_thr),
        stat(L, "Oldest active session",
             "Age of the oldest active session among the selected portals. Red from 12h (the "
             "WorkspacesWebLongRunningSession alert threshold). Source: workspaces_web_oldest_active_session_age_seconds.",
             targets((f'max(workspaces_web_oldest_active_session_age_seconds{{{P}}})', "oldest session")),
             unit="s", thr=age_thr, graph=False),

        timeseries(L, "Active sessions and capacity per portal",
                   "Active sessions of each portal (solid) against its maximum concurrent sessions (dashed). "
                   "Source: workspaces_web_active_sessions, workspaces_web_portal_max_concurrent_sessions.",
                   targets((f'portal:workspaces_web_active_sessions:max{{{P}}}', "{{portal_id}} active"),
                           (f'max by (portal_id) (workspaces_web_portal_max_concurrent_sessions{{{P}}})',
                            "{{portal_id}} max concurrent")),
                   overrides=[dashed_override(".* max concurrent$")]),
        timeseries(L, "Capacity used per portal",
                   "Share of each portal's maximum concurrent sessions in use. The shaded bands mark 75% and 90% "
                   "(alert threshold). Source: portal:workspaces_web_capacity_used:ratio.",
                   targets((f'portal:workspaces_web_capacity_used:ratio{{{P}}}', "{{portal_id}}")),
                   unit="percentunit", thr=capacity_thr, threshold_lines=True, maxv=1),

        timeseries(L, "Active users per portal",
                   "Distinct usernames with at least one active session, per portal. Source: workspaces_web_active_users.",
                   targets((f'portal:workspaces_web_active_users:max{{{P}}}', "{{portal_id}}"))),
        timeseries(L, "Distinct client IPs per portal",
                   "Distinct client IP addresses of the active sessions, per portal. With labels.client_ip: prefix, "
                   "addresses in the same prefix count once. Source: workspaces_web_active_client_ips.",
                   targets((f'portal:workspaces_web_active_client_ips:max{{{P}}}', "{{portal_id}}"))),

        timeseries(L, "Session starts and ends per minute",
                   "Sessions started and ended per minute (5 minute rate), per portal. More starts than ends means "
                   "the number of active sessions grows. Source: workspaces_web_sessions_started_total, "
                   "workspaces_web_sessions_ended_total.",
                   targets((f'portal:workspaces_web_sessions_started:rate5m{{{P}}} * 60', "{{portal_id}} started"),
                           (f'portal:workspaces_web_sessions_ended:rate5m{{{P}}} * 60', "{{portal_id}} ended")),
                   unit="short", decimals=1, overrides=[dashed_override(".* ended$")]),
        timeseries(L, "Session duration percentiles",
                   "Median, 90th and 99th percentile and mean duration of the sessions that ended in the last hour, "
                   "per portal, estimated from the histogram buckets (linear interpolation inside a bucket, so a "
                   "percentile is only as precise as the bucket bounds 30s, 1m, 5m, 15m, 30m, 1h, 2h, 4h, 8h, 12h, 24h). "
                   "Empty when no session ended in the last hour.",
                   targets((f'histogram_quantile(0.5, portal:workspaces_web_session_duration_seconds_bucket:rate1h{{{P}}})',
                            "{{portal_id}} p50"),
                           (f'histogram_quantile(0.9, portal:workspaces_web_session_duration_seconds_bucket:rate1h{{{P}}})',
                            "{{portal_id}} p90"),
                           (f'histogram_quantile(0.99, portal:workspaces_web_session_duration_seconds_bucket:rate1h{{{P}}})',
                            "{{portal_id}} p99"),
                           (f'portal:workspaces_web_session_duration_seconds:mean1h{{{P}}}', "{{portal_id}} mean")),
                   unit="s"),

        heatmap(L, "Session duration heatmap",
                "How many sessions ended in each duration bucket per time interval, all selected portals. "
                "Source: workspaces_web_session_duration_seconds_bucket.",
                targets((f'sum by (le) (increase(workspaces_web_session_duration_seconds_bucket{{{P}}}[$__rate_interval]))',
                         "{{le}}"), fmt="heatmap")),
        timeseries(L, "Oldest active session per portal",
                   "Age of the oldest active session of each portal. The red band starts at 12h, the "
                   "WorkspacesWebLongRunningSession alert threshold. Source: workspaces_web_oldest_active_session_age_seconds.",
                   targets((f'max by (portal_id) (workspaces_web_oldest_active_session_age_seconds{{{P}}})', "{{portal_id}}")),
                   unit="s", thr=age_thr, threshold_lines=True),

        table(L, "Portals",
              "The portals the exporter polls, with their display name, status, instance type, AWS account and region. "
              "Source: workspaces_web_portal_info.",
              targets((f'max by (portal_id, display_name, portal_status, instance_type, account_id, region, portal_arn) '
                       f'(workspaces_web_portal_info{{{P}}})', ""), instant=True, fmt="table"),
              hide=("Time", "Value"),
              rename={"portal_id": "Portal ID", "display_name": "Name", "portal_status": "Status",
                      "instance_type": "Instance type", "account_id": "Account", "region": "Region",
                      "portal_arn": "ARN"}),
    ]
    return dashboard(
        "workspaces-web-overview", "WorkSpaces Secure Browser / Overview",
        "Sessions, users, client IPs, capacity and session durations of Amazon WorkSpaces Secure Browser portals.",
        panels, [datasource_var(), PORTAL_VAR])


def users_ips():
    L = Layout()
    U = 'username=~"$username", username!="__other__"'
    IP = 'client_ip!="__other__"'
    panels = [
        bargauge(L, "Top users by active sessions",
                 "The $top users with the most active sessions in the selected portals (only the selected "
                 "usernames). Users beyond limits.max_users_per_portal are folded into __other__ and not listed. "
                 "Orange from 4, red above 5 sessions (the WorkspacesWebUserManySessions alert threshold). "
                 "Source: workspaces_web_user_active_sessions.",
                 targets((f'topk($top, max by (portal_id, username) (workspaces_web_user_active_sessions{{{P}, {U}}}))',
                          "{{username}} ({{portal_id}})"), instant=True),
                 thr=thresholds((None, GREEN), (4, ORANGE), (6, RED))),
        bargauge(L, "Top client IPs by active sessions",
                 "The $top client IPs with the most active sessions in the selected portals. A session seen from "
                 "several IPs counts for each of them. Red above 20 sessions (the WorkspacesWebClientIpManySessions "
                 "alert threshold); many sessions from one IP are normal behind a corporate NAT or proxy. "
                 "Source: workspaces_web_client_ip_active_sessions.",
                 targets((f'topk($top, max by (portal_id, client_ip) (workspaces_web_client_ip_active_sessions{{{P}, {IP}}}))',
                          "{{client_ip}} ({{portal_id}})"), instant=True),
                 thr=thresholds((None, GREEN), (10, ORANGE), (21, RED))),

        stat(L, "Users on several IPs",
             "Selected users whose active sessions come from more than one client IP, over the selected portals "
             "(a user on two portals counts twice). Exact per user as of the last poll; users folded into "
             "__other__ (beyond limits.max_users_per_portal) are not counted. Orange from 1. "
             "Source: workspaces_web_user_client_ips.",
             targets((f'count(max by (portal_id, username) (workspaces_web_user_client_ips{{{P}, {U}}}) > 1) '
                      f'or vector(0)', "users on several IPs")),
             w=4, h=8, decimals=0, thr=thresholds((None, GREEN), (1, ORANGE))),
        table(L, "Users on several client IPs",
              "Selected users whose active sessions come from more than one client IP, most IPs first, with their "
              "active sessions. Several IPs at once point to a shared account, credentials used from several "
              "places, or a roaming client. Red from 5 IPs (the WorkspacesWebUserManyClientIps alert threshold). "
              "Users folded into __other__ are not listed. Source: workspaces_web_user_client_ips, "
              "workspaces_web_user_active_sessions.",
              targets((f'sort_desc(max by (portal_id, username) (workspaces_web_user_client_ips{{{P}, {U}}}) > 1)', ""),
                      (f'max by (portal_id, username) (workspaces_web_user_active_sessions{{{P}, {U}}}) '
                       f'and on (portal_id, username) '
                       f'(max by (portal_id, username) (workspaces_web_user_client_ips{{{P}, {U}}}) > 1)', ""),
                      instant=True, fmt="table", by_portal_name=True),
              w=8, h=8, merge=True, sort_by=("Client IPs", True),
              hide=("Time", "portal_id"),
              rename={"portal_name": "Portal", "username": "User", "Value #A": "Client IPs",
                      "Value #B": "Active sessions"},
              overrides=[{"matcher": {"id": "byName", "options": "Client IPs"},
                          "properties": [{"id": "thresholds",
                                          "value": thresholds((None, GREEN), (2, ORANGE), (5, RED))},
                                         # the cell takes the threshold colour, not the palette of the table
                                         {"id": "color", "value": {"mode": "thresholds"}},
                                         {"id": "custom.cellOptions", "value": {"type": "color-text"}}]}]),
        timeseries(L, "Active users and distinct client IPs",
                   "Distinct users and distinct client IPs of the active sessions, per portal. Fewer IPs than users "
                   "means users share IPs (NAT, proxy); the users on several IPs are listed on the left. "
                   "Source: workspaces_web_active_users, workspaces_web_active_client_ips.",
                   targets((f'portal:workspaces_web_active_users:max{{{P}}}', "{{portal_id}} users"),
                           (f'portal:workspaces_web_active_client_ips:max{{{P}}}', "{{portal_id}} client IPs")),
                   overrides=[dashed_override(".* client IPs$")]),

        timeseries(L, "Active sessions of the top users",
                   "Active sessions over time of the $top busiest selected users (the set is recomputed at every "
                   "point). Choose users with the username variable. Source: workspaces_web_user_active_sessions.",
                   targets((f'topk($top, max by (portal_id, username) (workspaces_web_user_active_sessions{{{P}, {U}}}))',
                            "{{username}} ({{portal_id}})")),
                   decimals=0),
        timeseries(L, "Users with several concurrent sessions",
                   "Number of users holding more than one active session, per portal: the candidates for shared "
                   "accounts and scripts. Source: workspaces_web_user_active_sessions.",
                   targets((f'count by (portal_id) (max by (portal_id, username) '
                            f'(workspaces_web_user_active_sessions{{{P}, {U}}}) > 1)', "{{portal_id}}")),
                   decimals=0),

        timeseries(L, "Sessions per client IP (top IPs)",
                   "Active sessions over time of the $top busiest client IPs (recomputed at every point). "
                   "Source: workspaces_web_client_ip_active_sessions.",
                   targets((f'topk($top, max by (portal_id, client_ip) (workspaces_web_client_ip_active_sessions{{{P}, {IP}}}))',
                            "{{client_ip}} ({{portal_id}})")),
                   decimals=0),
        timeseries(L, "Average sessions per client IP",
                   "Active sessions divided by distinct client IPs, per portal. Near 1 when every session has its "
                   "own address; high when many sessions share a NAT or proxy address.",
                   targets((f'portal:workspaces_web_active_sessions:max{{{P}}} / '
                            f'(portal:workspaces_web_active_client_ips:max{{{P}}} > 0)', "{{portal_id}}")),
                   decimals=2),

        timeseries(L, "Client IPs with several sessions",
                   "Number of client IPs with more than one active session, per portal. "
                   "Source: workspaces_web_client_ip_active_sessions.",
                   targets((f'count by (portal_id) (max by (portal_id, client_ip) '
                            f'(workspaces_web_client_ip_active_sessions{{{P}, {IP}}}) > 1)', "{{portal_id}}")),
                   decimals=0),
        timeseries(L, "Sessions folded into __other__",
                   "Sessions of the users and client IPs beyond limits.max_users_per_portal and "
                   "limits.max_client_ips_per_portal, which the exporter sums into one __other__ series to bound "
                   "the number of series. Raise the limits if the top lists miss users you care about.",
                   targets((f'max by (portal_id) (workspaces_web_user_active_sessions{{{P}, username="__other__"}})',
                            "{{portal_id}} users __other__"),
                           (f'max by (portal_id) (workspaces_web_client_ip_active_sessions{{{P}, client_ip="__other__"}})',
                            "{{portal_id}} client IPs __other__")),
                   decimals=0),
    ]
    username_var = query_var(
        "username", "User",
        'label_values(workspaces_web_user_active_sessions{portal_id=~"$portal_id"}, username)',
        regex="/^(?!__other__$).*/",
        description="Usernames with an active session in the selected portals (plain or hashed, per labels.username).")
    return dashboard(
        "workspaces-web-users-ips", "WorkSpaces Secure Browser / Users and client IPs",
        "Who holds the active sessions of Amazon WorkSpaces Secure Browser portals, and from which client IPs.",
        panels, [datasource_var(), PORTAL_VAR, username_var, TOP_VAR])


def exporter():
    L = Layout()
    age_thr = thresholds((None, GREEN), (90, YELLOW), (300, RED))
    ratio_thr_err = thresholds((None, GREEN), (0.05, RED))
    ratio_thr_throttle = thresholds((None, GREEN), (0.10, RED))
    panels = [
        stat(L, "Exporter up",
             "Whether Prometheus could scrape the exporter (the up series of the scrape job). DOWN for 2 minutes "
             "fires WorkspacesWebExporterDown.",
             targets((f'up{{{EXPORTER}}}', "{{instance}}")),
             mappings=UP_DOWN_MAPPINGS, thr=thresholds((None, RED), (1, GREEN)), graph=False, w=4),
        stat(L, "Portal poll status",
             "Whether the last poll of each portal succeeded (workspaces_web_portal_up). DOWN for 5 minutes fires "
             "WorkspacesWebPortalPollFailing.",
             targets((f'max by (portal_id) (workspaces_web_portal_up{{{EXPORTER}, {P}}})', "{{portal_id}}")),
             mappings=UP_DOWN_MAPPINGS, thr=thresholds((None, RED), (1, GREEN)), graph=False, w=8),
        stat(L, "Uptime",
             "Time since the exporter process started (process_start_time_seconds).",
             targets((f'time() - process_start_time_seconds{{{EXPORTER}}}', "{{instance}}")),
             unit="s", graph=False, w=4),
        table(L, "Build",
              "Version, revision and Java version of the running exporters (workspaces_web_build_info).",
              targets((f'max by (instance, version, revision, java_version) (workspaces_web_build_info{{{EXPORTER}}})', ""),
                      instant=True, fmt="table"),
              hide=("Time", "Value"), w=8, h=4,
              rename={"instance": "Instance", "version": "Version", "revision": "Revision", "java_version": "Java"}),

        timeseries(L, "Time since last successful poll",
                   "Seconds since the last successful poll of each portal. With the default 30s poll interval it "
                   "stays under 60s; yellow from 90s, red from 300s (WorkspacesWebPortalDataStale). "
                   "Source: workspaces_web_last_successful_poll_timestamp_seconds.",
                   targets((f'portal:workspaces_web_poll_age_seconds:max{{{P}}}', "{{portal_id}}")),
                   unit="s", thr=age_thr, threshold_lines=True),
        timeseries(L, "Poll duration",
                   "Median and 95th percentile of the time one poll of a portal takes (5 minute window). It must stay "
                   "well under poll.interval (30s by default), or polls fall behind. "
                   "Source: workspaces_web_poll_duration_seconds.",
                   targets((f'histogram_quantile(0.5, portal:workspaces_web_poll_duration_seconds_bucket:rate5m{{{P}}})',
                            "{{portal_id}} p50"),
                           (f'histogram_quantile(0.95, portal:workspaces_web_poll_duration_seconds_bucket:rate5m{{{P}}})',
                            "{{portal_id}} p95")),
                   unit="s", thr=thresholds((None, GREEN), (10, YELLOW), (30, RED))),

        timeseries(L, "AWS API requests by operation",
                   "Requests per second to the WorkSpaces Web API by operation (ListPortals, ListSessions, "
                   "GetSession, ExpireSession), 5 minute rate. Source: workspaces_web_api_requests_total.",
                   targets((f'sum by (operation) (instance_operation:workspaces_web_api_requests:rate5m{{{EXPORTER}}})',
                            "{{operation}}")),
                   unit="reqps"),
        timeseries(L, "AWS API errors by operation and error code",
                   "Failed requests per second by operation and AWS error code (ThrottlingException, "
                   "AccessDeniedException, ...) or client error (Timeout, IOError), 5 minute rate. "
                   "Source: workspaces_web_api_request_errors_total.",
                   targets((f'sum by (operation, error) '
                            f'(instance_operation_error:workspaces_web_api_request_errors:rate5m{{{EXPORTER}}})',
                            "{{operation}} {{error}}")),
                   unit="reqps"),

        timeseries(L, "AWS API throttling",
                   "Share of the requests of each operation that AWS answered with ThrottlingException (5 minute "
                   "window). Above 10% for 10 minutes fires WorkspacesWebAwsApiThrottling; lower "
                   "aws.max_requests_per_second or raise poll.interval.",
                   targets((f'max by (operation) '
                            f'(instance_operation:workspaces_web_api_throttled_requests:ratio_rate5m{{{EXPORTER}}})',
                            "{{operation}}")),
                   unit="percentunit", thr=ratio_thr_throttle, threshold_lines=True),
        timeseries(L, "AWS API error ratio",
                   "Share of the requests of each operation that failed with any error, throttling included "
                   "(5 minute window). Above 5% for one non-throttling error code fires WorkspacesWebAwsApiErrors.",
                   targets((f'max by (operation) '
                            f'(instance_operation:workspaces_web_api_request_errors:ratio_rate5m{{{EXPORTER}}})',
                            "{{operation}}")),
                   unit="percentunit", thr=ratio_thr_err, threshold_lines=True),

        stat(L, "Discovery by account and region",
             "Whether the last portal discovery of each AWS account and region worked "
             "(workspaces_web_discovery_up: ListPortals succeeded, or for configured portals the account's role "
             "could be assumed). DOWN for 10 minutes fires WorkspacesWebDiscoveryDown; the other accounts are "
             "polled as usual.",
             targets((f'max by (account_id, region) (workspaces_web_discovery_up{{{EXPORTER}}})',
                      "{{account_id}} {{region}}")),
             mappings=UP_DOWN_MAPPINGS, thr=thresholds((None, RED), (1, GREEN)), graph=False, w=12),
        stat(L, "Last configuration reload",
             "Whether the last configuration load (start, SIGHUP or POST /-/reload) of each instance succeeded "
             "(workspaces_web_config_last_reload_successful). FAILED means a bad file was refused and the "
             "previous configuration still runs; for 5 minutes it fires WorkspacesWebConfigReloadFailed.",
             targets((f'min by (instance) (workspaces_web_config_last_reload_successful{{{EXPORTER}}})',
                      "{{instance}}")),
             mappings=RELOAD_MAPPINGS, thr=thresholds((None, RED), (1, GREEN)), graph=False, w=12),

        timeseries(L, "Folded series",
                   "Series the exporter did not expose because of the per-portal limits (limits.max_users_per_portal, "
                   "limits.max_client_ips_per_portal), by metric; their sessions are summed into __other__. "
                   "Source: workspaces_web_series_dropped.",
                   targets((f'max by (portal_id, metric) (workspaces_web_series_dropped{{{EXPORTER}, {P}}})',
                            "{{portal_id}} {{metric}}")),
                   decimals=0),
        timeseries(L, "Policy actions",
                   "Actions taken (or only logged, in dry run) by the session policies per second, by policy, "
                   "action and outcome. Source: workspaces_web_policy_actions_total.",
                   targets((f'sum by (policy, action, outcome) '
                            f'(rate(workspaces_web_policy_actions_total{{{EXPORTER}}}[$__rate_interval]))',
                            "{{policy}} {{action}} {{outcome}}")),
                   unit="ops"),

        timeseries(L, "JVM heap memory",
                   "Heap used and committed, against the maximum heap (dashed). Source: jvm_memory_used_bytes, "
                   "jvm_memory_committed_bytes, jvm_memory_max_bytes (Micrometer).",
                   targets((f'sum by (instance) (jvm_memory_used_bytes{{{EXPORTER}, area="heap"}})', "{{instance}} used"),
                           (f'sum by (instance) (jvm_memory_committed_bytes{{{EXPORTER}, area="heap"}})',
                            "{{instance}} committed"),
                           (f'sum by (instance) (jvm_memory_max_bytes{{{EXPORTER}, area="heap"}} > 0)', "{{instance}} max")),
                   unit="bytes", overrides=[dashed_override(".* max$")]),
        timeseries(L, "JVM non-heap memory",
                   "Non-heap memory used per memory pool (metaspace, code cache...). Source: jvm_memory_used_bytes.",
                   targets((f'sum by (instance, id) (jvm_memory_used_bytes{{{EXPORTER}, area="nonheap"}})',
                            "{{instance}} {{id}}")),
                   unit="bytes", stack=True),

        timeseries(L, "GC pause time",
                   "Share of wall-clock time spent in garbage-collection pauses, by collector action and cause, and "
                   "the longest recent pause (right axis). Source: jvm_gc_pause_seconds (Micrometer timer).",
                   targets((f'sum by (instance, action, cause) (rate(jvm_gc_pause_seconds_sum{{{EXPORTER}}}[$__rate_interval]))',
                            "{{instance}} {{action}} ({{cause}})"),
                           (f'max by (instance) (jvm_gc_pause_seconds_max{{{EXPORTER}}})', "{{instance}} longest pause")),
                   unit="percentunit",
                   overrides=[{"matcher": {"id": "byRegexp", "options": ".* longest pause$"},
                               "properties": [{"id": "unit", "value": "s"},
                                              {"id": "custom.axisPlacement", "value": "right"},
                                              {"id": "custom.drawStyle", "value": "points"}]}]),
        timeseries(L, "GC pauses and allocation",
                   "Garbage-collection pauses per second and the allocation rate (right axis). "
                   "Source: jvm_gc_pause_seconds_count, jvm_gc_memory_allocated_bytes_total.",
                   targets((f'sum by (instance) (rate(jvm_gc_pause_seconds_count{{{EXPORTER}}}[$__rate_interval]))',
                            "{{instance}} pauses/s"),
                           (f'sum by (instance) (rate(jvm_gc_memory_allocated_bytes_total{{{EXPORTER}}}[$__rate_interval]))',
                            "{{instance}} allocated")),
                   unit="short",
                   overrides=[{"matcher": {"id": "byRegexp", "options": ".* allocated$"},
                               "properties": [{"id": "unit", "value": "Bps"},
                                              {"id": "custom.axisPlacement", "value": "right"}]}]),

        timeseries(L, "CPU",
                   "CPU used by the exporter process, as a share of all cores (process_cpu_usage).",
                   targets((f'process_cpu_usage{{{EXPORTER}}}', "{{instance}}")),
                   unit="percentunit", maxv=1),
        timeseries(L, "Threads",
                   "Live JVM threads (jvm_threads_live_threads). A steady climb points to a leak.",
                   targets((f'jvm_threads_live_threads{{{EXPORTER}}}', "{{instance}}")),
                   decimals=0),
    ]
    job_var = query_var("job", "Job", "label_values(workspaces_web_build_info, job)", include_all=False, multi=False,
                        default_all=False, default="workspaces-web-exporter",
                        description="Prometheus scrape job of the exporter.")
    instance_var = query_var("instance", "Instance", 'label_values(workspaces_web_build_info{job="$job"}, instance)',
                             description="Exporter instances (shards or HA replicas) of the job.")
    return dashboard(
        "workspaces-web-exporter", "WorkSpaces Secure Browser / Exporter health",
        "Health of workspaces-web-exporter: polling, AWS API requests and errors, folded series, JVM.",
        panels, [datasource_var(), job_var, instance_var, PORTAL_VAR], time_from="now-3h")


def geomap(layout, title, description, tgts, w=16, h=12):
    """Grafana's geomap: one circle per country, placed by looking the ISO 3166-1 alpha-2 code of the country
    column up in Grafana's countries gazetteer, sized and coloured by the value."""
    options = {
        "view": {"id": "zero", "lat": 20, "lon": 0, "zoom": 1, "allLayers": True},
        "controls": {"showZoom": True, "mouseWheelZoom": False, "showAttribution": True},
        "basemap": {"type": "default", "name": "Basemap", "config": {}},
        "layers": [{
            "type": "markers",
            "name": "Active sessions",
            "config": {
                "showLegend": True,
                "style": {
                    "size": {"field": "Value", "fixed": 5, "min": 4, "max": 30},
                    "color": {"field": "Value", "fixed": "dark-green"},
                    "opacity": 0.6,
                    "symbol": {"mode": "fixed", "fixed": "img/icons/marker/circle.svg"},
                    "text": {"field": "country", "mode": "field", "fixed": ""},
                    "textConfig": {"fontSize": 10, "offsetX": 0, "offsetY": 0, "textAlign": "center",
                                   "textBaseline": "middle"},
                },
            },
            "location": {"mode": "lookup", "lookup": "country", "gazetteer": "public/gazetteer/countries.json"},
            "tooltip": True,
        }],
        "tooltip": {"mode": "details"},
    }
    return base_panel(layout, "geomap", title, description, tgts, w, h,
                      thr=thresholds((None, GREEN), (10, YELLOW), (50, RED)), options=options)


def geo():
    L = Layout()
    C = "portal_country:workspaces_web_country_active_sessions:max"
    A = "portal_asn:workspaces_web_asn_active_sessions:max"
    panels = [
        stat(L, "Countries",
             "Countries with at least one active session in the selected portals (addresses the GeoIP database "
             "does not know are not a country). Needs geoip.country_database. "
             "Source: workspaces_web_country_active_sessions.",
             targets((f'count(sum by (country) ({C}{{{P}, country!="unknown"}})) or vector(0)', "countries")),
             decimals=0),
        stat(L, "Sessions from unknown addresses",
             "Active sessions with a client IP the country database does not know (private, reserved or "
             "unallocated addresses), selected portals. Source: workspaces_web_country_active_sessions{country=\"unknown\"}.",
             targets((f'sum({C}{{{P}, country="unknown"}}) or vector(0)', "unknown")),
             decimals=0),
        stat(L, "Networks",
             "Autonomous systems (networks) with at least one active session in the selected portals, the folded "
             "__other__ left out. Needs geoip.asn_database. Source: workspaces_web_asn_active_sessions.",
             targets((f'count(sum by (asn) ({A}{{{P}, asn!~"unknown|__other__"}})) or vector(0)', "networks")),
             decimals=0),
        stat(L, "Users in several countries",
             "Users whose active sessions come from two or more countries at once, over the selected portals (a "
             "user on two portals counts twice). Orange from 1: the WorkspacesWebUserInSeveralCountries alert "
             "fires after 5 minutes. Source: workspaces_web_user_countries.",
             targets((f'count(max by (portal_id, username) (workspaces_web_user_countries{{{P}, username!="__other__"}}) >= 2) '
                      f'or vector(0)', "users")),
             decimals=0, thr=thresholds((None, GREEN), (1, ORANGE))),
        stat(L, "GeoIP database age",
             "Time since the loaded GeoIP databases were built (their metadata), per database. Orange from 28 days, "
             "red from 35 days (WorkspacesWebGeoIpDatabaseOld): the updater (geoipupdate or a download job) stopped. "
             "Source: workspaces_web_geoip_database_build_timestamp_seconds.",
             targets(('time() - max by (database) (workspaces_web_geoip_database_build_timestamp_seconds)',
                      "{{database}}")),
             unit="s", graph=False, w=8, thr=thresholds((None, GREEN), (28 * 86400, ORANGE), (35 * 86400, RED))),

        geomap(L, "Active sessions by country",
               "Active sessions of the selected portals per country of their client IPs (a session with addresses "
               "in two countries counts in both), placed by ISO 3166-1 alpha-2 code. Addresses the database does "
               "not know are left out (see the table). Source: workspaces_web_country_active_sessions.",
               targets((f'sum by (country) ({C}{{{P}, country!="unknown"}})', ""), instant=True, fmt="table")),
        table(L, "Sessions by country",
              "Active sessions per country, selected portals together, most first; unknown = addresses the "
              "database does not know. Source: workspaces_web_country_active_sessions.",
              targets((f'sort_desc(sum by (country) ({C}{{{P}}}))', ""), instant=True, fmt="table"),
              w=8, h=12, sort_by=("Sessions", True), rename={"country": "Country", "Value": "Sessions"}),

        timeseries(L, "Active sessions by country (top countries)",
                   "Active sessions over time of the $top countries with the most, selected portals together. "
                   "Source: workspaces_web_country_active_sessions.",
                   targets((f'topk($top, sum by (country) ({C}{{{P}}}))', "{{country}}")),
                   decimals=0),
        table(L, "Sessions by portal and country",
              "Active sessions per portal and country. Source: workspaces_web_country_active_sessions.",
              targets((f'sort_desc({C}{{{P}}})', ""), instant=True, fmt="table", by_portal_name=True),
              w=12, h=8, sort_by=("Sessions", True), hide=("Time", "portal_id"),
              rename={"portal_name": "Portal", "country": "Country", "Value": "Sessions"}),

        table(L, "Top networks",
              "The $top autonomous systems (networks) with the most active sessions, selected portals together: "
              "the ISPs, mobile carriers, hosting providers and VPNs the sessions come from. asn=__other__ holds "
              "the networks beyond limits.max_asns_per_portal. Source: workspaces_web_asn_active_sessions.",
              targets((f'topk($top, sum by (asn, as_org) ({A}{{{P}}}))', ""), instant=True, fmt="table"),
              w=12, h=10, sort_by=("Sessions", True),
              rename={"asn": "ASN", "as_org": "Organization", "Value": "Sessions"}),
        timeseries(L, "Active sessions by network (top networks)",
                   "Active sessions over time of the $top networks with the most, selected portals together. "
                   "Source: workspaces_web_asn_active_sessions.",
                   targets((f'topk($top, sum by (asn, as_org) ({A}{{{P}}}))', "AS{{asn}} {{as_org}}")),
                   w=12, h=10, decimals=0),

        table(L, "Users in several countries",
              "Users whose active sessions come from two or more countries at once, most countries first. Users "
              "folded into __other__ (beyond limits.max_users_per_portal) are not listed. "
              "Source: workspaces_web_user_countries.",
              targets((f'sort_desc(max by (portal_id, username) (workspaces_web_user_countries{{{P}, username!="__other__"}}) >= 2)', ""),
                      instant=True, fmt="table", by_portal_name=True),
              w=12, h=8, sort_by=("Countries", True), hide=("Time", "portal_id"),
              rename={"portal_name": "Portal", "username": "User", "Value": "Countries"}),
        timeseries(L, "Networks folded into __other__",
                   "Networks beyond limits.max_asns_per_portal per portal, whose sessions are summed into the "
                   "asn=\"__other__\" series. Source: workspaces_web_series_dropped{metric=\"workspaces_web_asn_active_sessions\"}.",
                   targets((f'max by (portal_id) (workspaces_web_series_dropped{{{P}, metric="workspaces_web_asn_active_sessions"}})',
                            "{{portal_id}}")),
                   w=12, h=8, decimals=0),
    ]
    return dashboard(
        "workspaces-web-geo", "WorkSpaces Secure Browser / Sessions by country and network",
        "Where the sessions of Amazon WorkSpaces Secure Browser portals come from: countries and networks of their "
        "client IPs, from the GeoIP databases of geoip.country_database and geoip.asn_database.",
        panels, [datasource_var(), PORTAL_VAR, TOP_VAR])


DASHBOARDS = {
    "workspaces-web-overview.json": overview,
    "workspaces-web-users-ips.json": users_ips,
    "workspaces-web-exporter.json": exporter,
    "workspaces-web-geo.json": geo,
}


def render(build):
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


def main(argv):
    check = "--check" in argv
    stale = []
    for name, build in DASHBOARDS.items():
        path = DASHBOARDS_DIR / name
        text = render(build)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    if stale:
        print("dashboards differ from scripts/gen-dashboards.py (run it and commit): " + ", ".join(stale),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
