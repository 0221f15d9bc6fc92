"""Figures of the purchase model: one customer's P(alive) over time, cumulative tracking of
calibration and holdout, and the frequency-recency matrix (plain Plotly dicts, see
:mod:`valuecrm.interfaces.web.charts`)."""

from __future__ import annotations

from typing import Any

from valuecrm.interfaces.web.charts import PALETTE, Figure, axis, heatmap, layout
from valuecrm.interfaces.web.i18n import Translator


def _date_axis(t: Translator) -> dict[str, Any]:
    return {"type": "date", "tickformat": "%Y年%-m月" if t.zh else "%b %Y",
            "hoverformat": "%Y年%-m月%-d日" if t.zh else "%b %-d, %Y"}


def _marker_line(x: str, label: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A dashed vertical line at date ``x`` and its label."""
    shape = {"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": 1,
             "line": {"color": "#6b7280", "dash": "dash", "width": 1}}
    note = {"x": x, "y": 1, "xref": "x", "yref": "paper", "text": label, "showarrow": False,
            "xanchor": "left", "yanchor": "top", "font": {"size": 11, "color": "#374151"}}
    return shape, note


def palive_over_time(history: dict[str, list[Any]], t: Translator) -> Figure:
    """P(alive) day by day as a line, with the purchase days marked."""
    dates, values = history["dates"], history["p_alive"]
    bought = [(d, v) for d, v, b in zip(dates, values, history["purchase"], strict=True) if b]
    line = {"type": "scatter", "mode": "lines", "name": "P(alive)", "x": dates, "y": values,
            "line": {"color": PALETTE[0]},
            "hovertemplate": "%{x}<br>P(alive) %{y:.3f}<extra></extra>"}
    marks = {"type": "scatter", "mode": "markers", "name": t("purchase"),
             "x": [d for d, _ in bought], "y": [v for _, v in bought],
             "marker": {"color": PALETTE[1], "size": 8},
             "hovertemplate": "%{x}<br>" + t("purchase") + "<extra></extra>"}
    return {"data": [line, marks], "layout": layout(
        height=280, showlegend=True, legend={"orientation": "h"}, xaxis=_date_axis(t),
        yaxis=axis("P(alive)", range=[0, 1.02], tickformat=".1f"))}


def tracking(found: dict[str, Any], t: Translator) -> Figure:
    """Actual and expected cumulative repeat purchases, the holdout's start marked."""
    data = [{"type": "scatter", "mode": "lines", "name": t("actual_cumulative"),
             "x": found["dates"], "y": found["actual"], "line": {"color": PALETTE[0]}},
            {"type": "scatter", "mode": "lines", "name": t("expected_cumulative"),
             "x": found["dates"], "y": found["expected"],
             "line": {"color": PALETTE[2], "dash": "dot"}}]
    shape, note = _marker_line(found["calibration_end"], t("holdout_starts"))
    return {"data": data, "layout": layout(
        height=340, showlegend=True, legend={"orientation": "h"}, xaxis=_date_axis(t),
        yaxis=axis(t("cumulative_repeat_purchases")), shapes=[shape], annotations=[note])}


def holdout_tracking(curves: dict[str, Any], t: Translator) -> Figure:
    """Week by week over the holdout: actual and each compared model's expected cumulative
    repeat purchases (stored by the model choice)."""
    data = [{"type": "scatter", "mode": "lines", "name": t("actual_cumulative"),
             "x": curves["weeks"], "y": curves["actual"], "line": {"color": PALETTE[0]}}]
    for i, (name, values) in enumerate(curves["expected"].items()):
        data.append({"type": "scatter", "mode": "lines", "name": name, "x": curves["weeks"],
                     "y": values, "line": {"color": PALETTE[(i + 1) % len(PALETTE)],
                                           "dash": "dot"}})
    return {"data": data, "layout": layout(
        height=340, showlegend=True, legend={"orientation": "h"},
        xaxis=axis(t("holdout_week")), yaxis=axis(t("cumulative_repeat_purchases")))}


def frequency_recency(found: dict[str, Any], t: Translator) -> Figure:
    """Expected purchases over the horizon per repeat frequency (rows) and recency (columns)."""
    figure = heatmap([t.number(r) for r in found["recency_weeks"]],
                     [str(f) for f in found["frequencies"]], found["expected"],
                     x_title=t("recency_since_first"), y_title=t("frequency"),
                     colorscale="Viridis", text_format="%{z:.1f}", height=460)
    cells = len(found["recency_weeks"]) * len(found["frequencies"])
    figure["data"][0]["texttemplate"] = "%{z:.1f}" if cells <= 160 else ""
    return figure
