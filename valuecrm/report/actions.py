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

from valuecrm.analysis import get_snapshot
from valuecrm.errors import DataError
from valuecrm.report.html import Figure, Report, Section
from valuecrm.report.words import ReportWords
from valuecrm.views.lists import stored_action_list
from valuecrm.views.stored_lists import StoredList, list_rows, totals

SHOWN_ROWS = 15


def actions_section(report: Report, database: Any, snapshot_id: int, *, source: str) -> None:
    """Add the retention and win-back lists of snapshot ``snapshot_id`` (read from the lists
    kept in the engine, :mod:`valuecrm.views.stored_lists`: totals by SQL and the first rows,
    never the whole lists in memory)."""
    t = report.t
    section = report.section(t("actions_title"), intro=t("actions_intro"),
                             method=t("actions_method"), source=source)
    found = get_snapshot(database, snapshot_id)
    try:
        retention = stored_action_list(database, "retention", found)
        winback = stored_action_list(database, "winback", found)
    except DataError as error:  # no purchase model: no P(alive), no CLV
        section.add_text(t("no_lists", message=error.message))
        return
    _retention(section, database, retention)
    _winback(section, database, winback, found.margin_known)


def _first_rows(database: Any, stored: StoredList) -> pd.DataFrame:
    return pd.DataFrame(list_rows(database, stored, 0, SHOWN_ROWS), columns=stored.columns)


def _retention(section: Section, database: Any, stored: StoredList) -> None:
    t = section.t
    at_risk = float(totals(database, stored, "value_at_risk")[0][1] or 0.0)
    section.figures += [
        Figure(t("to_retain"), f"{stored.rows:,}", t("to_retain_how")),
        Figure(t("value_at_risk"), f"{at_risk:,.0f}", t("value_at_risk_how")),
    ]
    if not stored.rows:
        section.add_text(t("no_retention"))
        return
    section.add_table(_by_reason(database, stored, t, value="value_at_risk",
                                 label="value at risk"),
                      caption=t("retention_by_reason"))
    shown = _first_rows(database, stored)
    section.add_table(pd.DataFrame({
        "customer": shown["customer_id"], "segment": shown["segment"].map(t.label),
        "status": shown["status"].map(t.label), "reason": shown["reason"].map(t.value),
        "CLV": shown["clv"].round(2), "P(alive)": shown["p_alive"].round(3),
        "value at risk": shown["value_at_risk"].round(2), "action": shown["action"].map(t.value),
    }), caption=t("retention_first", shown=len(shown), total=f"{stored.rows:,}"),
        max_rows=SHOWN_ROWS)


def _winback(section: Section, database: Any, stored: StoredList,
             margin_known: bool = True) -> None:
    """The win-back list; its margin is called revenue when no cost is known."""
    t = section.t
    worth = float(totals(database, stored, "score")[0][1] or 0.0)
    annual = "annual margin" if margin_known else "annual revenue (no cost data)"
    section.figures += [
        Figure(t("to_win_back"), f"{stored.rows:,}", t("to_win_back_how")),
        Figure(t("won_back"), f"{worth:,.0f}",
               t("won_back_how" if margin_known else "won_back_how_revenue")),
    ]
    if not stored.rows:
        section.add_text(t("no_winback"))
        return
    section.add_text(t("chance", method=t.value(stored.facts.get("chance_method") or "")))
    section.add_table(_by_reason(database, stored, t, value="score",
                                 label="expected value won back"),
                      caption=t("winback_by_reason"))
    shown = _first_rows(database, stored)
    section.add_table(pd.DataFrame({
        "customer": shown["customer_id"], "segment": shown["segment"].map(t.label),
        "status": shown["status"].map(t.label), "reason": shown["reason"].map(t.value),
        "days since last": shown["days_since_last"],
        annual: shown["expected_value"].round(2),
        "chance": shown["chance"].round(3), "expected value": shown["score"].round(2),
        "action": shown["action"].map(t.value),
    }), caption=t("winback_first", shown=len(shown), total=f"{stored.rows:,}"),
        max_rows=SHOWN_ROWS)


def _by_reason(database: Any, stored: StoredList, t: ReportWords, *, value: str,
               label: str) -> pd.DataFrame:
    """Customers and ``value`` per reason, the largest value first."""
    grouped = pd.DataFrame(totals(database, stored, value, "reason", "reason_code",
                                  "reason_rule"),
                           columns=["reason", "reason_code", "reason_rule", "customers",
                                    "total"])
    return pd.DataFrame({"reason": grouped["reason"].map(t.value), "code": grouped["reason_code"],
                         "customers": grouped["customers"],
                         label: grouped["total"].astype(float).round(0),
                         "rule": grouped["reason_rule"].map(t.value)})
