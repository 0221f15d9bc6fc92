"""Cohort retention: acquisition period x periods since acquisition (留存 by cohort).

A customer's cohort is the calendar period (month by default) of their first purchase order;
period k is the k-th calendar period after it (0: the acquisition period itself). The share of
period k is the number of cohort members with at least one purchase order in it, divided by the
cohort size. Purchases follow :mod:`valuecrm.features.purchases` (status completed or missing;
returns and cancelled orders do not count) up to and including the as-of day.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from valuecrm.errors import DataError, ParameterError
from valuecrm.features.history import Window, order_rows
from valuecrm.features.purchases import PURCHASE
from valuecrm.features.units import moment

# period code -> (name, periods per year)
PERIODS = {"M": ("month", 12), "Q": ("quarter", 4), "Y": ("year", 1)}


@dataclass
class CohortRetention:
    """``table``: one row per cohort and period since acquisition (``cohort``, ``period``,
    ``cohort_size``, ``active``, ``share``), every period up to the as-of date present (zeros
    included); ``pivot``: the shares, cohorts x periods (missing where not yet observed)."""

    as_of: pd.Timestamp
    period: str
    table: pd.DataFrame
    pivot: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        rows = self.table.assign(cohort=self.table["cohort"].astype(str))
        return {"as_of": self.as_of.date().isoformat(), "period": PERIODS[self.period][0],
                "cohorts": [{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()}
                            for r in rows.to_dict("records")]}


def period_index(stamp: Any, period: str) -> Any:
    """Calendar periods since year 0 of an Ibis timestamp column (months, quarters or years)."""
    per_year = PERIODS[period][1]
    return stamp.year() * per_year + (stamp.month() - 1) // (12 // per_year)


def cohort_retention(database: Any, as_of: Any = None, period: str = "M") -> CohortRetention:
    """The cohort retention table of purchase orders up to ``as_of`` (default: the last order).

    ``period``: "M" (months), "Q" (quarters) or "Y" (years). Counting runs in the engine; only
    the (cohort, period) counts come back. Raises DataError when there is no purchase.
    """
    if period not in PERIODS:
        raise ParameterError.of("period", "cohort_retention", "'M', 'Q' or 'Y'", period)
    stamp = _as_of(database, as_of)
    rows = order_rows(database, Window(stamp))
    purchases = rows.filter(rows.kind == PURCHASE)
    indexed = purchases.select("customer_id", index=period_index(purchases.ordered_at, period))
    first = indexed.group_by("customer_id").agg(cohort_index=indexed.index.min())
    joined = indexed.join(first, "customer_id")
    counts = (joined.group_by("cohort_index", period=joined.index - joined.cohort_index)
              .agg(active=joined.customer_id.nunique()).to_pandas())
    if counts.empty:
        raise DataError(f"No customer bought anything up to {stamp.date()}.",
                        hint="Give a later as-of date, or load orders first.")
    sizes = counts[counts["period"] == 0].set_index("cohort_index")["active"]
    last = _index(stamp, period)
    grid = pd.DataFrame([(c, k) for c in sizes.index for k in range(last - int(c) + 1)],
                        columns=["cohort_index", "period"])
    table = grid.merge(counts, on=["cohort_index", "period"], how="left")
    table["active"] = table["active"].fillna(0).astype("int64")
    table["cohort_size"] = table["cohort_index"].map(sizes).astype("int64")
    table["share"] = table["active"] / table["cohort_size"]
    table.insert(0, "cohort", table["cohort_index"].map(lambda i: _label(int(i), period)))
    table = (table.sort_values(["cohort_index", "period"])
             [["cohort", "period", "cohort_size", "active", "share"]].reset_index(drop=True))
    table["period"] = table["period"].astype("int64")
    pivot = table.pivot(index="cohort", columns="period", values="share")
    pivot.columns.name = f"{PERIODS[period][0]}s since acquisition"
    return CohortRetention(stamp, period, table, pivot)


def _index(stamp: pd.Timestamp, period: str) -> int:
    per_year = PERIODS[period][1]
    return stamp.year * per_year + (stamp.month - 1) // (12 // per_year)


def _label(index: int, period: str) -> str:
    per_year = PERIODS[period][1]
    year, part = divmod(index, per_year)
    if period == "M":
        return f"{year:04d}-{part + 1:02d}"
    if period == "Q":
        return f"{year:04d}Q{part + 1}"
    return f"{year:04d}"


def _as_of(database: Any, as_of: Any) -> pd.Timestamp:
    if as_of is not None:
        return moment(as_of, "as_of", "cohort_retention").normalize()
    orders = database.table("orders")
    last = orders.ordered_at.max().to_pyarrow().as_py()
    if last is None:
        raise DataError("The database has no orders, so there is no cohort to follow.",
                        hint="Load orders first (valuecrm ingest orders FILE).")
    return pd.Timestamp(last).normalize()
