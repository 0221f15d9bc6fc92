"""The purchase and spend models fitted on all orders when no snapshot holds the ones asked for
(``GET /api/models`` with another model or time unit), summarised with 95% profile-likelihood
intervals (inside each parameter's domain) and fit statistics. The fitting is
:func:`valuecrm.analysis.orders_fit.fit_on_all_orders`; this module only describes its result.
"""

from __future__ import annotations

from typing import Any

from valuecrm.analysis.orders_fit import fit_on_all_orders
from valuecrm.models.uncertainty import parameter_interval_method
from valuecrm.store import Database
from valuecrm.store.ingest import LOADS_TABLE
from valuecrm.views.customer360 import clean

UNITS = {"D": "days", "W": "weeks", "M": "months"}

__all__ = ["UNITS", "describe", "fit_models", "orders_fingerprint"]


def orders_fingerprint(database: Database) -> tuple[Any, ...]:
    """What fits on all orders rest on: the orders' count and last time, and the ingestion
    log's count and last load (None before the first load)."""
    raw = database.raw
    orders = raw.execute("SELECT count(*), max(ordered_at) FROM orders").fetchone()
    tables = {r[0] for r in raw.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    loads = (raw.execute(f"SELECT count(*), max(loaded_at) FROM {LOADS_TABLE}").fetchone()
             if LOADS_TABLE in tables else None)
    return (*orders, loads)


def fit_models(database: Database, purchase_model: str, freq: str, *,
               hint: str | None = None) -> dict[str, Any]:
    """The models of :func:`valuecrm.analysis.orders_fit.fit_on_all_orders`, as a JSON-ready
    summary. Raises :class:`~valuecrm.errors.DataError` (with ``hint``) when there are no
    orders."""
    fit = fit_on_all_orders(database, purchase_model, freq, hint=hint)
    return {
        "snapshot_id": None,
        "observation_end": fit.observation_end,
        "freq": freq,
        "customers": fit.customers,
        "repeat_buyers": fit.repeat_buyers,
        "purchase_model": describe(purchase_model, fit.purchase),
        "spend_model": None if fit.spend is None else describe("GammaGamma", fit.spend),
        "method": (f"maximum likelihood, fitted by the server on every customer's orders up to "
                   f"the last one, time in {UNITS[freq]}; {parameter_interval_method()}"),
        "cached": False,
    }


def describe(name: str, model: Any) -> dict[str, Any]:
    """A fitted model's parameters with their 95% profile-likelihood intervals (``summary()``;
    ``upper`` null where the data do not bound the parameter), the ``interval_method`` and fit
    statistics."""
    summary = model.summary()
    params = [{k: clean(v) for k, v in row.items()} for row in summary.to_dict("records")]
    return {"name": name, "params": params, "interval_method": summary.attrs["method"],
            "log_likelihood": clean(model.log_likelihood_),
            "aic": clean(model.aic_), "bic": clean(float(model.bic_)),
            "n_customers": int(model.n_customers_)}
