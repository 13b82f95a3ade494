#!/usr/bin/env python3
"""Developer tool, not run by CI. Renders the main panels of the Grafana dashboards from a running Prometheus, as pictures (not Grafana).

    render-dashboards.py --prometheus URL [--range-seconds 240] [--step 5] [--out-dir DIR] DASHBOARD.json...

For every dashboard: takes its main panels (those in the first 28 grid rows, extended down to the first
heatmap if there is one), substitutes the template variables as scripts/evaluate-queries.py does for the e2e check
(every variable at its default, All -> its allValue), runs each expression through /api/v1/query_range (or
/api/v1/query for instant targets) and draws a dashboard-like page: a dark grid of panels laid out by their
gridPos, time series as SVG lines with a legend table from legendFormat, stat and gauge panels as a big number,
bar gauges as bars, tables as a small table, heatmaps as a colored grid, axes in the panel's unit. The page is
written as NAME.html and, unless --html-only, screenshotted with headless Chromium to DIR/NAME.png. Exits 1
when a panel had no data or its query failed (the pictures are written all the same), 2 on usage errors.

Grafana itself cannot run here (not packaged in Debian, no internet), so this is a faithful-enough stand-in:
it shows what the panel queries return against a real Prometheus, not Grafana's exact look.
Uses the Python standard library and scripts/lib/obs.py (PyYAML); scripts/render-dashboards.sh starts the agent
and Prometheus.
"""
import argparse
import html
import math
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.dont_write_bytecode = True  # no scripts/__pycache__ left in the working tree by the import below
sys.path.insert(0, str(Path(__file__).resolve().parent / "lib"))
import obs  # noqa: E402  (variable defaults and substitution, shared with the e2e check)

PAGE_WIDTH = 1600
PAD = 12
GAP = 8
ROW_UNIT = 30          # Grafana's grid row height in pixels
HEADER_HEIGHT = 78
CAPTION_HEIGHT = 34
MAIN_ROWS = 28         # grid rows taken as "main panels"
CAPTION = ("Rendered from a real Prometheus scraping the agent on its embedded simulator "
           "by scripts/render-dashboards.sh (not Grafana)")

# Grafana's dark theme and classic palette
BG = "#111217"
PANEL_BG = "#181b1f"
BORDER = "#2c3235"
TEXT = "#ccccdc"
TEXT_DIM = "#8e8e8e"
GRID = "#2a2d33"
PALETTE = ["#73BF69", "#F2CC0C", "#8AB8FF", "#FF780A", "#F2495C", "#5794F2", "#B877D9", "#705DA0",
           "#37872D", "#FADE2A", "#447EBC", "#C15C17", "#890F02", "#0A437C", "#6D1F62", "#584477"]
NAMED_COLORS = {"green": "#73BF69", "red": "#F2495C", "yellow": "#FADE2A", "orange": "#FF9830",
                "blue": "#5794F2", "purple": "#B877D9", "dark-orange": "#FF780A", "text": TEXT}
