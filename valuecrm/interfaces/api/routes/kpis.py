"""``GET /api/kpis``: the headline numbers of the customer base.

The answer is kept while the customers and orders stay the same (their row counts, the last
order and the ingestion log are compared on each request): counting distinct buyers among
millions of orders takes about a second.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, Depends, Query

from valuecrm.interfaces.api.auth import Viewer
from valuecrm.interfaces.api.state import cursor, rows
from valuecrm.store.ingest import LOADS_TABLE

router = APIRouter(tags=["kpis"])
_kept: dict[Any, dict[str, Any]] = {}
_kept_lock = threading.Lock()

_KPI_SQL = """
WITH last AS (SELECT max(ordered_at) AS at FROM orders)
SELECT
  (SELECT count(*) FROM customers) AS customers,
  count(DISTINCT o.customer_id) AS buyers,
  count(DISTINCT o.customer_id) FILTER (
    WHERE o.ordered_at > last.at - to_days(CAST(? AS INTEGER))) AS active_customers,
  count(*) AS orders,
  coalesce(sum(o.amount) FILTER (WHERE o.status IS DISTINCT FROM 'cancelled'), 0) AS revenue,
  min(o.ordered_at) AS first_order,
  max(o.ordered_at) AS last_order
FROM orders o, last
"""


@router.get("/kpis")
def kpis(
    user: Viewer,
    cur: Annotated[duckdb.DuckDBPyConnection, Depends(cursor)],
    active_days: Annotated[int, Query(ge=1, le=3650, description=(
        "A customer is active who ordered within this many days before the last order in the "
        "data."))] = 365,
) -> dict[str, Any]:
    """Customers, buyers, active customers, orders, revenue (cancelled orders excluded) and the
    date range of the orders."""
    key = (_fingerprint(cur), active_days)
    with _kept_lock:
        if key in _kept:
            return dict(_kept[key])
    found = rows(cur, _KPI_SQL, [active_days])[0]
    found["revenue"] = float(found["revenue"])
    found["active_days"] = active_days
    with _kept_lock:
        for old in [k for k in _kept if k[0][0] == key[0][0] and k[0] != key[0]]:
            del _kept[old]
        _kept[key] = found
    return dict(found)


def _fingerprint(cur: duckdb.DuckDBPyConnection) -> tuple[Any, ...]:
    """The database file, and what changes when customers or orders are loaded."""
    path = cur.execute("SELECT path FROM duckdb_databases() WHERE database_name = "
                       "current_database()").fetchone()[0]
    counts = cur.execute("SELECT (SELECT count(*) FROM customers), count(*), max(ordered_at) "
                         "FROM orders").fetchone()
    tables = {r[0] for r in cur.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    loads = (cur.execute(f"SELECT count(*), max(loaded_at) FROM {LOADS_TABLE}").fetchone()
             if LOADS_TABLE in tables else None)
    return (path, *counts, loads)
