"""Customer KPIs "more, longer, deeper" (多、久、深) from the snapshots of the customer value table.

More customers (多): active customers and net growth; longer relationships (久): retention and
churn by cohort, average relationship length, repeat purchase rate; deeper relationships (深):
categories per customer; and customer equity (sum of CLV, Gupta, Lehmann & Stuart 2004, Journal
of Marketing Research 41(1)) with its change. Every figure carries the method that made it
(:data:`METHODS`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ibis
import pandas as pd

from valuecrm.errors import NotFoundError
from valuecrm.store.snapshots import VALUE_TABLE, Snapshot, list_snapshots

#: The one definition of an active customer, used by every figure that counts them (the CLI's
#: ``kpis``, ``GET /api/kpis``, the dashboard and the report): status new, active or at risk,
#: that is, not yet lapsed or lost. "At risk" customers are still customers whose P(alive) has
#: fallen; they are the ones the retention list is for, so they count as active.
ACTIVE_STATUSES = ("new", "active", "at risk")
ACTIVE_METHOD = ("customers whose status is new, active or at risk (not lapsed or lost) in "
                 "the snapshot's customer value table")
COUNTS = ("customers", "active_customers", "new_active", "lost_active", "net_growth")

METHODS: dict[str, str] = {
    "customers": "customers with a purchase up to the as-of date (rows of the snapshot)",
    "active_customers": ACTIVE_METHOD,
    "new_active": "customers active in this snapshot and not in the previous one (first "
                  "buyers and reactivated customers)",
    "lost_active": "customers active in the previous snapshot and not in this one",
    "net_growth": "new_active - lost_active (= change in active customers)",
    "retention_rate": "share of the previous snapshot's active customers still active in "
                      "this one",
    "churn_rate": "1 - retention_rate",
    "avg_relationship_days": "mean days from the first purchase to the last purchase for "
                             "lapsed and lost customers, to the as-of date for the others",
    "repeat_purchase_rate": "share of customers with at least two purchases (distinct days)",
    "categories_per_customer": "mean distinct product categories bought (order_lines x "
                               "products.category); missing when no order line has a category",
    "customer_equity": "sum of CLV over the snapshot's customers",
    "mean_clv": "mean CLV of the snapshot's customers (those with a CLV)",
    "revenue": "sum of the customers' revenue up to the as-of date (purchases net of "
               "returns, as the customer value table counts them)",
    "equity_change": "customer_equity minus that of the previous snapshot",
    "cohort_retention": "per acquisition year (year of the first purchase): share of the "
                        "cohort active (as in active_customers) at the latest snapshot; "
                        "churn = 1 - retention",
}


@dataclass
class Figure:
    """One KPI value and how it was computed."""

    name: str
    value: float | int | None
    method: str

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "method": self.method}


@dataclass
class KPIs:
    """``latest``: the figures of the latest snapshot; ``by_snapshot``: the same figures for
    every snapshot (one row each, oldest first); ``by_cohort``: retention and churn per
    acquisition year at the latest snapshot; ``methods``: how each column was computed.

    :meth:`to_dict` is the shape of ``valuecrm kpis --json`` and ``GET /api/kpis``: the latest
    snapshot's id and date, ``figures`` (name -> plain value, ``active_customers`` an integer),
    ``methods`` (name -> how it was computed), ``by_snapshot`` and ``by_cohort``."""

    latest: dict[str, Figure]
    by_snapshot: pd.DataFrame
    by_cohort: pd.DataFrame
    methods: dict[str, str] = field(default_factory=lambda: dict(METHODS))

    def to_dict(self) -> dict[str, Any]:
        def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
            clean = frame.astype(object).where(frame.notna(), None)
            return [{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()}
                    for r in clean.to_dict("records")]

        last = self.by_snapshot.iloc[-1]
        return {"snapshot_id": int(last["snapshot_id"]), "as_of": str(last["as_of"]),
                "figures": {k: f.value for k, f in self.latest.items()},
                "methods": {k: f.method for k, f in self.latest.items()}
                | {"cohort_retention": self.methods["cohort_retention"]},
                "by_snapshot": records(self.by_snapshot.assign(
                    as_of=self.by_snapshot["as_of"].astype(str))),
                "by_cohort": records(self.by_cohort)}


def kpis(database: Any) -> KPIs:
    """The "more, longer, deeper" KPIs over every snapshot (see :data:`METHODS`).

    Raises NotFoundError when there is no snapshot yet (run ``valuecrm analyze`` first).
    """
    snapshots = list_snapshots(database)
    if not snapshots:
        raise NotFoundError("There is no snapshot of the customer value table yet, so there "
                            "is no KPI to compute.",
                            hint="Run 'valuecrm analyze' (or valuecrm.analyze(db)) first.")
    per_snapshot = snapshot_figures(database)
    rows = []
    for i, snapshot in enumerate(snapshots):
        row: dict[str, Any] = {"snapshot_id": snapshot.snapshot_id, "as_of": snapshot.as_of}
        row.update(per_snapshot.get(snapshot.snapshot_id, {}))
        if i > 0:
            row.update(_flows(database, snapshots[i - 1], snapshot))
            previous = rows[-1]
            row["equity_change"] = _difference(row.get("customer_equity"),
                                               previous.get("customer_equity"))
        rows.append(row)
    by_snapshot = pd.DataFrame(rows)
    for name in METHODS:
        if name != "cohort_retention" and name not in by_snapshot:
            by_snapshot[name] = None
    columns = ["snapshot_id", "as_of", *[m for m in METHODS if m != "cohort_retention"]]
    by_snapshot = by_snapshot[columns]
    for name in COUNTS:
        by_snapshot[name] = pd.to_numeric(by_snapshot[name]).astype("Int64")
    last = by_snapshot.iloc[-1]
    latest = {name: Figure(name, _plain(last[name]), METHODS[name]) for name in columns[2:]}
    return KPIs(latest, by_snapshot, _cohorts(database, snapshots[-1]))


def snapshot_figures(database: Any, snapshot_id: int | None = None) -> dict[int, dict[str, Any]]:
    """Snapshot id -> the figures of that snapshot alone (every snapshot, or ``snapshot_id``):
    customers, active_customers, avg_relationship_days, repeat_purchase_rate,
    categories_per_customer, customer_equity, mean_clv and revenue (see :data:`METHODS`).

    The one place these figures are computed: the KPIs, the dashboard's headline and trends
    and the report's overview all read them from here (through :mod:`valuecrm.views`).
    """
    table = database.table(VALUE_TABLE)
    if snapshot_id is not None:
        table = table.filter(table.snapshot_id == int(snapshot_id))
    active = table.status.isin(ACTIVE_STATUSES)
    ended = table.status.isin(("lapsed", "lost"))
    end = ibis.ifelse(ended, table.last_purchase.date(), table.as_of)
    days = end.epoch_days() - table.first_purchase.date().epoch_days()
    frame = table.group_by("snapshot_id").agg(
        customers=table.count(),
        active_customers=table.count(where=active),
        avg_relationship_days=days.mean(),
        repeat_purchase_rate=(table.n_purchases >= 2).cast("float64").mean(),
        categories_per_customer=table.categories_bought.cast("float64").mean(),
        any_categories=table.categories_bought.max(),
        customer_equity=table.clv.sum(),
        mean_clv=table.clv.mean(),
        revenue=table.revenue.sum(),
    ).to_pandas()
    out = {}
    for row in frame.to_dict("records"):
        if not row.pop("any_categories"):
            row["categories_per_customer"] = None
        figures = {k: _plain(v) for k, v in row.items() if k != "snapshot_id"}
        for name in ("customers", "active_customers"):
            figures[name] = int(figures[name])
        out[int(row["snapshot_id"])] = figures
    return out


def _flows(database: Any, before: Snapshot, after: Snapshot) -> dict[str, Any]:
    table = database.table(VALUE_TABLE)
    a = table.filter((table.snapshot_id == before.snapshot_id)
                     & table.status.isin(ACTIVE_STATUSES)).select(id_a="customer_id")
    b = table.filter((table.snapshot_id == after.snapshot_id)
                     & table.status.isin(ACTIVE_STATUSES)).select(id_b="customer_id")
    both = a.outer_join(b, a.id_a == b.id_b)
    counts = both.aggregate(
        kept=both.count(where=both.id_a.notnull() & both.id_b.notnull()),
        new_active=both.count(where=both.id_a.isnull()),
        lost_active=both.count(where=both.id_b.isnull()),
    ).to_pandas().iloc[0]
    kept, new, lost = (int(counts[k]) for k in ("kept", "new_active", "lost_active"))
    retention = kept / (kept + lost) if kept + lost else None
    return {"new_active": new, "lost_active": lost, "net_growth": new - lost,
            "retention_rate": retention,
            "churn_rate": None if retention is None else 1.0 - retention}


def _cohorts(database: Any, snapshot: Snapshot) -> pd.DataFrame:
    table = database.table(VALUE_TABLE)
    rows = table.filter(table.snapshot_id == snapshot.snapshot_id)
    frame = (rows.group_by(cohort=rows.first_purchase.year())
             .agg(customers=rows.count(),
                  active=rows.count(where=rows.status.isin(ACTIVE_STATUSES)))
             .order_by("cohort").to_pandas())
    frame["retention"] = frame["active"] / frame["customers"]
    frame["churn"] = 1.0 - frame["retention"]
    return frame.astype({"cohort": "int64", "customers": "int64", "active": "int64"})


def _difference(a: Any, b: Any) -> float | None:
    if a is None or b is None:
        return None
    return float(a) - float(b)


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return None if isinstance(value, float) and value != value else value
