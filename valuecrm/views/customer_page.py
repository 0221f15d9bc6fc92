"""What the dashboard's page of one customer shows, unmasked (the page masks it for viewers):
profile, order timeline, the newest rows of each history, loyalty balance, and the customer's
row of every snapshot. Plain DuckDB queries on one cursor.

The profile columns and the histories shown are those of the 360 view
(:mod:`valuecrm.views.customer360`: ``PROFILE_COLUMNS``, ``HISTORY``).
"""

from __future__ import annotations

from typing import Any

import duckdb

from valuecrm.store.snapshots import VALUE_TABLE
from valuecrm.views.customer360 import HISTORY, PROFILE_COLUMNS, attributes_of, rows
from valuecrm.views.lookup_copy import lookup_table

Cursor = duckdb.DuckDBPyConnection

__all__ = ["HISTORY", "HISTORY_TABLES", "PROFILE_COLUMNS", "attributes_of", "history",
           "loyalty_balance", "order_timeline", "profile", "value_by_snapshot"]
HISTORY_TABLES = tuple(HISTORY)


def profile(cur: Cursor, customer_id: str) -> dict[str, Any] | None:
    """The customer's profile (:data:`PROFILE_COLUMNS`), or None for an unknown id."""
    found = rows(cur, f"SELECT {', '.join(PROFILE_COLUMNS)} FROM customers "
                      "WHERE customer_id = ?", [customer_id])
    return found[0] if found else None


def order_timeline(cur: Cursor, customer_id: str, limit: int) -> list[dict[str, Any]]:
    """The newest ``limit`` orders (time, amount, status), newest first."""
    return rows(cur, "WITH m AS MATERIALIZED (SELECT ordered_at, amount, status FROM "
                     f"{lookup_table(cur, 'orders')} WHERE customer_id = ?) SELECT * FROM m "
                     f"ORDER BY ordered_at DESC LIMIT {int(limit)}", [customer_id])


def history(cur: Cursor, table: str, customer_id: str, limit: int) -> dict[str, Any]:
    """The newest ``limit`` rows of one history table (:data:`HISTORY`) and how many there
    are: ``{"total", "items"}``."""
    time_column, columns = HISTORY[table]
    found = rows(cur, f"SELECT {columns}, count(*) OVER () AS _total FROM "
                      f"{lookup_table(cur, table)} "
                      f"WHERE customer_id = ? ORDER BY {time_column} DESC "
                      f"LIMIT {int(limit)}", [customer_id])  # one scan: rows and count
    total = found[0]["_total"] if found else 0
    return {"total": total, "items": [{k: v for k, v in row.items() if k != "_total"}
                                      for row in found]}


def loyalty_balance(cur: Cursor, customer_id: str) -> Any:
    """The customer's loyalty points: the sum of the ledger (0 without entries)."""
    return cur.execute("SELECT coalesce(sum(points), 0) FROM "
                       f"{lookup_table(cur, 'loyalty_ledger')} "
                       "WHERE customer_id = ?", [customer_id]).fetchone()[0]


def value_by_snapshot(cur: Cursor, customer_id: str) -> list[dict[str, Any]]:
    """The customer's labels, CLV, P(alive) and expected purchases, with their intervals, in
    every snapshot, newest first."""
    return rows(cur, f"SELECT as_of, rfm_segment, status, lifecycle_stage, tier, clv, "
                     "clv_lower, clv_upper, p_alive, p_alive_lower, p_alive_upper, "
                     "expected_purchases, expected_purchases_lower, expected_purchases_upper "
                     f"FROM {lookup_table(cur, VALUE_TABLE)} WHERE customer_id = ? "
                     "ORDER BY as_of DESC",
                [customer_id])
