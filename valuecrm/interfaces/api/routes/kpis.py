"""``GET /api/kpis``: the KPIs of the customer base, the same document as ``valuecrm kpis --json``
(:func:`valuecrm.views.kpis`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from valuecrm import views
from valuecrm.interfaces.api.auth import Viewer
from valuecrm.interfaces.api.state import server_state
from valuecrm.reports.kpis import ACTIVE_METHOD

router = APIRouter(tags=["kpis"])

EXAMPLE = {
    "snapshot_id": 2, "as_of": "1998-06-30",
    "figures": {"customers": 23570, "active_customers": 6489, "new_active": 120,
                "lost_active": 2301, "net_growth": -2181, "retention_rate": 0.74,
                "churn_rate": 0.26, "avg_relationship_days": 212.5,
                "repeat_purchase_rate": 0.49, "categories_per_customer": None,
                "customer_equity": 1234567.8, "equity_change": -45678.9, "mean_clv": 52.4,
                "revenue": 2500315.6},
    "methods": {"active_customers": ACTIVE_METHOD, "...": "how each figure is computed"},
    "by_snapshot": [{"snapshot_id": 1, "as_of": "1997-12-31", "customers": 23570,
                     "active_customers": 8670, "...": "the same figures"}],
    "by_cohort": [{"cohort": 1997, "customers": 23570, "active": 6489, "retention": 0.275,
                   "churn": 0.725}],
    "tables": {"customers": 23570, "orders": 69659, "first_order": "1997-01-01T00:00:00",
               "last_order": "1998-06-30T00:00:00"},
}


@router.get("/kpis", responses={200: {"content": {"application/json": {"example": EXAMPLE}}}})
def kpis(user: Viewer, request: Request) -> dict[str, Any]:
    """The customer KPIs "more, longer, deeper" (多、久、深) of the latest snapshot of the
    customer value table, each with its method, and the same figures for every snapshot: the
    document `valuecrm kpis --json` prints.

    `figures.active_customers` (an integer) counts the customers whose status is new, active
    or at risk, that is, not lapsed or lost: the one definition the dashboard, the report and
    the CLI use too. `tables` is what the customers and orders tables hold now, loads after the
    latest analysis included. Before the first analysis (POST /api/analyses), `snapshot_id`
    is null, `figures` empty and `missing` says why; `tables` is answered all the same.
    """
    with server_state(request).session() as database:
        return views.kpis(database)
