"""The report's "Where valuable customers come from / 有价值的客户从哪里来" section: value per
acquisition source and referral value (:mod:`valuecrm.views.acquisition`, the same figures as
``valuecrm acquisition``, ``valuecrm referrals`` and the dashboard's "Who they are" page)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from valuecrm.report.html import Figure, Report
from valuecrm.views.acquisition import acquisition_sources, referral_summary

# sources tried in turn: the first with two groups or more is shown
SHOWN = ("signup_channel", "first_category", "referred")


def _sources(database: Any, snapshot_id: int) -> dict[str, Any] | None:
    for by in SHOWN:
        found = acquisition_sources(database, by, snapshot=snapshot_id, top=12)
        if len(found["items"]) >= 2:
            return found
    return None


def acquisition_section(report: Report, database: Any, snapshot_id: int, *,
                        source: str) -> bool:
    """Add the section for the first of :data:`SHOWN` with two sources or more, and the
    referral value (or why there is none); False (nothing added) when no source has two
    groups and no referral is recorded."""
    import plotly.graph_objects as go

    t = report.t
    found = _sources(database, snapshot_id)
    referrals = referral_summary(database, snapshot=snapshot_id)
    if found is None and referrals["empty"]:
        return False
    section = report.section(t("acq_title"), source=source, intro=t("acq_intro"),
                             method=t("acq_method"))
    if found is not None:
        by = t(f"acq_by_{found['by']}")
        items = pd.DataFrame(found["items"])
        for column in ("mean_clv", "mean_clv_lower", "mean_clv_upper", "total_clv",
                       "mean_p_alive", "mean_margin"):  # None (no value yet) as NaN
            if column in items:
                items[column] = pd.to_numeric(items[column], errors="coerce")
        names = items["source"].map(t.value)
        figure = go.Figure(go.Bar(
            x=names, y=items["mean_clv"], name=t("mean_clv"),
            error_y={"type": "data", "array": items["mean_clv_upper"] - items["mean_clv"],
                     "arrayminus": items["mean_clv"] - items["mean_clv_lower"]}))
        figure.update_layout(title=t("acq_chart", by=by), xaxis={"type": "category"})
        section.add_chart(figure, height=340)
        table = pd.DataFrame({
            t("acq_source", by=by): names, t("acq_customers"): items["customers"],
            t("acq_share"): items["share"].map("{:.1%}".format),
            t("mean_clv"): items["mean_clv"].round(1),
            t("acq_interval"): [f"{lo:,.1f} – {hi:,.1f}" if lo == lo else "–" for lo, hi in
                                zip(items["mean_clv_lower"], items["mean_clv_upper"],
                                    strict=True)],
            t("acq_total_clv"): items["total_clv"].round(0),
            t("acq_equity_share"): items["equity_share"].map(
                lambda v: "–" if v is None or v != v else f"{v:.1%}"),
            t("acq_p_alive"): items["mean_p_alive"].round(3)})
        if found["margin_known"]:
            table[t("acq_margin")] = items["mean_margin"].round(1)
        section.add_table(table, caption=t("acq_caption", by=by))
        for test in found["tests"]:
            if test["statistic"] is not None:
                section.add_text(t("profile_test", measure=t(f"acq_measure_{test['measure']}"),
                                   method=t("profile_kw"), statistic=f"{test['statistic']:.2f}",
                                   df=test["df"], p=f"{test['p_value']:.3g}", effect="ε²",
                                   size=f"{test['effect_size']:.4f}"))
    if referrals["empty"]:
        section.add_text(t("ref_none", as_of=referrals["as_of"]))
        return True
    section.figures += [
        Figure(t("ref_referrals"), f"{referrals['referrals']:,} / {referrals['converted']:,}"),
        Figure(t("ref_rewards"), f"{referrals['rewards']:,.0f}"),
        Figure(t("ref_referred_clv"), f"{referrals['referred_clv']:,.0f}",
               t("ref_share", share=f"{referrals['referred_equity_share']:.1%}")),
        Figure(t("ref_crv"), f"{referrals['crv']:,.0f}", t("ref_crv_how")),
        Figure(t("equity"), f"{referrals['equity']:,.0f}", t("equity_how")),
        Figure(t("equity_with_referrals"), f"{referrals['equity_with_referrals']:,.0f}",
               t("ref_twice")),
    ]
    return True
