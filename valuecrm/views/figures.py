"""The figures of the customer base: KPIs, the headline of a snapshot, and their trend.

Every figure comes from :func:`valuecrm.reports.kpis.snapshot_figures`, where each has one
definition and its method text (:data:`valuecrm.reports.kpis.METHODS`); "active customers"
are those of status new, active or at risk (:data:`~valuecrm.reports.kpis.ACTIVE_STATUSES`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from valuecrm.errors import NotFoundError
from valuecrm.reports.kpis import ACTIVE_STATUSES, METHODS, snapshot_figures
from valuecrm.reports.kpis import kpis as compute_kpis
from valuecrm.store.snapshots import list_snapshots
from valuecrm.views._plain import plain
from valuecrm.views.acquisition import referral_summary
from valuecrm.views.answer_cache import kept

HEADLINE = ("customers", "active_customers", "customer_equity", "mean_clv", "revenue")

__all__ = ["ACTIVE_STATUSES", "HEADLINE", "headline", "kpis", "order_facts", "tables", "trends"]


TABLES_METHOD = ("rows of the customers and orders tables now, and the first and last order "
                 "time: loads after the latest snapshot included (run an analysis to count "
                 "them in the figures)")


def kpis(database: Any) -> dict[str, Any]:
    """The KPIs "more, longer, deeper" of every snapshot (``valuecrm kpis``, ``GET /api/kpis``):
    ``snapshot_id`` and ``as_of`` of the latest, ``figures`` (its values; ``active_customers``
    an integer), ``methods``, ``by_snapshot``, ``by_cohort``, and ``tables``: what the
    customers and orders tables hold now.

    Before the first analysis ``snapshot_id`` is None, ``figures`` empty and ``missing`` says
    why; ``tables`` is there all the same.
    """
    try:
        found = kept(database, "kpis", lambda: plain(compute_kpis(database).to_dict()))
    except NotFoundError as missing:
        found = {"snapshot_id": None, "as_of": None, "figures": {}, "methods": {},
                 "by_snapshot": [], "by_cohort": [], "missing": missing.message}
    methods = {**found["methods"], "tables": TABLES_METHOD}
    return {**found, "methods": methods, "tables": tables(database)}


def tables(database: Any) -> dict[str, Any]:
    """Rows of the customers and orders tables, and the first and last order time."""
    orders = database.table("orders")
    facts = orders.aggregate(orders=orders.count(), first_order=orders.ordered_at.min(),
                             last_order=orders.ordered_at.max()).to_pandas().iloc[0]
    customers = database.table("customers").count().to_pyarrow().as_py()
    return plain({"customers": int(customers), "orders": int(facts["orders"]),
                  "first_order": facts["first_order"], "last_order": facts["last_order"]})


def headline(database: Any, snapshot_id: int) -> dict[str, Any]:
    """Customers, active customers, customer equity, mean CLV and revenue of one snapshot, and
    the method of each under ``methods`` (the dashboard's and the report's headline); beside
    them, never instead of customer equity, ``referral_value`` (the sum of CRV) and
    ``equity_with_referrals`` (the sum of CLV + CRV), None when no referral is recorded
    (:func:`valuecrm.views.acquisition.referral_summary`)."""
    found = kept(database, "headline", lambda: snapshot_figures(database, snapshot_id),
                 int(snapshot_id)).get(int(snapshot_id), {})
    figures = {name: found.get(name) for name in HEADLINE}
    figures["customers"] = figures["customers"] or 0
    figures["active_customers"] = figures["active_customers"] or 0
    methods = {name: METHODS[name] for name in HEADLINE}
    referrals = referral_summary(database, snapshot=int(snapshot_id))
    known = not referrals["empty"]
    figures["referral_value"] = referrals["crv"] if known else None
    figures["equity_with_referrals"] = referrals["equity_with_referrals"] if known else None
    methods["referral_value"] = methods["equity_with_referrals"] = (
        referrals["method"] if known else referrals["empty"])
    return plain({**figures, "methods": methods})


def trends(database: Any) -> list[dict[str, Any]]:
    """The headline figures of every snapshot, oldest as-of date first (with ``as_of``)."""
    found = kept(database, "figures", lambda: snapshot_figures(database))
    return [plain({"snapshot_id": s.snapshot_id, "as_of": s.as_of,
                   **{name: found.get(s.snapshot_id, {}).get(name) for name in HEADLINE}})
            for s in list_snapshots(database)]


def order_facts(database: Any, as_of: dt.date) -> dict[str, Any]:
    """What the orders table holds up to ``as_of`` (inclusive): ``orders`` (rows, returns and
    cancellations included), ``first`` and ``last`` order times, and ``monthly`` order counts
    (``month``, ``orders``)."""
    orders = database.table("orders")
    upto = orders.filter(orders.ordered_at.date() <= as_of)
    facts = upto.aggregate(orders=upto.count(), first=upto.ordered_at.min(),
                           last=upto.ordered_at.max()).to_pandas().iloc[0]
    month = upto.ordered_at.truncate("M")
    monthly = (upto.group_by(month=month).agg(orders=upto.count()).order_by("month")
               .to_pandas())
    return plain({"orders": int(facts["orders"]), "first": facts["first"],
                  "last": facts["last"], "monthly": monthly.to_dict("records")})
