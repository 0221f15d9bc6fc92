"""Plotly figures of the dashboard as plain dicts (``{"data": [...], "layout": {...}}``).

The page embeds each figure as JSON and ``static/dashboard.js`` draws it with the Plotly script
served from the installed ``plotly`` package. Every title and label comes in through ``t`` (a
:class:`~valuecrm.interfaces.web.i18n.Translator`), so a zh-CN page shows no English.
"""

from __future__ import annotations

from typing import Any

from valuecrm.interfaces.web.i18n import Translator

Figure = dict[str, Any]
PALETTE = ["#2563eb", "#16a34a", "#f59e0b", "#dc2626", "#7c3aed", "#0891b2", "#db2777",
           "#65a30d", "#ea580c", "#475569", "#a16207"]


def layout(**extra: Any) -> dict[str, Any]:
    base = {"margin": {"l": 56, "r": 16, "t": 16, "b": 48}, "height": 340,
            "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
            "font": {"family": "system-ui, -apple-system, 'PingFang SC', 'Noto Sans CJK SC', "
                               "'Microsoft YaHei', sans-serif", "size": 12},
            "separators": ".,", "showlegend": False}
    base.update(extra)
    return base


def axis(title: str, **extra: Any) -> dict[str, Any]:
    return {"title": {"text": title}, "automargin": True, "tickformat": ",~r",
            "gridcolor": "#e5e7eb", **extra}


def bars(labels: list[str], values: list[float], t: Translator, *, value_title: str,
         horizontal: bool = False, colors: list[str] | None = None) -> Figure:
    """One bar per label."""
    trace: dict[str, Any] = {"type": "bar", "marker": {"color": colors or PALETTE[0]},
                             "hovertemplate": "%{label}: %{value:,}<extra></extra>"}
    if horizontal:
        trace.update(x=values, y=labels, orientation="h")
        return {"data": [trace], "layout": layout(
            xaxis=axis(value_title), yaxis={"automargin": True, "autorange": "reversed"})}
    trace.update(x=labels, y=values)
    return {"data": [trace], "layout": layout(xaxis={"automargin": True},
                                              yaxis=axis(value_title))}


def histogram(bins: list[dict[str, Any]], t: Translator) -> Figure:
    """CLV distribution from precomputed bins."""
    centres = [(b["from"] + b["to"]) / 2 for b in bins]
    widths = [b["to"] - b["from"] for b in bins]
    trace = {"type": "bar", "x": centres, "y": [b["customers"] for b in bins], "width": widths,
             "marker": {"color": PALETTE[0]},
             "hovertemplate": "%{x:,.0f}: %{y:,}<extra></extra>"}
    return {"data": [trace], "layout": layout(xaxis=axis(t("clv")), yaxis=axis(t("count")),
                                              bargap=0.05)}


def donut(labels: list[str], values: list[float]) -> Figure:
    trace = {"type": "pie", "labels": labels, "values": values, "hole": 0.5, "sort": False,
             "marker": {"colors": PALETTE}, "textinfo": "percent",
             "hovertemplate": "%{label}: %{value:,}<extra></extra>"}
    return {"data": [trace], "layout": layout(showlegend=True, legend={"orientation": "h"},
                                              margin={"l": 8, "r": 8, "t": 8, "b": 8})}


def lines(x: list[str], series: dict[str, list[float]]) -> Figure:
    data = [{"type": "scatter", "mode": "lines+markers", "name": name, "x": x, "y": values,
             "line": {"color": PALETTE[i]}} for i, (name, values) in enumerate(series.items())]
    return {"data": data, "layout": layout(showlegend=True, legend={"orientation": "h"},
                                           yaxis=axis(""), xaxis={"type": "category"})}


def rf_heatmap(grid: list[dict[str, Any]], t: Translator) -> Figure:
    """Customers per (R, F) cell as colour, the count and mean spend written in each cell."""
    r_values = sorted({g["r_score"] for g in grid})
    f_values = sorted({g["f_score"] for g in grid})
    cell = {(g["r_score"], g["f_score"]): g for g in grid}
    z, text = [], []
    for f in f_values:
        z.append([cell.get((r, f), {}).get("customers") for r in r_values])
        text.append([_rf_text(cell.get((r, f)), t) for r in r_values])
    trace = {"type": "heatmap", "x": [str(r) for r in r_values], "y": [str(f) for f in f_values],
             "z": z, "text": text, "texttemplate": "%{text}", "colorscale": "Blues",
             "reversescale": True,
             "hovertemplate": "R %{x}, F %{y}<br>%{text}<extra></extra>", "showscale": False}
    return {"data": [trace], "layout": layout(
        height=380, xaxis={"title": {"text": t("r_score")}, "type": "category"},
        yaxis={"title": {"text": t("f_score")}, "type": "category"})}


def _rf_text(cell: dict[str, Any] | None, t: Translator) -> str:
    if not cell:
        return ""
    return f"{t.number(cell['customers'])}<br>{t.number(cell['monetary'], 1)}"


def treemap(labels: list[str], values: list[int], t: Translator) -> Figure:
    trace = {"type": "treemap", "labels": labels, "parents": [""] * len(labels),
             "values": values, "textinfo": "label+value+percent root",
             "marker": {"colors": PALETTE * 2},
             "hovertemplate": "%{label}: %{value:,}<extra></extra>"}
    return {"data": [trace], "layout": layout(height=380, margin={"l": 4, "r": 4, "t": 4,
                                                                  "b": 4})}


