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
from valuecrm.errors import DataError
from valuecrm.report.html import Figure, Report, Section

SHOWN_ROWS = 15


def actions_section(report: Report, database: Any, snapshot_id: int, *, source: str) -> None:
    """Add the retention and win-back lists of snapshot ``snapshot_id``."""
    section = report.section(
        "Action lists: retention and win-back",
        intro="Who to keep and who to win back, with the likely reason and a suggested action. "
              "Export the full lists, contact details included, with 'valuecrm actions "
              "retention --out retention.csv' and 'valuecrm actions winback --out winback.csv' "
              "(CSV or Parquet).",
        method="Retention (valuecrm.retention_list): customers at risk or lapsed whose CLV is at "
               "least the snapshot's median, ranked by value at risk = CLV x (1 - P(alive)). "
               "Win-back (valuecrm.winback_list): lost and lapsed customers with a positive "
               "margin, ranked by historic annual margin x the chance of winning them back. "
               "Reasons: the last complaint's category, a poor service recovery, price "
               "sensitivity shown by discounts or price offers, else unknown "
               "(valuecrm.actions.reasons).",
        source=source,
    )
    try:
        retention = retention_list(database, snapshot_id)
        winback = winback_list(database, snapshot_id)
    except DataError as error:  # no purchase model: no P(alive), no CLV
        section.add_text(f"No action lists: {error.message}")
        return
    _retention(section, retention)
    _winback(section, winback)


def _retention(section: Section, frame: pd.DataFrame) -> None:
    at_risk = float(frame["value_at_risk"].sum()) if len(frame) else 0.0
    section.figures += [
        Figure("customers to retain", f"{len(frame):,}", "at risk or lapsed, CLV >= median"),
        Figure("value at risk", f"{at_risk:,.0f}", "sum of CLV x (1 - P(alive))"),
    ]
    if not len(frame):
        section.add_text("Retention list: no customer qualifies.")
        return
    section.add_table(_by_reason(frame, value="value_at_risk", label="value at risk"),
                      caption="Retention list by likely reason")
    shown = frame.head(SHOWN_ROWS)
    section.add_table(pd.DataFrame({
        "customer": shown["customer_id"], "segment": shown["segment"],
        "status": shown["status"], "reason": shown["reason"], "CLV": shown["clv"].round(2),
        "P(alive)": shown["p_alive"].round(3),
        "value at risk": shown["value_at_risk"].round(2), "action": shown["action"],
    }), caption=f"Retention list: the first {len(shown)} of {len(frame):,}",
        max_rows=SHOWN_ROWS)


def _winback(section: Section, frame: pd.DataFrame) -> None:
    worth = float(frame["score"].sum()) if len(frame) else 0.0
    section.figures += [
        Figure("customers to win back", f"{len(frame):,}", "lost or lapsed, positive margin"),
        Figure("expected value won back", f"{worth:,.0f}",
               "sum of annual margin x chance of winning back"),
    ]
    if not len(frame):
        section.add_text("Win-back list: no customer qualifies.")
        return
    section.add_text(f"Chance of winning back: {frame.attrs.get('chance_method', '')}.")
    section.add_table(_by_reason(frame, value="score", label="expected value won back"),
                      caption="Win-back list by likely reason")
    shown = frame.head(SHOWN_ROWS)
    section.add_table(pd.DataFrame({
        "customer": shown["customer_id"], "segment": shown["segment"],
        "status": shown["status"], "reason": shown["reason"],
        "days since last": shown["days_since_last"],
        "annual margin": shown["expected_value"].round(2),
        "chance": shown["chance"].round(3), "expected value": shown["score"].round(2),
        "action": shown["action"],
    }), caption=f"Win-back list: the first {len(shown)} of {len(frame):,}",
        max_rows=SHOWN_ROWS)


def _by_reason(frame: pd.DataFrame, *, value: str, label: str) -> pd.DataFrame:
    """Customers and ``value`` per reason, the largest value first."""
    grouped = frame.groupby("reason", as_index=False).agg(customers=("customer_id", "size"),
                                                          total=(value, "sum"))
    grouped = grouped.sort_values("total", ascending=False, kind="stable")
    return pd.DataFrame({"reason": grouped["reason"], "customers": grouped["customers"],
                         label: grouped["total"].round(0)})
