"""Report section: the retention and win-back lists of a snapshot (``valuecrm.actions``).

What a manager acts on: who to keep (valuable customers slipping away, ranked by the value at
risk) and who to win back (lost and lapsed customers, ranked by what winning them back is
worth), each grouped by the likely reason, with the first rows of each list. Names and contact
details stay out of the report; ``valuecrm actions retention|winback --out FILE`` exports the
full lists with them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from valuecrm.actions import retention_list, winback_list
from valuecrm.analysis import get_snapshot
from valuecrm.errors import DataError
from valuecrm.report.html import Figure, Report, Section
from valuecrm.report.words import ReportWords

SHOWN_ROWS = 15


def actions_section(report: Report, database: Any, snapshot_id: int, *, source: str) -> None:
    """Add the retention and win-back lists of snapshot ``snapshot_id``."""
    t = report.t
    section = report.section(t("actions_title"), intro=t("actions_intro"),
                             method=t("actions_method"), source=source)
    try:
        retention = retention_list(database, snapshot_id)
        winback = winback_list(database, snapshot_id)
    except DataError as error:  # no purchase model: no P(alive), no CLV
        section.add_text(t("no_lists", message=error.message))
        return
    _retention(section, retention)
    _winback(section, winback, get_snapshot(database, snapshot_id).margin_known)


def _retention(section: Section, frame: pd.DataFrame) -> None:
    t = section.t
    at_risk = float(frame["value_at_risk"].sum()) if len(frame) else 0.0
    section.figures += [
        Figure(t("to_retain"), f"{len(frame):,}", t("to_retain_how")),
        Figure(t("value_at_risk"), f"{at_risk:,.0f}", t("value_at_risk_how")),
    ]
    if not len(frame):
        section.add_text(t("no_retention"))
        return
    section.add_table(_by_reason(frame, t, value="value_at_risk", label="value at risk"),
                      caption=t("retention_by_reason"))
    shown = frame.head(SHOWN_ROWS)
    section.add_table(pd.DataFrame({
        "customer": shown["customer_id"], "segment": shown["segment"].map(t.label),
        "status": shown["status"].map(t.label), "reason": shown["reason"].map(t.value),
        "CLV": shown["clv"].round(2), "P(alive)": shown["p_alive"].round(3),
        "value at risk": shown["value_at_risk"].round(2), "action": shown["action"].map(t.value),
    }), caption=t("retention_first", shown=len(shown), total=f"{len(frame):,}"),
        max_rows=SHOWN_ROWS)


def _winback(section: Section, frame: pd.DataFrame, margin_known: bool = True) -> None:
    """The win-back list; its margin is called revenue when no cost is known."""
    t = section.t
    worth = float(frame["score"].sum()) if len(frame) else 0.0
    annual = "annual margin" if margin_known else "annual revenue (no cost data)"
    section.figures += [
        Figure(t("to_win_back"), f"{len(frame):,}", t("to_win_back_how")),
        Figure(t("won_back"), f"{worth:,.0f}",
               t("won_back_how" if margin_known else "won_back_how_revenue")),
    ]
    if not len(frame):
        section.add_text(t("no_winback"))
        return
    section.add_text(t("chance", method=t.value(frame.attrs.get("chance_method", ""))))
    section.add_table(_by_reason(frame, t, value="score", label="expected value won back"),
                      caption=t("winback_by_reason"))
    shown = frame.head(SHOWN_ROWS)
    section.add_table(pd.DataFrame({
        "customer": shown["customer_id"], "segment": shown["segment"].map(t.label),
        "status": shown["status"].map(t.label), "reason": shown["reason"].map(t.value),
        "days since last": shown["days_since_last"],
        annual: shown["expected_value"].round(2),
        "chance": shown["chance"].round(3), "expected value": shown["score"].round(2),
        "action": shown["action"].map(t.value),
    }), caption=t("winback_first", shown=len(shown), total=f"{len(frame):,}"),
        max_rows=SHOWN_ROWS)


def _by_reason(frame: pd.DataFrame, t: ReportWords, *, value: str,
               label: str) -> pd.DataFrame:
    """Customers and ``value`` per reason, the largest value first."""
    grouped = frame.groupby(["reason", "reason_code", "reason_rule"], as_index=False).agg(
        customers=("customer_id", "size"), total=(value, "sum"))
    grouped = grouped.sort_values("total", ascending=False, kind="stable")
    return pd.DataFrame({"reason": grouped["reason"].map(t.value), "code": grouped["reason_code"],
                         "customers": grouped["customers"], label: grouped["total"].round(0),
                         "rule": grouped["reason_rule"].map(t.value)})