FONT = "Inter, 'Helvetica Neue', Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"
CHAR_WIDTH = 0.56      # average glyph width in em, to truncate text that would not fit
UUID = re.compile(r"\b([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
MAX_FILLED_SERIES = 8  # beyond this many series the 10% area fills pile up into a smear: lines only


def esc(text):
    return html.escape(str(text), quote=True)


def color_of(name):
    return NAMED_COLORS.get(name, name or TEXT)


def fit(text, width_px, font_px, middle=False):
    """Truncates text with an ellipsis so it fits width_px at font_px; middle=True keeps the end of the text,
    where legends carry what tells series apart (" p95", " max concurrent") after a long portal ID."""
    max_chars = max(1, int(width_px / (font_px * CHAR_WIDTH)))
    if len(text) <= max_chars:
        return text
    # portal IDs are UUIDs: their first 8 hex digits tell them apart and leave room for the rest
    text = UUID.sub(lambda m: m.group(1) + "…", text)
    if len(text) <= max_chars:
        return text
    if middle and max_chars > 8:
        tail = (max_chars - 1) * 3 // 5
        return text[:max_chars - 1 - tail] + "…" + text[len(text) - tail:]
    return text[:max(1, max_chars - 1)] + "…"


# --- units ----------------------------------------------------------------------------------------------------

def _num(value, decimals=None):
    if decimals is None:
        magnitude = abs(value)
        decimals = 0 if magnitude >= 100 or magnitude == 0 else 1 if magnitude >= 10 else 2
        if magnitude < 0.01 and magnitude > 0:
            decimals = 4
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _scaled(value, steps, decimals):
    """steps: [(factor, suffix)] ascending; picks the largest factor not above |value|."""
    factor, suffix = steps[0]
    for f, s in steps:
        if abs(value) >= f:
            factor, suffix = f, s
    return _num(value / factor, decimals) + suffix


def fmt(value, unit, decimals=None):
    """A value as Grafana would display it in the given unit (the units the dashboards use)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "No data"
    if unit == "percentunit":
        return _num(value * 100, decimals) + "%"
    if unit == "percent":
        return _num(value, decimals) + "%"
    if unit == "s":
        if value == 0:
            return "0 s"
        if abs(value) < 1:
            return _num(value * 1000, decimals) + " ms"
        return _scaled(value, [(1, " s"), (60, " min"), (3600, " hour"), (86400, " day")], decimals)
    if unit == "bytes":
        return _scaled(value, [(1, " B"), (1024, " KiB"), (1024 ** 2, " MiB"), (1024 ** 3, " GiB")], decimals)
    suffix = {"reqps": " req/s", "ops": " ops/s"}.get(unit, "")
    if abs(value) >= 1000:
        return _scaled(value, [(1, ""), (1e3, " K"), (1e6, " Mil"), (1e9, " Bil")], decimals) + suffix
    return _num(value, decimals) + suffix


def nice_ticks(lo, hi, count=4):
    span = hi - lo
    if span <= 0:
        span = abs(hi) or 1.0
    raw = span / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks = []
    t = start
    while t <= hi + step * 1e-9:
        if t >= lo - step * 1e-9:
            ticks.append(round(t, 12))
        t += step
    return ticks, step


def axis_scale(unit, top):
    """(factor, suffix) so that axis ticks are nice numbers in the unit shown: minutes, not 200 seconds."""
    top = abs(top)
    if unit == "s":
        for limit, factor, suffix in ((1, 0.001, " ms"), (120, 1, " s"), (7200, 60, " min"), (172800, 3600, " hour")):
            if top < limit:
                return factor, suffix
        return 86400, " day"
    if unit == "bytes":
        for power, suffix in ((0, " B"), (1, " KiB"), (2, " MiB"), (3, " GiB")):
            if top < 1024 ** (power + 1):
                return 1024 ** power, suffix
        return 1024 ** 4, " TiB"
    if unit == "percentunit":
        return 0.01, "%"
    if unit == "percent":
        return 1, "%"
    per_second = {"reqps": " req/s", "ops": " ops/s"}.get(unit, "")
    for factor, suffix in ((1e9, " Bil"), (1e6, " Mil"), (1e3, " K")):
        if top >= factor:
            return factor, suffix + per_second
    return 1, per_second


def tick_label(value, step, suffix):
    # as many decimals as the step needs (2.5 -> 1, 0.25 -> 2), so that no two ticks read the same
    decimals = next(d for d in range(5) if abs(round(step, d) - step) < 1e-9 * max(1.0, step) or d == 4)
    return _num(value, decimals) + suffix


# --- Prometheus -----------------------------------------------------------------------------------------------

class Series:
    def __init__(self, name, labels, values, target_index):
        self.name = name            # legend text
        self.labels = labels
        self.values = values        # aligned with the time grid; None where there is no sample
        self.target_index = target_index

    def last(self):
        return next((v for v in reversed(self.values) if v is not None), None)

    def max(self):
        present = [v for v in self.values if v is not None]
        return max(present) if present else None


def legend_name(fmt_text, labels):
    if fmt_text:
        return re.sub(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}", lambda m: labels.get(m.group(1), ""),
                      fmt_text).strip()
    metric = labels.get("__name__", "")
    rest = ", ".join(f'{k}="{v}"' for k, v in sorted(labels.items()) if k != "__name__")
    return f"{metric}{{{rest}}}" if rest else (metric or "Value")


def parse_value(text):
    try:
        v = float(text)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) or math.isinf(v) else v


class Prometheus:
    def __init__(self, base, start, end, step):
        self.base = base
        self.start, self.end, self.step = start, end, step
        self.times = [start + i * step for i in range(int((end - start) // step) + 1)]

    def _get(self, path, params):
        body = obs.api_get(self.base, path, params, timeout=30)
        if body.get("status") != "success":
            raise RuntimeError(f"{body.get('errorType', 'error')}: {body.get('error')} ({params.get('query')})")
        return body["data"]["result"]

    def fetch(self, panel, values_by_var):
        """Every series of every target of the panel, legend applied."""
        series = []
        for index, target in enumerate(t for t in panel.get("targets", []) if t.get("expr")):
            expr = obs.substitute(target["expr"], values_by_var)
            if target.get("instant") and not target.get("range"):
                for r in self._get("/api/v1/query", {"query": expr, "time": self.end}):
                    labels = r.get("metric", {})
                    series.append(Series(legend_name(target.get("legendFormat"), labels), labels,
                                         [parse_value(r["value"][1])], index))
            else:
                result = self._get("/api/v1/query_range", {"query": expr, "start": self.start, "end": self.end,
                                                           "step": self.step})
                for r in result:
                    by_time = {round(float(t), 3): parse_value(v) for t, v in r.get("values", [])}
                    labels = r.get("metric", {})
                    series.append(Series(legend_name(target.get("legendFormat"), labels), labels,
                                         [by_time.get(round(t, 3)) for t in self.times], index))
        return series


# --- panel selection and layout -------------------------------------------------------------------------------

def main_panels(dashboard):
    """Panels with a Prometheus expression in the first MAIN_ROWS grid rows, down to the first heatmap if any."""
    panels = [p for p in obs.all_panels(dashboard)
              if p.get("type") not in ("row", "text") and any(t.get("expr") for t in p.get("targets", []))]

    def bottom(p):
        return p["gridPos"]["y"] + p["gridPos"]["h"]

    limit = MAIN_ROWS
    heatmaps = [p for p in panels if p.get("type") == "heatmap"]
    if heatmaps:
        limit = max(limit, bottom(heatmaps[0]))
    return [p for p in panels if bottom(p) <= limit]


def panel_box(panel):
    gp = panel["gridPos"]
    col = (PAGE_WIDTH - 2 * PAD + GAP) / 24
    x = PAD + gp["x"] * col
    w = gp["w"] * col - GAP
    y = HEADER_HEIGHT + gp["y"] * (ROW_UNIT + GAP)
    h = gp["h"] * (ROW_UNIT + GAP) - GAP
    return x, y, w, h


# --- drawing --------------------------------------------------------------------------------------------------

def svg_text(x, y, text, size=11, fill=TEXT, anchor="start", weight="normal", extra=""):
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}" text-anchor="{anchor}" '
            f'font-weight="{weight}" {extra}>{esc(text)}</text>')


def threshold_color(defaults, value):
    steps = (defaults.get("thresholds") or {}).get("steps") or [{"color": "green", "value": None}]
    color = steps[0].get("color")
    for s in steps:
        if s.get("value") is None or (value is not None and value >= s["value"]):
            color = s.get("color")
    return color_of(color)


def mapped(defaults, value):
    """(text, color) from a value mapping, or None."""
    if value is None:
        return None
    for mapping in defaults.get("mappings") or []:
        if mapping.get("type") == "value":
            for key, result in (mapping.get("options") or {}).items():
                try:
                    if float(key) == value:
                        return result.get("text", key), color_of(result.get("color"))
                except ValueError:
                    continue
    return None


def display(defaults, value):
    m = mapped(defaults, value)
    if m:
        return m
    return fmt(value, defaults.get("unit", "short"), defaults.get("decimals")), threshold_color(defaults, value)


def series_style(panel, name):
    """(dashed, fill opacity, line width) after the panel's byRegexp overrides."""
    custom = panel.get("fieldConfig", {}).get("defaults", {}).get("custom", {})
    dashed, fill, width = False, custom.get("fillOpacity", 10) / 100, custom.get("lineWidth", 1)
    for override in panel.get("fieldConfig", {}).get("overrides", []):
        matcher = override.get("matcher", {})
        if matcher.get("id") == "byRegexp" and re.fullmatch(matcher.get("options", ""), name):
            for prop in override.get("properties", []):
                if prop["id"] == "custom.lineStyle":
                    dashed = (prop.get("value") or {}).get("fill") == "dash"
                elif prop["id"] == "custom.fillOpacity":
                    fill = prop["value"] / 100
                elif prop["id"] == "custom.lineWidth":
                    width = prop["value"]
    return dashed, fill, width


def no_data(w, h):
    return svg_text(w / 2, h / 2, "No data", 14, TEXT_DIM, "middle")


def time_axis(times, left, right, top, bottom, grid):
    """Time labels (UTC) under a plot, one per minute (per 30s on short ranges), none cut at the right edge."""
    span = max(1, times[-1] - times[0])
    every = 60 if span > 180 else 30
    parts = []
    for t in range(int(math.ceil(times[0] / every) * every), int(times[-1]) + 1, every):
        x = left + (right - left) * (t - times[0]) / span
        if grid:
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{bottom}" stroke="{GRID}"/>')
        if x <= right - 20:
            label = datetime.fromtimestamp(t, timezone.utc).strftime("%H:%M" if every == 60 else "%H:%M:%S")
            parts.append(svg_text(x, bottom + 14, label, 10, TEXT_DIM, "middle"))
    return "".join(parts)


def draw_timeseries(panel, series, times, w, h):
    defaults = panel.get("fieldConfig", {}).get("defaults", {})
    unit = defaults.get("unit", "short")
    legend_opts = panel.get("options", {}).get("legend", {})
    calcs = [c for c in legend_opts.get("calcs", []) if c in ("lastNotNull", "max")]
    if not series:
        return no_data(w, h)
    parts = []
    # legend table below the graph, cut to what fits: one column, two when that shows more series
    row_h = 15
    rows_fit = max(2, int(h * 0.45 / row_h) - (1 if calcs else 0))
    columns = 1 if len(series) <= rows_fit or w < 600 else 2
    capacity = rows_fit * columns
    shown = series if len(series) <= capacity else series[:capacity - 1]
    more = len(series) - len(shown)
    legend_rows = math.ceil((len(shown) + (1 if more else 0)) / columns)
    legend_h = row_h * (legend_rows + (1 if calcs else 0)) + 6
    plot_top, plot_bottom = 6, h - legend_h - 20
    axis_w = 62
    plot_left, plot_right = axis_w, w - 10

    present = [v for s in series for v in s.values if v is not None]
    lo = min(present) if present else 0
    hi = max(present) if present else 1
    if defaults.get("min") is not None:
        lo = min(lo, defaults["min"]) if lo < defaults["min"] else defaults["min"]
    elif (defaults.get("custom") or {}).get("axisSoftMin") is not None:
        lo = min(lo, defaults["custom"]["axisSoftMin"])
    if defaults.get("max") is not None:
        hi = defaults["max"]
    if hi <= lo:
        hi = lo + (abs(lo) * 0.5 or 1)
    factor, suffix = axis_scale(unit, max(abs(lo), abs(hi)))
    ticks, tick_step = nice_ticks(lo / factor, hi / factor)
    hi = max(hi, ticks[-1] * factor) if ticks else hi
    lo = min(lo, ticks[0] * factor) if ticks else lo

    def sx(i):
        return plot_left + (plot_right - plot_left) * (times[i] - times[0]) / max(1, times[-1] - times[0])

    def sy(v):
        return plot_bottom - (plot_bottom - plot_top) * (v - lo) / (hi - lo)

    for t in ticks:
        y = sy(t * factor)
        parts.append(f'<line x1="{plot_left}" x2="{plot_right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(svg_text(plot_left - 6, y + 4, tick_label(t, tick_step, suffix), 10, TEXT_DIM, "end"))
    # thresholds as dashed lines over the grid when the panel shows them and they are in range
    if ((defaults.get("custom") or {}).get("thresholdsStyle") or {}).get("mode", "off") != "off":
        for step in (defaults.get("thresholds") or {}).get("steps", []):
            if step.get("value") is not None and lo < step["value"] < hi:
                y = sy(step["value"])
                parts.append(f'<line x1="{plot_left}" x2="{plot_right}" y1="{y:.1f}" y2="{y:.1f}" '
                             f'stroke="{color_of(step["color"])}" stroke-dasharray="4 4" opacity="0.7"/>')
    parts.append(time_axis(times, plot_left, plot_right, plot_top, plot_bottom, grid=True))

    for index, s in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        dashed, fill, width = series_style(panel, s.name)
        if len(series) > MAX_FILLED_SERIES:
            fill = 0
        segment = []
        segments = []
        for i, v in enumerate(s.values):
            if v is None:
                if segment:
                    segments.append(segment)
                segment = []
            else:
                segment.append((sx(i), sy(v)))
        if segment:
            segments.append(segment)
        base_y = sy(max(lo, 0)) if lo <= 0 <= hi else plot_bottom
        for seg in segments:
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in seg)
            if fill > 0 and len(seg) > 1:
                parts.append(f'<polygon points="{seg[0][0]:.1f},{base_y:.1f} {points} {seg[-1][0]:.1f},{base_y:.1f}" '
                             f'fill="{color}" fill-opacity="{fill}" stroke="none"/>')
            dash = ' stroke-dasharray="8 6"' if dashed else ""
            parts.append(f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="{width + 0.5}"'
                         f'{dash} stroke-linejoin="round"/>')

    # legend table
    col_w = w / columns
    calc_w = 70 if columns == 1 else 60
    name_w = col_w - 26 - calc_w * len(calcs)
    y_top = h - legend_h + 8
    if calcs:
        for col in range(columns):
            for j, c in enumerate(calcs):
                parts.append(svg_text(col * col_w + name_w + 20 + calc_w * (j + 1), y_top + 4,
                                      {"lastNotNull": "Last *", "max": "Max"}[c], 10, "#6e9fff", "end", "bold"))
        y_top += row_h
    for index, s in enumerate(shown):
        col, row = divmod(index, legend_rows)
        x0, y0 = col * col_w, y_top + row * row_h
        color = PALETTE[index % len(PALETTE)]
        dashed, _, _ = series_style(panel, s.name)
        dash = ' stroke-dasharray="4 2"' if dashed else ""
        parts.append(f'<line x1="{x0 + 4}" x2="{x0 + 18}" y1="{y0:.1f}" y2="{y0:.1f}" stroke="{color}" '
                     f'stroke-width="3"{dash}/>')
        parts.append(svg_text(x0 + 24, y0 + 4, fit(s.name, name_w, 11, middle=True), 11))
        for j, c in enumerate(calcs):
            v = s.last() if c == "lastNotNull" else s.max()
            parts.append(svg_text(x0 + name_w + 20 + calc_w * (j + 1), y0 + 4, fmt(v, unit), 11, TEXT, "end"))
    if more:
        col, row = divmod(len(shown), legend_rows)
        parts.append(svg_text(col * col_w + 24, y_top + row * row_h + 4, f"… {more} more series", 10, TEXT_DIM))
    return "".join(parts)


def sparkline(series, w, h, top, color):
    present = [v for v in series.values if v is not None]
    if len(present) < 2:
        return ""
    lo, hi = min(present), max(present)
    if hi == lo:
        hi = lo + 1
        lo = lo - 1
    n = len(series.values)
    pts = [(w * i / max(1, n - 1), top + h - h * (v - lo) / (hi - lo)) for i, v in enumerate(series.values)
           if v is not None]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
    return (f'<polygon points="{pts[0][0]:.1f},{top + h} {line} {pts[-1][0]:.1f},{top + h}" fill="{color}" '
            f'fill-opacity="0.18"/><polyline points="{line}" fill="none" stroke="{color}" stroke-width="1.5"/>')


def draw_stat(panel, series, w, h):
    defaults = panel.get("fieldConfig", {}).get("defaults", {})
    if not series:
        return no_data(w, h)
    graph = panel.get("options", {}).get("graphMode") == "area"
    parts = []
    cell_w = w / len(series)
    for i, s in enumerate(series):
        text, color = display(defaults, s.last())
        x0 = i * cell_w
        if graph:
            parts.append(f'<g transform="translate({x0:.1f},0)">{sparkline(s, cell_w, h * 0.45, h * 0.55, color)}</g>')
        size = min(h * 0.42, cell_w / max(3, len(text)) * 1.6, 44)
        top = h * 0.5
        if len(series) > 1:
            parts.append(svg_text(x0 + cell_w / 2, 14, fit(s.name, cell_w - 8, 11, middle=True), 11, TEXT, "middle"))
            top = h * 0.55 + 6
        parts.append(svg_text(x0 + cell_w / 2, top + size * 0.35, text, round(size), color, "middle", "bold"))
    return "".join(parts)


def draw_gauge(panel, series, w, h):
    defaults = panel.get("fieldConfig", {}).get("defaults", {})
    if not series:
        return no_data(w, h)
    value = series[0].last()
    lo, hi = defaults.get("min", 0), defaults.get("max", 1)
    text, color = display(defaults, value)
    cx, r = w / 2, min(w / 2 - 10, h * 0.62)
    cy = h * 0.5 + r * 0.52
    sweep = 240  # degrees, centered on the top

    def arc(a0, a1, radius, stroke, width):
        def point(a):
            rad = math.radians(a - 90)
            return cx + radius * math.cos(rad), cy + radius * math.sin(rad)
        (x0, y0), (x1, y1) = point(a0), point(a1)
        large = 1 if a1 - a0 > 180 else 0
        return (f'<path d="M{x0:.1f},{y0:.1f} A{radius:.1f},{radius:.1f} 0 {large} 1 {x1:.1f},{y1:.1f}" '
                f'fill="none" stroke="{stroke}" stroke-width="{width}"/>')

    start = -sweep / 2
    parts = [arc(start, start + sweep, r * 0.8, "#2f3237", r * 0.2)]
    steps = (defaults.get("thresholds") or {}).get("steps", [])
    for k, s in enumerate(steps):  # threshold markers as a thin outer band
        v0 = lo if s.get("value") is None else s["value"]
        v1 = hi if k + 1 == len(steps) else steps[k + 1]["value"]
        a0 = start + sweep * (v0 - lo) / (hi - lo)
        a1 = start + sweep * (v1 - lo) / (hi - lo)
        parts.append(arc(a0, a1, r * 0.97, color_of(s["color"]), r * 0.06))
    if value is not None:
        frac = min(1, max(0, (value - lo) / (hi - lo)))
        if frac > 0:
            parts.append(arc(start, start + sweep * frac, r * 0.8, color, r * 0.2))
    parts.append(svg_text(cx, cy - r * 0.05, text, round(min(r * 0.42, 32)), color, "middle", "bold"))
    return "".join(parts)


def draw_bargauge(panel, series, w, h):
    defaults = panel.get("fieldConfig", {}).get("defaults", {})
    unit = defaults.get("unit", "short")
    if not series:
        return no_data(w, h)
    items = sorted(series, key=lambda s: -(s.last() or 0))
    lo = defaults.get("min", 0)
    hi = defaults.get("max") or max((s.last() or 0) for s in items) or 1
    row = min(30, (h - 4) / len(items))
    name_w = w * 0.4
    bar_x, bar_w = name_w + 8, w - name_w - 8 - 56
    parts = []
    for i, s in enumerate(items):
        v = s.last()
        y = 2 + i * row
        color = threshold_color(defaults, v)
        parts.append(svg_text(name_w, y + row / 2 + 4, fit(s.name, name_w - 4, 11), 11, TEXT, "end"))
        parts.append(f'<rect x="{bar_x:.1f}" y="{y + 2:.1f}" width="{bar_w:.1f}" height="{row - 4:.1f}" '
                     f'fill="#22252b"/>')
        frac = 0 if v is None else min(1, max(0, (v - lo) / (hi - lo)))
        # solid bars (Grafana's "basic" mode) rather than its gradient: gradients cost ~90 KB of PNG per page
        parts.append(f'<rect x="{bar_x:.1f}" y="{y + 2:.1f}" width="{bar_w * frac:.1f}" height="{row - 4:.1f}" '
                     f'fill="{color}" fill-opacity="0.85"/>')
        parts.append(svg_text(w - 4, y + row / 2 + 5, fmt(v, unit), 13, color, "end", "bold"))
    return "".join(parts)


def draw_table(panel, series, w, h):
    if not series:
        return no_data(w, h)
    organize = next((t.get("options", {}) for t in panel.get("transformations", []) if t.get("id") == "organize"), {})
    excluded = {k for k, v in (organize.get("excludeByName") or {}).items() if v}
    renames = organize.get("renameByName") or {}
    label_names = [k for k in renames if k not in excluded]
    for s in series:
        for k in sorted(s.labels):
            if k not in label_names and k not in excluded and k != "__name__":
                label_names.append(k)
    columns = [(renames.get(k, k), k) for k in label_names]
    if "Value" not in excluded:
        columns.append(("Value", None))
    rows = [[(s.labels.get(k, "") if k else fmt(s.last(), "short")) for _, k in columns] for s in series]
    # column widths proportional to content, within the panel
    lengths = [max([len(title)] + [len(r[i]) for r in rows]) + 2 for i, (title, _) in enumerate(columns)]
    total = sum(lengths)
    widths = [w * n / total for n in lengths]
    row_h = 22
    parts = [f'<rect x="0" y="0" width="{w:.1f}" height="{row_h}" fill="#22252b"/>']
    x = 0
    for (title, _), cw in zip(columns, widths):
        parts.append(svg_text(x + 6, 15, fit(title, cw - 10, 11), 11, "#6e9fff", "start", "bold"))
        x += cw
    max_rows = int((h - row_h) / row_h)
    for r_index, r in enumerate(rows[:max_rows]):
        y = row_h * (r_index + 1)
        parts.append(f'<line x1="0" x2="{w:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{BORDER}"/>')
        x = 0
        for cell, cw in zip(r, widths):
            parts.append(svg_text(x + 6, y + 15, fit(cell, cw - 10, 11), 11))
            x += cw
    return "".join(parts)


def heat_color(fraction):
    """Dark to orange to light, like Grafana's Oranges scheme on a dark background."""
    stops = [(0.0, (0x3a, 0x22, 0x10)), (0.5, (0xf2, 0x6b, 0x12)), (1.0, (0xff, 0xe0, 0xb5))]
    for (f0, c0), (f1, c1) in zip(stops, stops[1:]):
        if fraction <= f1:
            t = (fraction - f0) / (f1 - f0)
            return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(c0, c1))
    return "#ffe0b5"


