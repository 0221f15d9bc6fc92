"""The recovery and journey sections of the "Voice of the customer / 客户之声" page: the figures
of :mod:`valuecrm.views.voice_service` (the same answers as ``valuecrm voice recovery`` and
``valuecrm voice journey``) as Plotly charts, every label through ``t``."""

from __future__ import annotations

from typing import Any

from valuecrm.interfaces.web import charts
from valuecrm.interfaces.web.i18n import Translator
from valuecrm.store.database import Database
from valuecrm.views.voice_service import journey, recovery

GROUP_COLORS = {"success": charts.PALETTE[1], "failure": charts.PALETTE[3],
                "no_complaint": charts.PALETTE[9]}


def _error_bars(values: list[dict[str, Any]], key: str) -> dict[str, Any]:
    return {"type": "data", "symmetric": False,
            "array": [(v["upper"] - v[key]) if v.get("upper") is not None else 0
                      for v in values],
            "arrayminus": [(v[key] - v["lower"]) if v.get("lower") is not None else 0
                           for v in values]}


def recovery_figures(found: dict[str, Any], t: Translator) -> dict[str, charts.Figure]:
    """Complaint trend, justice effects and retention by group (empty without complaints)."""
    figures: dict[str, charts.Figure] = {}
    months = [m for m in found["rates"].get("by_month", []) if m["orders"]]
    if months and not found["rates"].get("missing"):
        figures["svc_trend"] = charts.lines([m["month"] for m in months], {
            t("svc_per_100_orders"): [m["per_100_orders"] for m in months]})
    terms = [c for c in found["justice"].get("coefficients", []) if c["term"] != "intercept"]
    if terms:
        trace = {"type": "bar", "orientation": "h", "y": [t(c["term"]) for c in terms],
                 "x": [c["coefficient"] for c in terms], "error_x": _error_bars(terms,
                                                                                 "coefficient"),
                 "marker": {"color": charts.PALETTE[0]},
                 "hovertemplate": "%{y}: %{x:.3f}<extra></extra>"}
        figures["svc_justice"] = {"data": [trace], "layout": charts.layout(
            height=260, xaxis=charts.axis(t("svc_effect")),
            yaxis={"automargin": True, "autorange": "reversed"})}
    groups = found["retention"].get("groups")
    if groups:
        shown = [(name, g) for name, g in groups.items() if g["n"]]
        trace = {"type": "bar", "x": [t(f"group_{name}") for name, _ in shown],
                 "y": [g["share"] for _, g in shown],
                 "error_y": _error_bars([g for _, g in shown], "share"),
                 "marker": {"color": [GROUP_COLORS[name] for name, _ in shown]},
                 "customdata": [g["n"] for _, g in shown],
                 "hovertemplate": "%{x}: %{y:.1%} (n = %{customdata:,})<extra></extra>"}
        figures["svc_retention"] = {"data": [trace], "layout": charts.layout(
            yaxis=charts.axis(t("svc_retention", days=found["retention"]["days"]),
                              tickformat=".0%", range=[0, 1]))}
    return figures


def journey_figures(found: dict[str, Any], t: Translator) -> dict[str, charts.Figure]:
    """Stage mix before / after the first order, channels, cost per contact, the funnel and the
    complaint stages (empty parts are left out)."""
    figures: dict[str, charts.Figure] = {}
    mix = found["mix"]
    if not mix.get("missing"):
        stages = [r["stage"] for r in mix["by_stage"]]
        series = {}
        for phase, key in (("before_first_order", "svc_before"),
                           ("after_first_order", "svc_after")):
            counts = {r["stage"]: r["contacts"] for r in mix["phases"][phase]["by_stage"]}
            series[t(key)] = [counts.get(s, 0) for s in stages]
        figure = charts.grouped_bars([t.enum(s) for s in stages], series, t("svc_contacts"))
        figure["layout"]["barmode"] = "stack"
        figures["svc_stages"] = figure
        figures["svc_channels"] = charts.donut([t.enum(r["channel"]) for r in mix["by_channel"]],
                                               [r["contacts"] for r in mix["by_channel"]])
        figures["svc_cost_stage"] = charts.bars(
            [t.enum(s) for s in stages], [r["cost_per_contact"] for r in mix["by_stage"]], t,
            value_title=t("svc_cost"))
    steps = found["funnel"].get("steps") or []
    if steps:
        trace = {"type": "funnel", "y": [t(f"step_{s['step']}") for s in steps],
                 "x": [s["customers"] for s in steps], "textinfo": "value+percent initial",
                 "marker": {"color": charts.PALETTE[0]}}
        figures["svc_funnel"] = {"data": [trace], "layout": charts.layout(
            yaxis={"automargin": True}, margin={"l": 110, "r": 16, "t": 16, "b": 32})}
    placed = found["complaints"].get("by_stage") or []
    if placed:
        trace = {"type": "bar", "x": [t.enum(r["stage"]) if r["stage"] not in
                                      ("unplaced", "unknown") else t(r["stage"])
                                      for r in placed],
                 "y": [r["share"] for r in placed], "error_y": _error_bars(placed, "share"),
                 "marker": {"color": charts.PALETTE[3]},
                 "customdata": [r["complaints"] for r in placed],
                 "hovertemplate": "%{x}: %{y:.1%} (%{customdata:,})<extra></extra>"}
        figures["svc_complaint_stages"] = {"data": [trace], "layout": charts.layout(
            yaxis=charts.axis(t("share"), tickformat=".0%"), xaxis={"automargin": True})}
    return figures


def recovery_section(page: Any, database: Database) -> dict[str, Any]:
    """The context of ``templates/voice/_recovery.html``: the recovery view and its charts
    (ids start with ``svc_``, so they merge into the page's ``figures``)."""
    found = recovery(database)
    return {"recovery": found, "figures": recovery_figures(found, page.t)}


def journey_section(page: Any, database: Database) -> dict[str, Any]:
    """The context of ``templates/voice/_journey.html``: the journey view and its charts."""
    found = journey(database)
    return {"journey": found, "figures": journey_figures(found, page.t)}
