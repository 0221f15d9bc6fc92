"""Reading and writing the campaign tables: ``campaigns`` (plan and act), ``campaign_members``
(the assignment and the contacts) and ``campaign_results`` (the check).

Every write is one transaction: it lands whole or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd

from valuecrm.errors import NotFoundError
from valuecrm.store.schema import TABLES

__all__ = ["get_campaign", "list_campaigns", "member_counts", "members", "replace_members",
           "results", "transaction", "update_campaign", "write_campaign", "write_results"]


@contextmanager
def transaction(raw: Any) -> Iterator[Any]:
    """BEGIN ... COMMIT on ``raw``, ROLLBACK on any error."""
    raw.execute("BEGIN TRANSACTION")
    try:
        yield raw
        raw.execute("COMMIT")
    except BaseException:
        raw.execute("ROLLBACK")
        raise


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    frame = frame.astype(object).where(frame.notna(), None)
    return frame.to_dict("records")


def list_campaigns(raw: Any) -> list[dict[str, Any]]:
    """Every campaign, newest plan first."""
    frame = raw.execute("SELECT * FROM campaigns ORDER BY planned_at DESC NULLS LAST, "
                        "started_at DESC NULLS LAST, campaign_id").fetch_df()
    return _records(frame)


def get_campaign(raw: Any, campaign_id: str) -> dict[str, Any]:
    """The campaign row, or NotFoundError naming the campaigns there are."""
    frame = raw.execute("SELECT * FROM campaigns WHERE campaign_id = ?",
                        [campaign_id]).fetch_df()
    if frame.empty:
        known = [r[0] for r in raw.execute(
            "SELECT campaign_id FROM campaigns ORDER BY campaign_id LIMIT 20").fetchall()]
        raise NotFoundError(f"There is no campaign {campaign_id!r}.",
                            hint=("Campaigns: " + ", ".join(known) + ".") if known else
                            "Plan one first ('valuecrm campaign plan').")
    return _records(frame)[0]


def write_campaign(raw: Any, row: dict[str, Any]) -> None:
    """Insert one campaign row (columns of the declaration only)."""
    names = [c for c in TABLES["campaigns"].column_names if c in row]
    quoted = ", ".join(f'"{c}"' for c in names)
    with transaction(raw):
        raw.execute(f"INSERT INTO campaigns ({quoted}) VALUES "
                    f"({', '.join('?' for _ in names)})", [row[c] for c in names])


def update_campaign(raw: Any, campaign_id: str, **fields: Any) -> None:
    """Set ``fields`` of one campaign."""
    if not fields:
        return
    assignments = ", ".join(f'"{name}" = ?' for name in fields)
    with transaction(raw):
        raw.execute(f"UPDATE campaigns SET {assignments} WHERE campaign_id = ?",
                    [*fields.values(), campaign_id])


def replace_members(raw: Any, campaign_id: str, frame: pd.DataFrame,
                    **campaign_fields: Any) -> None:
    """Replace the members of a campaign by ``frame`` (customer_id, group, stratum,
    assigned_at) and set ``campaign_fields``, in one transaction."""
    shown = frame.assign(campaign_id=campaign_id)[
        ["campaign_id", "customer_id", "group", "assigned_at", "stratum"]]
    with transaction(raw):
        raw.execute("DELETE FROM campaign_members WHERE campaign_id = ?", [campaign_id])
        raw.register("_valuecrm_new_members", shown)
        try:
            raw.execute('INSERT INTO campaign_members (campaign_id, customer_id, "group", '
                        "assigned_at, stratum) SELECT campaign_id, customer_id, \"group\", "
                        "CAST(assigned_at AS TIMESTAMP), stratum FROM _valuecrm_new_members")
        finally:
            raw.unregister("_valuecrm_new_members")
        if campaign_fields:
            assignments = ", ".join(f'"{name}" = ?' for name in campaign_fields)
            raw.execute(f"UPDATE campaigns SET {assignments} WHERE campaign_id = ?",
                        [*campaign_fields.values(), campaign_id])


def mark_contacted(raw: Any, campaign_id: str, at: dt.datetime, **campaign_fields: Any) -> int:
    """Set ``contacted_at`` of the treated members not yet contacted, and ``campaign_fields``;
    return how many were marked."""
    with transaction(raw):
        marked = raw.execute(
            "UPDATE campaign_members SET contacted_at = ? WHERE campaign_id = ? AND "
            "\"group\" = 'treatment' AND contacted_at IS NULL", [at, campaign_id]).fetchone()
        if campaign_fields:
            assignments = ", ".join(f'"{name}" = ?' for name in campaign_fields)
            raw.execute(f"UPDATE campaigns SET {assignments} WHERE campaign_id = ?",
                        [*campaign_fields.values(), campaign_id])
    return int(marked[0]) if marked else 0


def member_counts(raw: Any, campaign_id: str) -> pd.DataFrame:
    """Members by group and stratum, with how many were contacted."""
    return raw.execute(
        'SELECT "group", coalesce(stratum, \'all\') AS stratum, count(*) AS members, '
        "count(contacted_at) AS contacted FROM campaign_members WHERE campaign_id = ? "
        'GROUP BY ALL ORDER BY "group" DESC, stratum', [campaign_id]).fetch_df()


def members(raw: Any, campaign_id: str, group: str | None = None) -> pd.DataFrame:
    """The members of a campaign (optionally one group), ordered by customer."""
    where, params = "WHERE m.campaign_id = ?", [campaign_id]
    if group is not None:
        where += ' AND m."group" = ?'
        params.append(group)
    return raw.execute(
        "SELECT m.customer_id, m.\"group\", m.stratum, m.assigned_at, m.contacted_at, "
        f"c.name, c.email, c.phone FROM campaign_members m LEFT JOIN customers c USING "
        f"(customer_id) {where} ORDER BY m.customer_id", params).fetch_df()


def outcomes_in_window(raw: Any, campaign_id: str, start: dt.datetime,
                       end: dt.datetime) -> pd.DataFrame:
    """Per member: whether they bought in ``[start, end)``, their net spend and margin then
    (purchases count, returns subtract, cancelled orders are ignored)."""
    return raw.execute(
        """
        WITH o AS (
          SELECT customer_id,
                 lower(trim(coalesce(status, 'completed'))) AS kind,
                 coalesce(amount, 0) AS amount,
                 coalesce(margin, amount - cost, 0) AS margin
          FROM orders WHERE ordered_at >= ? AND ordered_at < ?
        ), per AS (
          SELECT customer_id,
                 max(CASE WHEN kind = 'completed' THEN 1 ELSE 0 END) AS purchase,
                 sum(CASE WHEN kind = 'completed' THEN amount
                          WHEN kind = 'returned' THEN -abs(amount) ELSE 0 END) AS revenue,
                 sum(CASE WHEN kind = 'completed' THEN margin
                          WHEN kind = 'returned' THEN -abs(margin) ELSE 0 END) AS margin
          FROM o GROUP BY customer_id
        )
        SELECT m.customer_id, m."group", coalesce(m.stratum, 'all') AS stratum,
               coalesce(per.purchase, 0)::DOUBLE AS purchase,
               coalesce(per.revenue, 0)::DOUBLE AS revenue,
               coalesce(per.margin, 0)::DOUBLE AS margin
        FROM campaign_members m LEFT JOIN per USING (customer_id)
        WHERE m.campaign_id = ? ORDER BY m.customer_id
        """, [start, end, campaign_id]).fetch_df()


def write_results(raw: Any, campaign_id: str, frame: pd.DataFrame,
                  **campaign_fields: Any) -> None:
    """Replace the results of a campaign by ``frame`` and set ``campaign_fields``."""
    names = [c for c in TABLES["campaign_results"].column_names if c in frame.columns]
    shown = frame.assign(campaign_id=campaign_id)[["campaign_id", *names]] \
        if "campaign_id" not in names else frame[names]
    cols = ", ".join(f'"{c}"' for c in shown.columns)
    with transaction(raw):
        raw.execute("DELETE FROM campaign_results WHERE campaign_id = ?", [campaign_id])
        raw.register("_valuecrm_new_results", shown)
        try:
            raw.execute(f"INSERT INTO campaign_results ({cols}) SELECT {cols} "
                        "FROM _valuecrm_new_results")
        finally:
            raw.unregister("_valuecrm_new_results")
        if campaign_fields:
            assignments = ", ".join(f'"{name}" = ?' for name in campaign_fields)
            raw.execute(f"UPDATE campaigns SET {assignments} WHERE campaign_id = ?",
                        [*campaign_fields.values(), campaign_id])


def results(raw: Any, campaign_id: str) -> pd.DataFrame:
    """The stored check of a campaign, one row per outcome."""
    return raw.execute("SELECT * FROM campaign_results WHERE campaign_id = ? ORDER BY CASE "
                       "outcome WHEN 'purchase' THEN 0 WHEN 'revenue' THEN 1 ELSE 2 END, outcome",
                       [campaign_id]).fetch_df()