def draw_heatmap(panel, series, times, w, h):
    options = panel.get("options", {})
    unit = (options.get("yAxis") or {}).get("unit", "short")
    buckets = []
    for s in series:
        le = s.labels.get("le")
        if le is not None:
            buckets.append((math.inf if le == "+Inf" else float(le), s))
    buckets.sort(key=lambda b: b[0])
    if not buckets:
        return no_data(w, h)
    # the series are cumulative histogram buckets: Grafana's "heatmap" format takes the differences
    counts = []
    for k, (le, s) in enumerate(buckets):
        below = buckets[k - 1][1].values if k else [0] * len(times)
        counts.append([None if v is None else max(0.0, v - (below[i] or 0)) for i, v in enumerate(s.values)])
    nonzero = [k for k, row in enumerate(counts) if any(v and v > 1e-9 for v in row)]
    if not nonzero:
        return no_data(w, h)
    first, last = max(0, nonzero[0] - 1), min(len(buckets) - 1, nonzero[-1] + 1)
    rows = list(range(first, last + 1))
    peak = max(v for k in rows for v in counts[k] if v is not None) or 1
    exponent = (options.get("color") or {}).get("exponent", 0.5)
    axis_w, plot_top, plot_bottom = 64, 4, h - 40
    plot_w = w - axis_w - 8
    cell_h = (plot_bottom - plot_top) / len(rows)
    cell_w = plot_w / len(times)
    gap = options.get("cellGap", 1)
    parts = []
    for r_index, k in enumerate(rows):
        y = plot_bottom - (r_index + 1) * cell_h
        for i, v in enumerate(counts[k]):
            if v is None or v <= 1e-9:
                continue
            parts.append(f'<rect x="{axis_w + i * cell_w:.1f}" y="{y:.1f}" width="{max(0.5, cell_w - gap):.1f}" '
                         f'height="{max(0.5, cell_h - gap):.1f}" fill="{heat_color((v / peak) ** exponent)}"/>')
        le = buckets[k][0]
        label = "+Inf" if math.isinf(le) else fmt(le, unit)
        if cell_h >= 11 or r_index % max(1, int(math.ceil(11 / cell_h))) == 0:
            parts.append(svg_text(axis_w - 6, y + cell_h / 2 + 4, label, 10, TEXT_DIM, "end"))
    parts.append(time_axis(times, axis_w, axis_w + plot_w, plot_top, plot_bottom, grid=False))
    # color scale
    scale_y = h - 12
    for j in range(40):
        parts.append(f'<rect x="{axis_w + 60 + j * 4}" y="{scale_y - 8}" width="4" height="8" '
                     f'fill="{heat_color((j / 39) ** exponent)}"/>')
    parts.append(svg_text(axis_w + 54, scale_y, "0", 10, TEXT_DIM, "end"))
    parts.append(svg_text(axis_w + 226, scale_y, f"{_num(peak)} sessions ended per bucket (upper bound le)",
                          10, TEXT_DIM))
    return "".join(parts)


