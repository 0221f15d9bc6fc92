"""What the dashboard's page of one customer shows, unmasked (the page masks it for viewers):
profile, order timeline, the newest rows of each history, loyalty balance, and the customer's
row of every snapshot. Plain DuckDB queries on one cursor; :func:`customer_reads` reads it
all at once (each table once, from the server's lookup copy when it is ready).

The profile columns and the histories shown are those of the 360 view
(:mod:`valuecrm.views.customer360`: ``PROFILE_COLUMNS``, ``HISTORY``).
"""

from __future__ import annotations

from typing import Any

import duckdb

from valuecrm.store.snapshots import VALUE_TABLE
from valuecrm.views.customer360 import HISTORY, PROFILE_COLUMNS, attributes_of, clean, newest
from valuecrm.views.lookup_copy import Sources, lookup_sources

Cursor = duckdb.DuckDBPyConnection

__all__ = ["HISTORY", "HISTORY_TABLES", "PROFILE_COLUMNS", "attributes_of", "customer_reads",
           "history", "loyalty_balance", "order_timeline", "profile", "value_by_snapshot"]
HISTORY_TABLES = tuple(HISTORY)
TIMELINE_COLUMNS = ("ordered_at", "amount", "status")
VALUE_COLUMNS = ("as_of", "rfm_segment", "status", "lifecycle_stage", "tier", "clv",
                 "clv_lower", "clv_upper", "p_alive", "p_alive_lower", "p_alive_upper",
                 "expected_purchases", "expected_purchases_lower", "expected_purchases_upper")


def profile(cur: Cursor, customer_id: str, sources: Sources | None = None
            ) -> dict[str, Any] | None:
    """The customer's profile (:data:`PROFILE_COLUMNS`), or None for an unknown id."""
    sources = lookup_sources(cur) if sources is None else sources
    found = sources.profile(cur, customer_id, PROFILE_COLUMNS)
    return None if found is None else {k: clean(v) for k, v in found.items()}


def order_timeline(cur: Cursor, customer_id: str, limit: int,
                   sources: Sources | None = None) -> list[dict[str, Any]]:
    """The newest ``limit`` orders (time, amount, status), newest first."""
    sources = lookup_sources(cur) if sources is None else sources
    items, _ = newest(cur, "orders", customer_id, limit, sources)
    return [{k: o[k] for k in TIMELINE_COLUMNS} for o in items]


def history(cur: Cursor, table: str, customer_id: str, limit: int,
            sources: Sources | None = None) -> dict[str, Any]:
    """The newest ``limit`` rows of one history table (:data:`HISTORY`) and how many there
    are: ``{"total", "items"}``."""
    sources = lookup_sources(cur) if sources is None else sources
    items, first = newest(cur, table, customer_id, limit, sources)
    return {"total": first.get("_total", 0), "items": items}


def loyalty_balance(cur: Cursor, customer_id: str, sources: Sources | None = None) -> Any:
    """The customer's loyalty points: the sum of the ledger (0 without entries)."""
    sources = lookup_sources(cur) if sources is None else sources
    return newest(cur, "loyalty_ledger", customer_id, 0, sources)[1].get("_balance", 0)


def value_by_snapshot(cur: Cursor, customer_id: str, sources: Sources | None = None
                      ) -> list[dict[str, Any]]:
    """The customer's labels, CLV, P(alive) and expected purchases, with their intervals, in
    every snapshot, newest first."""
    sources = lookup_sources(cur) if sources is None else sources
    found = sources.rows(cur, VALUE_TABLE, customer_id, VALUE_COLUMNS)
    # as ORDER BY as_of DESC (missing last; rows of one day keep their stored order)
    found.sort(key=lambda r: (r["as_of"] is not None, r["as_of"]), reverse=True)
    return [{k: clean(v) for k, v in r.items()} for r in found]


def customer_reads(cur: Cursor, customer_id: str, *, timeline_limit: int, history_limit: int,
                   values: bool = True) -> dict[str, Any] | None:
    """Everything the customer's page shows, or None for an unknown id: ``profile``,
    ``timeline`` (:func:`order_timeline`, ``timeline_limit`` orders), ``histories``
    (:func:`history` of each of :data:`HISTORY_TABLES`, ``history_limit`` rows), ``balance``
    (:func:`loyalty_balance`), ``values`` (:func:`value_by_snapshot`, empty unless
    ``values``) and ``attributes``. Each table is read once: the timeline is the newest orders
    of the order history, the balance comes with the ledger's rows."""
    sources = lookup_sources(cur)
    found = profile(cur, customer_id, sources)
    if found is None:
        return None
    histories, balance = {}, 0
    orders: list[dict[str, Any]] = []
    for table in HISTORY_TABLES:
        limit = max(timeline_limit, history_limit) if table == "orders" else history_limit
        items, first = newest(cur, table, customer_id, limit, sources)
        if table == "orders":
            orders = items[:timeline_limit]
            items = items[:history_limit]
        elif table == "loyalty_ledger":
            balance = first.get("_balance", 0)
        histories[table] = {"total": first.get("_total", 0), "items": items}
    return {"profile": found,
            "timeline": [{k: o[k] for k in TIMELINE_COLUMNS} for o in orders],
            "histories": histories, "balance": balance,
            "values": value_by_snapshot(cur, customer_id, sources) if values else [],
            "attributes": attributes_of(cur, customer_id, sources=sources)}