def value_matrix(points: list[dict[str, Any]], cuts: dict[str, Any], t: Translator,
                 quadrants: list[tuple[str, str]], margin_known: bool = True) -> Figure:
    """Current value against growth potential, one colour per quadrant, the cuts as lines
    (current value is labelled as revenue when no cost is known)."""
    data = []
    for i, (key, name) in enumerate(quadrants):
        mine = [p for p in points if p["quadrant"] == key]
        data.append({"type": "scattergl", "mode": "markers", "name": name,
                     "x": [p["current_value"] for p in mine],
                     "y": [p["growth_potential"] for p in mine],
                     "marker": {"size": 5, "opacity": 0.6, "color": PALETTE[i]},
                     "hovertemplate": "%{x:,.1f} / %{y:,.1f}<extra>" + name + "</extra>"})
    shapes = []
    if cuts.get("value") is not None:
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": cuts["value"],
                       "x1": cuts["value"], "y0": 0, "y1": 1,
                       "line": {"dash": "dot", "color": "#6b7280"}})
    if cuts.get("growth") is not None:
        shapes.append({"type": "line", "xref": "paper", "yref": "y", "y0": cuts["growth"],
                       "y1": cuts["growth"], "x0": 0, "x1": 1,
                       "line": {"dash": "dot", "color": "#6b7280"}})
    return {"data": data, "layout": layout(
        height=420, showlegend=True, legend={"orientation": "h", "y": -0.2}, shapes=shapes,
        xaxis=axis(t("current_value" if margin_known else "current_value_revenue"),
                   range=_range([p["current_value"] for p in points])),
        yaxis=axis(t("growth_potential"), range=_range([p["growth_potential"] for p in points])))}


def _range(values: list[Any]) -> list[float] | None:
    """An axis range from the 1st to the 99th percentile (a few outliers would squash the rest);
    zoom out in the chart to see them."""
    finite = sorted(v for v in values if v is not None)
    if len(finite) < 10:
        return None
    low, high = finite[len(finite) // 100], finite[-(len(finite) // 100) - 1]
    low = min(low, 0.0)
    pad = (high - low) * 0.05 or 1.0
    return [low - pad, high + pad]


def pyramid(labels: list[str], values: list[int]) -> Figure:
    trace = {"type": "funnel", "y": labels, "x": values,
             "texttemplate": "%{x:,}<br>%{percentTotal:.0%}",
             "marker": {"color": PALETTE[:len(labels)]},
             "hovertemplate": "%{y}: %{x:,}<extra></extra>"}
    return {"data": [trace], "layout": layout(yaxis={"automargin": True})}


def heatmap(x: list[str], y: list[str], z: list[list[Any]], *, x_title: str, y_title: str,
            colorscale: str = "Blues", text_format: str = "%{z:,}", height: int = 420) -> Figure:
    trace = {"type": "heatmap", "x": x, "y": y, "z": z, "colorscale": colorscale,
             "reversescale": colorscale == "Blues", "texttemplate": text_format, "showscale": False,
             "hovertemplate": "%{y} → %{x}: " + text_format + "<extra></extra>"}
    return {"data": [trace], "layout": layout(
        height=height, xaxis={"title": {"text": x_title}, "type": "category", "automargin": True},
        yaxis={"title": {"text": y_title}, "type": "category", "automargin": True})}


def timeline(dates: list[str], amounts: list[float], statuses: list[str],
             t: Translator) -> Figure:
    trace = {"type": "scatter", "mode": "markers", "x": dates, "y": amounts, "text": statuses,
             "marker": {"color": PALETTE[0], "size": 9, "opacity": 0.8}}
    date_format = "%Y年%-m月%-d日" if t.zh else "%b %-d, %Y"
    trace["xhoverformat"] = date_format
    trace["hovertemplate"] = "%{x}<br>%{y:,.2f} %{text}<extra></extra>"
    xaxis = {"type": "date", "tickformat": "%Y年%-m月" if t.zh else "%b %Y",
             "hoverformat": date_format}
    return {"data": [trace], "layout": layout(height=280, xaxis=xaxis,
                                              yaxis=axis(t("amount")))}


def grouped_bars(categories: list[str], series: dict[str, list[float]],
                 value_title: str) -> Figure:
    data = [{"type": "bar", "name": name, "x": categories, "y": values,
             "marker": {"color": PALETTE[i]}}
            for i, (name, values) in enumerate(series.items())]
    return {"data": data, "layout": layout(barmode="group", showlegend=True,
                                           legend={"orientation": "h"},
                                           yaxis=axis(value_title))}


def stacked_shares(categories: list[str], series: dict[str, list[float]],
                   value_title: str) -> Figure:
    """One stacked bar per category: the shares of each series (adding up to 1)."""
    data = [{"type": "bar", "name": name, "x": categories, "y": values,
             "marker": {"color": PALETTE[i % len(PALETTE)]},
             "hovertemplate": "%{x}, " + name + ": %{y:.1%}<extra></extra>"}
            for i, (name, values) in enumerate(series.items())]
    return {"data": data, "layout": layout(barmode="stack", showlegend=True,
                                           legend={"orientation": "h"},
                                           yaxis=axis(value_title, tickformat=".0%"))}
