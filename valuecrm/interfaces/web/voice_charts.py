"""The charts of the "Voice of the customer / 客户之声" page as plain Plotly dicts: a trend
with its confidence band, estimates with interval whiskers, and the importance-performance map
with its four quadrants labelled."""

from __future__ import annotations

from typing import Any

from valuecrm.interfaces.web.charts import PALETTE, Figure, axis, layout

BAND = "rgba(37, 99, 235, 0.15)"


def trend_with_band(x: list[str], value: list[float], lower: list[float], upper: list[float],
                    *, value_title: str, band_name: str, hover: list[str]) -> Figure:
    """A line of estimates over periods, with the band of their intervals shaded."""
    return {"data": [
        {"type": "scatter", "x": x, "y": upper, "mode": "lines", "line": {"width": 0},
         "hoverinfo": "skip", "showlegend": False},
        {"type": "scatter", "x": x, "y": lower, "mode": "lines", "line": {"width": 0},
         "fill": "tonexty", "fillcolor": BAND, "name": band_name, "hoverinfo": "skip"},
        {"type": "scatter", "x": x, "y": value, "mode": "lines+markers", "name": value_title,
         "line": {"color": PALETTE[0]}, "text": hover,
         "hovertemplate": "%{x}: %{y:.1f}<br>%{text}<extra></extra>"},
    ], "layout": layout(xaxis={"automargin": True, "type": "category"},
                        yaxis=axis(value_title, zeroline=True, zerolinecolor="#94a3b8"),
                        showlegend=True,
                        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"})}


def estimates_with_intervals(labels: list[str], value: list[float], lower: list[float],
                             upper: list[float], *, value_title: str,
                             value_range: list[float] | None = None,
                             hover: list[str] | None = None) -> Figure:
    """One horizontal bar per label with its interval as a whisker."""
    trace = {"type": "bar", "orientation": "h", "x": value, "y": labels,
             "marker": {"color": PALETTE[0]},
             "error_x": {"type": "data", "symmetric": False,
                         "array": [u - v for u, v in zip(upper, value, strict=True)],
                         "arrayminus": [v - lo for v, lo in zip(value, lower, strict=True)],
                         "color": "#334155", "thickness": 1.5, "width": 4},
             "text": hover or labels, "textposition": "none",
             "hovertemplate": "%{y}: %{x:.1f}<br>%{text}<extra></extra>"}
    xaxis = axis(value_title, zeroline=True, zerolinecolor="#94a3b8")
    if value_range:
        xaxis["range"] = value_range
    return {"data": [trace], "layout": layout(
        xaxis=xaxis, yaxis={"automargin": True, "autorange": "reversed"},
        height=max(220, 40 + 32 * len(labels)))}


def importance_performance(points: list[dict[str, Any]], cuts: dict[str, float],
                           quadrant_names: dict[str, str], *, importance_title: str,
                           performance_title: str) -> Figure:
    """The IPMA: performance (x) against importance (y), one labelled point per driver, the
    crosshairs at the cuts and each quadrant's name in its corner. ``points``: label,
    importance, performance, quadrant (its shown name)."""
    xs = [p["performance"] for p in points]
    ys = [p["importance"] for p in points]
    x_pad = max(2.0, (max(xs) - min(xs)) * 0.3)
    y_pad = max(0.02, (max(ys) - min(ys)) * 0.35)  # room for the quadrant names
    x_range = [min(min(xs), cuts["performance"]) - x_pad, max(max(xs), cuts["performance"]) + x_pad]
    y_range = [min(min(ys), cuts["importance"]) - y_pad, max(max(ys), cuts["importance"]) + y_pad]
    trace = {"type": "scatter", "mode": "markers+text", "x": xs, "y": ys,
             "text": [p["label"] for p in points], "textposition": "top center",
             "marker": {"size": 11, "color": PALETTE[0]},
             "customdata": [p["quadrant"] for p in points],
             "hovertemplate": "%{text}<br>%{customdata}<br>" + performance_title
                              + " %{x:.1f}, " + importance_title + " %{y:.3f}<extra></extra>"}
    line = {"color": "#94a3b8", "dash": "dot", "width": 1}
    shapes = [{"type": "line", "x0": cuts["performance"], "x1": cuts["performance"],
               "y0": y_range[0], "y1": y_range[1], "line": line},
              {"type": "line", "x0": x_range[0], "x1": x_range[1], "y0": cuts["importance"],
               "y1": cuts["importance"], "line": line}]
    corners = {"keep up the good work": (x_range[1], y_range[1], "right", "top"),
               "concentrate here": (x_range[0], y_range[1], "left", "top"),
               "low priority": (x_range[0], y_range[0], "left", "bottom"),
               "possible overkill": (x_range[1], y_range[0], "right", "bottom")}
    annotations = [{"x": x, "y": y, "xanchor": xa, "yanchor": ya, "showarrow": False,
                    "text": f"<b>{quadrant_names[name]}</b>", "font": {"color": "#475569"},
                    "bgcolor": "rgba(255,255,255,0.7)"}
                   for name, (x, y, xa, ya) in corners.items()]
    return {"data": [trace], "layout": layout(
        xaxis=axis(performance_title, range=x_range, zeroline=False),
        yaxis=axis(importance_title, range=y_range, zeroline=False),
        shapes=shapes, annotations=annotations, height=420)}
