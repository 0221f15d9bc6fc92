"""The purchase and spend models fitted on every customer's orders up to the last one, outside a
snapshot (the Models page and ``GET /api/models`` when no snapshot holds the model asked for).

Maximum likelihood as in ``analyze``: the purchase model on the RFM summary of all orders, and
Gamma-Gamma (Fader, Hardie & Lee 2005) on the repeat buyers with positive spend.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from valuecrm import models as catalogue
from valuecrm.errors import DataError
from valuecrm.features import rfm_summary
from valuecrm.store import Database

__all__ = ["OrdersFit", "fit_on_all_orders"]


@dataclass(frozen=True)
class OrdersFit:
    """Models fitted on all orders: the purchase model, Gamma-Gamma (None with fewer than two
    repeat buyers), and what they were fitted on."""

    observation_end: dt.datetime
    freq: str
    customers: int
    repeat_buyers: int
    purchase: Any
    spend: Any | None


def fit_on_all_orders(database: Database, purchase_model: str, freq: str, *,
                      hint: str | None = None) -> OrdersFit:
    """Fit ``purchase_model`` (a class name of :mod:`valuecrm.models`) and Gamma-Gamma on all
    orders, time in ``freq`` units. Raises :class:`~valuecrm.errors.DataError` (with ``hint``)
    when there are no orders."""
    orders = database.table("orders")
    last = orders.ordered_at.max().execute()
    if last is None or last != last:
        raise DataError("There are no orders to fit a model to.", hint=hint)
    # the summary stays in the engine (a cached table): the models read its distinct rows
    # with their counts, never one row per customer
    summary = rfm_summary(orders, observation_end=last, freq=freq).cache()
    try:
        buying = (summary.frequency > 0) & (summary.monetary_value > 0)
        counted = summary.aggregate(customers=summary.count(),
                                    repeat=buying.cast("int64").sum()).to_pyarrow()
        customers = int(counted["customers"][0].as_py())
        repeat = int(counted["repeat"][0].as_py() or 0)
        purchase = getattr(catalogue, purchase_model)().fit(summary)
        spend = (catalogue.GammaGamma().fit(summary.filter(buying)) if repeat >= 2
                 else None)
    finally:
        summary.release()
    return OrdersFit(last, freq, customers, repeat, purchase, spend)