def draw_panel(panel, series, times, error):
    x, y, w, h = panel_box(panel)
    title_h = 30
    inner_w, inner_h = w - 16, h - title_h - 8
    kind = panel.get("type")
    if error:
        body = svg_text(inner_w / 2, inner_h / 2, fit(error, inner_w, 11), 11, "#F2495C", "middle")
    elif kind == "timeseries":
        body = draw_timeseries(panel, series, times, inner_w, inner_h)
    elif kind == "stat":
        body = draw_stat(panel, series, inner_w, inner_h)
    elif kind == "gauge":
        body = draw_gauge(panel, series, inner_w, inner_h)
    elif kind == "bargauge":
        body = draw_bargauge(panel, series, inner_w, inner_h)
    elif kind == "table":
        body = draw_table(panel, series, inner_w, inner_h)
    elif kind == "heatmap":
        body = draw_heatmap(panel, series, times, inner_w, inner_h)
    else:
        body = no_data(inner_w, inner_h)
    title = fit(panel.get("title", ""), w - 24, 13)
    return (f'<div class="panel" style="left:{x:.1f}px;top:{y:.1f}px;width:{w:.1f}px;height:{h:.1f}px">'
            f'<div class="title">{esc(title)}</div>'
            f'<svg width="{inner_w:.1f}" height="{inner_h:.1f}" font-family="{esc(FONT)}">{body}</svg></div>')


