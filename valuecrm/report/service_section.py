"""The report's "Complaints and service recovery / 投诉与服务补救" and "Touchpoints and the journey
/ 接触点与客户旅程" sections: the figures of :mod:`valuecrm.views.voice_service`, the same as
``valuecrm voice recovery`` and ``valuecrm voice journey`` and the dashboard. Each is left out
when its table is empty (no complaints, no interactions)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from valuecrm.report.html import Report
from valuecrm.views.voice_service import journey, recovery


def _number(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def recovery_section(report: Report, database: Any, *, source: str,
                     days: int = 90, success_threshold: float = 5.0) -> bool:
    """Complaint rate, resolution, justice effects and retention; False without complaints."""
    import plotly.graph_objects as go

    found = recovery(database, days=days, success_threshold=success_threshold)
    rates, res = found["rates"], found["resolution"]
    if rates.get("missing"):
        return False
    t = report.t
    sat = res["satisfaction_after"]
    section = report.section(
        t("svc_recovery_title"), source=source,
        intro=t("svc_recovery_intro", complaints=f"{rates['complaints']:,}",
                complainers=f"{rates['complainers']:,}",
                rate=_number((rates["per_100_orders"] or {}).get("rate_per_100"), 2),
                hours=_number(res["hours"]["median"]),
                sat=_number(sat["mean"], 2) if sat else "–"),
        method=t("svc_recovery_method", days=days, threshold=f"{success_threshold:g}"))
    terms = found["justice"].get("coefficients") or []
    if terms:
        shown = [c for c in terms if c["term"] != "intercept"]
        figure = go.Figure(go.Bar(
            y=[t(c["term"]) for c in shown], x=[c["coefficient"] for c in shown],
            orientation="h", error_x={"type": "data", "symmetric": False,
                                      "array": [c["upper"] - c["coefficient"] for c in shown],
                                      "arrayminus": [c["coefficient"] - c["lower"]
                                                     for c in shown]}))
        figure.update_layout(title=t("svc_justice_chart"), yaxis={"autorange": "reversed"})
        section.add_chart(figure, height=300)
        section.add_table(pd.DataFrame({
            t("svc_term"): [t(c["term"]) for c in terms],
            t("svc_coefficient"): [c["coefficient"] for c in terms],
            t("svc_lower"): [c["lower"] for c in terms],
            t("svc_upper"): [c["upper"] for c in terms]}))
    groups = found["retention"].get("groups")
    if groups:
        shown = [(name, g) for name, g in groups.items() if g["n"]]
        figure = go.Figure(go.Bar(
            x=[t(f"group_{name}") for name, _ in shown], y=[g["share"] for _, g in shown],
            error_y={"type": "data", "symmetric": False,
                     "array": [g["upper"] - g["share"] for _, g in shown],
                     "arrayminus": [g["share"] - g["lower"] for _, g in shown]}))
        figure.update_layout(title=t("svc_retention_chart", days=days),
                             yaxis={"tickformat": ".0%", "range": [0, 1]})
        section.add_chart(figure, height=320)
        paradox = found["retention"]["paradox"]
        if paradox["difference"] is not None:
            key = ("svc_paradox_supported" if paradox["verdict"] == "supported"
                   else "svc_paradox_not_supported")
            section.add_text(t(key, diff=f"{100 * paradox['difference']:+.1f}",
                               lower=f"{100 * paradox['lower']:+.1f}",
                               upper=f"{100 * paradox['upper']:+.1f}"))
    return True


def journey_section(report: Report, database: Any, *, source: str, days: int = 30) -> bool:
    """Contacts by stage, the funnel and where complaints arise; False without interactions."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    found = journey(database, days=days)
    mix, cost = found["mix"], found["cost"]
    if mix.get("missing"):
        return False
    t = report.t
    per = cost["per_contacting_customer"]
    section = report.section(
        t("svc_journey_title"), source=source,
        intro=t("svc_journey_intro", contacts=f"{mix['contacts']:,}",
                customers=f"{cost['contacting_customers']:,}",
                per=_number(per["contacts"]["mean"]), cost=_number(per["cost"]["mean"], 2)),
        method=t("svc_journey_method", days=days))
    stages = [t(f"stage_{r['stage']}") for r in mix["by_stage"]]
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    figure.add_trace(go.Bar(x=stages, y=[r["contacts"] for r in mix["by_stage"]],
                            name=t("svc_contacts")))
    figure.add_trace(go.Scatter(x=stages, y=[r["cost_per_contact"] for r in mix["by_stage"]],
                                mode="lines+markers", name=t("svc_cost_per_contact")),
                     secondary_y=True)
    figure.update_layout(title=t("svc_stage_chart"), legend={"orientation": "h"})
    section.add_chart(figure, height=340)
    steps = found["funnel"].get("steps") or []
    if steps:
        figure = go.Figure(go.Funnel(y=[t(f"step_{s['step']}") for s in steps],
                                     x=[s["customers"] for s in steps],
                                     textinfo="value+percent initial"))
        figure.update_layout(title=t("svc_funnel_chart"))
        section.add_chart(figure, height=320)
        section.add_text(t("svc_ordered_share", started=f"{found['funnel']['started']:,}",
                           share=f"{found['funnel']['ordered']['share']:.1%}"))
    placed = found["complaints"].get("by_stage") or []
    if placed:
        figure = go.Figure(go.Bar(x=[t(f"stage_{r['stage']}") for r in placed],
                                  y=[r["share"] for r in placed]))
        figure.update_layout(title=t("svc_complaint_chart"), yaxis={"tickformat": ".0%"})
        section.add_chart(figure, height=300)
    return True
