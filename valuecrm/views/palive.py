"""P(alive) of one customer over their history, with the snapshot's fitted purchase model.

At each day of the customer's history up to the snapshot's as-of date, the purchase model
(BG/NBD, Fader, Hardie & Lee 2005; Pareto/NBD, Schmittlein, Morrison & Colombo 1987; MBG/NBD,
Batislam, Denizel & Filiztekin 2007) with the parameters stored in the snapshot gives
P(alive | frequency, recency, T) from what had been seen by then. Purchases are days with a
purchase order (:mod:`valuecrm.features.purchases`, as in ``analyze``); time is in weeks, as
fitted.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import duckdb
import numpy as np

from valuecrm.features.history import customer_purchase_days
from valuecrm.features.purchases import is_purchase_status
from valuecrm.store.snapshots import Snapshot

MAX_POINTS = 240
_models: dict[tuple[Any, ...], Any] = {}
_models_lock = threading.Lock()


def fitted_model(snapshot: Snapshot) -> Any | None:
    """The snapshot's purchase model with its stored parameters (None if it has none); made
    once per snapshot (id, creation time and model) and shared: callers only predict."""
    key = (snapshot.snapshot_id, snapshot.created_at, snapshot.model)
    with _models_lock:
        if key in _models:
            return _models[key]
    model = _fitted_model(snapshot)
    with _models_lock:
        if len(_models) >= 64:  # snapshots replaced or deleted: start again
            _models.clear()
        _models[key] = model
    return model


def _fitted_model(snapshot: Snapshot) -> Any | None:
    from valuecrm import models

    fit = snapshot.parameters.get(snapshot.model or "") if snapshot.model else None
    model_class = getattr(models, snapshot.model or "", None)
    if not isinstance(fit, dict) or model_class is None or not fit.get("params"):
        return None
    try:
        return model_class.from_params(**fit["params"])
    except (TypeError, ValueError):
        return None


def _day(value: dt.date) -> dt.date:
    """The day of a date or a time."""
    return value.date() if isinstance(value, dt.datetime) else value


def counts_as_purchase(order: dict[str, Any]) -> bool:
    """Whether an order row (with its ``status``) is a purchase
    (:func:`valuecrm.features.purchases.is_purchase_status`)."""
    return is_purchase_status(order.get("status"))


def purchase_days(cur: duckdb.DuckDBPyConnection, customer_id: str,
                  as_of: dt.date) -> list[dt.date]:
    """The customer's purchase days up to ``as_of``, in order (a query of the orders table,
    not the server's lookup copy: :func:`~valuecrm.views.answer_cache.slow_work`)."""
    from valuecrm.views.answer_cache import slow_work

    slow_work("a customer's purchase days read from the orders table")
    return customer_purchase_days(cur, customer_id, as_of)


def palive_history(model: Any, days: list[dt.date], as_of: dt.date) -> dict[str, list[Any]]:
    """Dates from the first purchase to ``as_of`` (every purchase day, the day before each, and
    evenly spaced days between, at most ``MAX_POINTS`` in all) and P(alive) on each."""
    if not days or model is None:
        return {"dates": [], "p_alive": [], "purchase": []}
    # plain dates: a pandas Timestamp or Timedelta per point costs milliseconds
    first = _day(days[0])
    span = max((_day(as_of) - first).days, 0)
    evenly = np.linspace(0, span, num=min(MAX_POINTS, span + 1)).round().astype(int)
    offsets = {int(o) for o in evenly}
    bought = np.array([(_day(d) - first).days for d in days], dtype=int)
    offsets |= {int(b) for b in bought} | {int(b) - 1 for b in bought[1:]}
    at = np.array(sorted(o for o in offsets if 0 <= o <= span), dtype=int)
    seen = np.searchsorted(bought, at, side="right")  # purchase days up to each point
    frequency = (seen - 1).astype(float)
    recency = bought[seen - 1] / 7.0
    data = {"frequency": frequency, "recency": recency, "T": at / 7.0}
    with np.errstate(all="ignore"):
        p_alive = np.asarray(model.probability_alive(data), dtype=float)
    # whole arrays at once: a date and a rounding per point in Python cost milliseconds
    dates = (np.datetime64(first, "D") + at).astype(str).tolist()
    values = [round(p, 4) if finite else None for p, finite
              in zip(p_alive.tolist(), np.isfinite(p_alive).tolist(), strict=True)]
    return {"dates": dates, "p_alive": values, "purchase": np.isin(at, bought).tolist()}
