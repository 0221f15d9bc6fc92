"""``GET /api/kpis``: the headline numbers of the customer base."""

from __future__ import annotations

from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, Depends, Query

from valuecrm.interfaces.api.auth import Viewer
from valuecrm.interfaces.api.state import cursor, rows

router = APIRouter(tags=["kpis"])

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
    found = rows(cur, _KPI_SQL, [active_days])[0]
    found["revenue"] = float(found["revenue"])
    found["active_days"] = active_days
    return found