def render_page(dashboard, panels_html, height, range_seconds):
    title = dashboard.get("title", "")
    variables = []
    for var in dashboard.get("templating", {}).get("list", []):
        if var.get("type") == "datasource":
            value = "Prometheus"
        else:
            current = (var.get("current") or {}).get("text")
            value = ", ".join(current) if isinstance(current, list) else current
        variables.append(f'<span class="var"><span class="vname">{esc(var.get("label") or var["name"])}</span>'
                         f'<span class="vval">{esc(value)}</span></span>')
    minutes = round(range_seconds / 60, 1)
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{esc(title)}</title><style>
body {{ margin:0; background:{BG}; color:{TEXT}; font-family:{FONT}; width:{PAGE_WIDTH}px; height:{height}px;
       position:relative; overflow:hidden; }}
.top {{ position:absolute; left:{PAD}px; right:{PAD}px; top:8px; height:30px; display:flex; align-items:center;
        justify-content:space-between; }}
.crumb {{ font-size:16px; }} .crumb .dim {{ color:{TEXT_DIM}; }}
.range {{ font-size:12px; border:1px solid {BORDER}; border-radius:2px; padding:4px 10px; background:{PANEL_BG}; }}
.vars {{ position:absolute; left:{PAD}px; top:44px; display:flex; gap:8px; font-size:12px; }}
.var {{ display:flex; border:1px solid {BORDER}; border-radius:2px; }}
.vname {{ background:#22252b; padding:3px 8px; color:#6e9fff; }} .vval {{ padding:3px 8px; background:{PANEL_BG}; }}
.panel {{ position:absolute; background:{PANEL_BG}; border:1px solid {BORDER}; border-radius:2px;
          box-sizing:border-box; overflow:hidden; }}
.panel .title {{ height:30px; line-height:30px; padding:0 8px; font-size:13px; font-weight:500;
                 white-space:nowrap; overflow:hidden; }}
.panel svg {{ position:absolute; left:8px; top:30px; }}
.caption {{ position:absolute; left:{PAD}px; right:{PAD}px; bottom:8px; font-size:12px; color:{TEXT_DIM};
            text-align:center; }}
</style></head><body>
<div class="top"><div class="crumb"><span class="dim">Dashboards / </span>{esc(title)}</div>
<div class="range">Last {minutes:g} minutes · step 5s · {esc(when)}</div></div>
<div class="vars">{"".join(variables)}</div>
{"".join(panels_html)}
<div class="caption">{esc(CAPTION)}</div>
</body></html>
"""


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def screenshot(chromium, html_path, png_path, height):
    with tempfile.TemporaryDirectory(prefix="render-chromium.") as profile:
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--force-device-scale-factor=1", f"--user-data-dir={profile}", "--hide-scrollbars",
               f"--window-size={PAGE_WIDTH},{height}", f"--screenshot={png_path}", html_path.resolve().as_uri()]
        done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120, text=True)
        if done.returncode != 0 or not png_path.exists():
            raise RuntimeError(f"chromium failed ({done.returncode}): {done.stdout[-2000:]}")


def render(path, args, chromium):
    dashboard = obs.load(path)
    values_by_var = obs.variable_values(dashboard, {"__interval": f"{args.step}s"})
    end = math.floor(time.time() / args.step) * args.step
    prom = Prometheus(args.prometheus, end - args.range_seconds, end, args.step)
    panels = main_panels(dashboard)
    html_parts, empty = [], []
    for panel in panels:
        try:
            series, error = prom.fetch(panel, values_by_var), None
        except RuntimeError as e:
            series, error = [], str(e)
        if error or not series:
            empty.append(panel.get("title"))
        html_parts.append(draw_panel(panel, series, prom.times, error))
    rows = max(p["gridPos"]["y"] + p["gridPos"]["h"] for p in panels)
    height = HEADER_HEIGHT + rows * (ROW_UNIT + GAP) + CAPTION_HEIGHT
    name = Path(path).stem
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    html_dir = Path(args.html_dir)
    html_dir.mkdir(parents=True, exist_ok=True)
    html_path = html_dir / f"{name}.html"
    html_path.write_text(render_page(dashboard, html_parts, height, args.range_seconds),
                         encoding="utf-8")
    line = f"{name}: {len(panels)} panels"
    if empty:
        line += f", without data: {', '.join(empty)}"
    if args.html_only:
        line += f" -> {html_path}"
    else:
        png = out / f"{name}.png"
        screenshot(chromium, html_path, png, height)
        line += f" -> {png} ({png.stat().st_size // 1024} KB)"
    print(line, flush=True)
    return not empty


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prometheus", required=True, help="base URL of Prometheus, e.g. http://127.0.0.1:9090")
    parser.add_argument("--range-seconds", type=int, default=240, help="time range of the graphs (default 240)")
    parser.add_argument("--step", type=int, default=5, help="query_range step in seconds (default 5)")
    parser.add_argument("--out-dir", default="dashboards/screenshots", help="where NAME.png (and .html) go")
    parser.add_argument("--html-dir", help="where NAME.html goes (default: --out-dir with --html-only, else a "
                                           "temporary directory removed at the end)")
    parser.add_argument("--html-only", action="store_true", help="write the HTML pages, no Chromium screenshot")
    parser.add_argument("dashboards", nargs="+")
    args = parser.parse_args(argv)
    chromium = None
    if not args.html_only:
        chromium = find_chromium()
        if not chromium:
            print("chromium not found (Debian: apt-get install chromium), or use --html-only", file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory(prefix="render-dashboards.") as scratch:
        if not args.html_dir:
            args.html_dir = args.out_dir if args.html_only else scratch
        all_have_data = True
        for path in args.dashboards:
            all_have_data &= render(path, args, chromium)
    return 0 if all_have_data else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
