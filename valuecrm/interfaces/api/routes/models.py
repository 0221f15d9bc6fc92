"""``GET /api/models``: the purchase and spend models fitted to the current data.

A purchase model (BG/NBD, Fader, Hardie & Lee 2005; Pareto/NBD, Schmittlein, Morrison & Colombo
1987; MBG/NBD, Batislam, Denizel & Filiztekin 2007) is fitted to every customer, and Gamma-Gamma
spend (Fader, Hardie & Lee 2005, "RFM and CLV") to the repeat buyers. Fits are computed on demand
and cached per model and time unit for as long as the orders stay the same (their row count,
last order and the ingestion log are compared on each request).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from valuecrm.errors import DataError
from valuecrm.interfaces.api.auth import Viewer
from valuecrm.interfaces.api.state import clean, server_state
from valuecrm.store import Database
from valuecrm.store.ingest import LOADS_TABLE

router = APIRouter(tags=["models"])

PurchaseModel = Literal["BetaGeo", "ParetoNBD", "ModifiedBetaGeo"]
Frequency = Literal["D", "W", "M"]


@router.get("/models")
def models(
    user: Viewer,
    request: Request,
    purchase_model: Annotated[PurchaseModel, Query(description="The purchase model.")]
    = "BetaGeo",
    freq: Annotated[Frequency, Query(description="Time unit: days, weeks or months.")] = "W",
) -> dict[str, Any]:
    """Parameters with standard errors and 95% intervals, log-likelihood, AIC and BIC of the
    purchase model (every customer) and of Gamma-Gamma spend (repeat buyers), fitted up to the
    last order in the data."""
    state = server_state(request)
    with state.session() as database:
        fingerprint = _fingerprint(database)
        with state.model_lock:
            cache = state.model_cache
            if cache.get("fingerprint") != fingerprint:  # the orders changed: forget every fit
                cache.clear()
                cache["fingerprint"] = fingerprint
            fitted = cache.get((purchase_model, freq))
            if fitted is not None:
                return {**fitted, "cached": True}
            fitted = cache[(purchase_model, freq)] = fit_models(database, purchase_model, freq)
    return fitted


def _fingerprint(database: Database) -> tuple[Any, ...]:
    raw = database.raw
    orders = raw.execute("SELECT count(*), max(ordered_at) FROM orders").fetchone()
    tables = {r[0] for r in raw.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    loads = (raw.execute(f"SELECT count(*), max(loaded_at) FROM {LOADS_TABLE}").fetchone()
             if LOADS_TABLE in tables else None)
    return (*orders, loads)


def fit_models(database: Database, purchase_model: str, freq: str) -> dict[str, Any]:
    """Fit the purchase model and Gamma-Gamma on all orders; a JSON-ready summary."""
    from valuecrm import models as catalogue
    from valuecrm.features import rfm_summary

    orders = database.table("orders")
    last = orders.ordered_at.max().execute()
    if last is None or last != last:
        raise DataError("There are no orders to fit a model to.",
                        hint="Load orders first: POST /api/ingest/orders or valuecrm ingest.")
    summary = rfm_summary(orders, observation_end=last, freq=freq).to_pandas()
    purchase = getattr(catalogue, purchase_model)().fit(summary)
    repeat = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
    spend = catalogue.GammaGamma().fit(repeat) if len(repeat) >= 2 else None
    return {
        "observation_end": last,
        "freq": freq,
        "customers": len(summary),
        "repeat_buyers": len(repeat),
        "purchase_model": describe(purchase_model, purchase),
        "spend_model": None if spend is None else describe("GammaGamma", spend),
        "cached": False,
    }


def describe(name: str, model: Any) -> dict[str, Any]:
    """A fitted model's parameters with intervals and fit statistics."""
    params = [{k: clean(v) for k, v in row.items()}
              for row in model.summary().to_dict("records")]
    return {"name": name, "params": params, "log_likelihood": clean(model.log_likelihood_),
            "aic": clean(model.aic_), "bic": clean(float(model.bic_)),
            "n_customers": int(model.n_customers_)}


