"""The report's "Loyalty programme / 会员忠诚计划" section: liability, breakage and redemption
by cohort, tier mix and moves, members against non-members (selection, not effect), from
:mod:`valuecrm.views.loyalty` (the figures of ``valuecrm loyalty`` and the dashboard's page)
as of the snapshot's day. Left out when the ledger is empty."""

from __future__ import annotations

from typing import Any

import pandas as pd

from valuecrm.report.html import Report
from valuecrm.store.snapshots import Snapshot
from valuecrm.views import loyalty


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def loyalty_section(report: Report, database: Any, snapshot: Snapshot, *, source: str) -> bool:
    """Add the section as of ``snapshot``'s day; False (nothing added) for an empty ledger."""
    day = snapshot.as_of
    overview = loyalty.loyalty_overview(database, as_of=day)
    if overview["empty"] or not overview["liability"]["members"]:
        return False
    t = report.t
    li, rates = overview["liability"], overview["rates"]
    section = report.section(
        t("loyalty_title"), source=source,
        intro=t("loyalty_intro", as_of=day, members=f"{li['members']:,}",
                points=f"{li['outstanding']:,}", value=f"{li['value_per_point']:g}",
                liability=f"{li['liability']:,.2f}"),
        method=t("loyalty_method"))
    cohorts = pd.DataFrame(rates["cohorts"])
    section.add_table(pd.DataFrame({
        "year issued": cohorts["cohort"].astype(str), "issued": cohorts["issued"],
        "redeemed": cohorts["redemption_rate"].map(_pct),
        "expired": cohorts["breakage"].map(_pct),
        "outstanding": cohorts["outstanding_share"].map(_pct)}),
        caption=t("loyalty_cohorts"))
    section.add_text(t("loyalty_rates", closed=rates["closed_cohorts"],
                       redeemed=_pct(rates["redemption_rate_to_date"]),
                       expired=_pct(rates["breakage_to_date"]),
                       settled=_pct(rates["settled_breakage"])))
    moves = loyalty.tier_moves(database, end=day)
    mix = pd.DataFrame(overview["tiers"]["mix"])
    basis = "loyalty_basis_" + overview["tiers"]["basis"]
    section.add_table(pd.DataFrame({"tier": mix["tier"].map(t.value), "members": mix["members"],
                                    "share": mix["share"].map(_pct)}),
                      caption=t("loyalty_tiers", basis=t(basis)))
    section.add_text(t("loyalty_moves", start=moves["from"], end=moves["to"], up=moves["up"],
                       down=moves["down"], joined=moves["joined"]))
    value = loyalty.member_value(database, snapshot.snapshot_id)
    if value.get("groups"):
        groups = pd.DataFrame(value["groups"])
        section.add_table(pd.DataFrame({
            "group": groups["group"].map(lambda g: t(f"loyalty_{g.replace('-', '_')}")),
            "customers": groups["customers"], "mean_clv": groups["mean_clv"].round(1),
            "mean_p_alive": groups["mean_p_alive"].round(3),
            "mean_spend": groups["mean_spend"].round(1)}), caption=t("loyalty_value"))
        section.add_text(t("loyalty_selection"))
    return True
