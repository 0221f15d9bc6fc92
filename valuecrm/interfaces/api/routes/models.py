"""``GET /api/models``: the purchase and spend models of the latest analysis.

An analysis (``valuecrm analyze``, ``POST /api/analyses``) chooses the purchase model on a
holdout (BG/NBD, Fader, Hardie & Lee 2005; Pareto/NBD, Schmittlein, Morrison & Colombo 1987;
MBG/NBD, Batislam, Denizel & Filiztekin 2007), refits it on the whole history in weeks and fits
Gamma-Gamma spend (Fader, Hardie & Lee 2005, "RFM and CLV") to the repeat buyers; its snapshot
stores their parameters, standard errors and log-likelihoods, with the ranking of the models
compared. This route answers them as stored: nothing is fitted.

Only without a snapshot, or when the request asks for another purchase model or time unit than
the snapshot holds, are the models fitted on all orders when asked (seconds to tens of seconds on
a million customers); such fits are cached per model and time unit for as long as the orders stay
the same (their row count, last order and the ingestion log are compared on each request).
``source`` says which: ``"snapshot 3"``, or ``"fitted now: no analysis yet"`` (and why).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from valuecrm.config import HOLDOUT_SAMPLE
from valuecrm.interfaces.api.auth import Viewer
from valuecrm.interfaces.api.state import ServerState, clean, server_state
from valuecrm.models.uncertainty import parameter_interval_method, stored_parameter_intervals
from valuecrm.store import Database
from valuecrm.store.snapshots import Snapshot, list_snapshots
from valuecrm.views.holdout import holdout_evaluation
from valuecrm.views.model_fit import UNITS, fit_models, orders_fingerprint

router = APIRouter(tags=["models"])

PurchaseModel = Literal["BetaGeo", "ParetoNBD", "ModifiedBetaGeo"]
Frequency = Literal["D", "W", "M"]
SNAPSHOT_FREQ = "W"  # the analysis fits in weeks


@router.get("/models")
def models(
    user: Viewer,
    request: Request,
    purchase_model: Annotated[PurchaseModel | None, Query(description=(
        "The purchase model (default: the one the latest analysis chose; BetaGeo without one). "
        "Another than the analysis chose is fitted when asked."))] = None,
    freq: Annotated[Frequency | None, Query(description=(
        "Time unit: days, weeks or months (default: weeks, as the analysis fits; days or "
        "months are fitted when asked)."))] = None,
) -> dict[str, Any]:
    """The purchase model (every customer) and Gamma-Gamma spend (repeat buyers): parameters
    with standard errors and 95% profile-likelihood intervals (inside the parameter space),
    log-likelihood, AIC and BIC, the method, and the model choice (reason, holdout ranking of
    the models compared with each one's RMSE gap and its paired-bootstrap interval, total and
    tracking errors and BIC, and ``choice``: the rule and the step of it that decided).

    ``source`` is ``"snapshot N"`` when they come from the latest analysis (nothing is fitted),
    or ``"fitted now: WHY"`` when they were fitted on all orders for this request (no analysis
    yet, or another model or time unit was asked for); ``cached`` says whether such a fit was
    reused."""
    state = server_state(request)
    with state.session() as database:
        snapshots = list_snapshots(database)
        latest = snapshots[-1] if snapshots else None
        why = "no analysis yet"
        if latest is not None:
            found = _refit_reason(latest, purchase_model, freq)
            if found is None:
                return from_snapshot(latest)
            why = found
        name, chosen = _purchase_model(latest, purchase_model)
        fitted = cached_fit(state, database, name, freq or SNAPSHOT_FREQ)
    return {**fitted, "source": f"fitted now: {why}", "selection": {
        "reason": f"{name} {chosen}: no models were compared for this fit (an analysis compares "
                  "them on a holdout: POST /api/analyses)", "ranking": [], "holdout": None,
        "choice": None}}


@router.get("/models/holdout")
def holdout(
    user: Viewer,
    request: Request,
    calibration_end: Annotated[dt.date, Query(description=(
        "Last day of the calibration period: the models are fitted on the history up to it."))],
    observation_end: Annotated[dt.date | None, Query(description=(
        "Last day of the holdout period (default: the day of the last order)."))] = None,
    purchase_model: Annotated[list[PurchaseModel] | None, Query(description=(
        "The purchase models to compare (repeat the parameter; default: all three)."))] = None,
    bootstrap: Annotated[int, Query(ge=0, le=10_000, description=(
        "Paired bootstrap resamples of the customers for the model choice (0: none)."))] = 1000,
    sample: Annotated[int, Query(ge=100, le=10_000_000, description=(
        "Customers evaluated: with more, a seeded random sample of this many (drawn in the "
        "database)."))] = HOLDOUT_SAMPLE,
) -> dict[str, Any]:
    """Holdout evaluation of the purchase models on the orders (valuecrm.evaluate_holdout):
    per model MAE, RMSE, bias, total error and cumulative tracking error, the weekly tracking
    curve, and the model analyze's choice rule picks, with why. The models are fitted for this
    request (seconds on a few hundred thousand customers)."""
    with server_state(request).session() as database:
        return holdout_evaluation(database, calibration_end=calibration_end,
                                  observation_end=observation_end, models=purchase_model,
                                  sample=sample, n_bootstrap=bootstrap)


def _purchase_model(latest: Snapshot | None, asked: str | None) -> tuple[str, str]:
    """The purchase model to fit and how it was chosen."""
    if asked is not None:
        return asked, "as asked for"
    if latest is not None and latest.model:
        return latest.model, f"as the analysis of snapshot {latest.snapshot_id} chose"
    return "BetaGeo", "by default"


def _refit_reason(snapshot: Snapshot, purchase_model: str | None, freq: str | None) -> str | None:
    """Why the snapshot cannot answer this request (None when it can)."""
    if purchase_model is not None and purchase_model != snapshot.model:
        held = snapshot.model or "no purchase model"
        return f"{purchase_model} was asked for; snapshot {snapshot.snapshot_id} has {held}"
    if freq is not None and freq != SNAPSHOT_FREQ:
        return (f"{UNITS[freq]} were asked for; snapshot {snapshot.snapshot_id} is fitted in "
                f"{UNITS[SNAPSHOT_FREQ]}")
    return None


def from_snapshot(snapshot: Snapshot) -> dict[str, Any]:
    """The models a snapshot stores, in the shape of a fit (JSON-ready)."""
    stored = snapshot.parameters
    purchase = stored.get(snapshot.model) if snapshot.model else None
    spend = stored.get("GammaGamma")
    sid = snapshot.snapshot_id
    return {
        "source": f"snapshot {sid}",
        "snapshot_id": sid,
        "observation_end": snapshot.as_of.isoformat(),
        "freq": SNAPSHOT_FREQ,
        "customers": snapshot.counts.get("customers"),
        "repeat_buyers": snapshot.counts.get("repeat_buyers"),
        "purchase_model": describe_stored(snapshot.model, purchase) if purchase else None,
        "spend_model": describe_stored("GammaGamma", spend) if spend else None,
        "method": (f"maximum likelihood, fitted by the analysis of snapshot {sid} on the history "
                   f"up to {snapshot.as_of.isoformat()}, time in weeks (n_customers: the "
                   f"customers fitted on); {parameter_interval_method()}"),
        "selection": {
            "reason": snapshot.model_reason,
            "ranking": [{k: clean(v) for k, v in row.items()}
                        for row in snapshot.metadata.get("model_ranking") or []],
            "holdout": snapshot.metadata.get("holdout"),
            "choice": snapshot.metadata.get("model_choice"),
        },
        "cached": False,
    }


def describe_stored(name: str | None, fit: dict[str, Any]) -> dict[str, Any]:
    """A stored fit (``params``, ``standard_errors``, ``intervals``, ``log_likelihood``,
    ``n_customers``) as :func:`valuecrm.views.model_fit.describe` gives a fitted model: the
    stored 95% profile-likelihood intervals
    (:func:`~valuecrm.models.uncertainty.stored_parameter_intervals`; ``upper`` null where the
    data do not bound the parameter) with their ``interval_method``, AIC and BIC."""
    params: dict[str, float] = fit.get("params") or {}
    errors = fit.get("standard_errors") or {}
    bounds, method = stored_parameter_intervals(fit)
    rows = []
    for param, value in params.items():
        estimate, se = clean(value), clean(errors.get(param))
        lower, upper = bounds[param]
        rows.append({"param": param, "estimate": estimate, "se": se,
                     "lower": clean(lower), "upper": clean(upper)})
    log_likelihood = clean(fit.get("log_likelihood"))
    n = fit.get("n_customers")
    k = len(params)
    known_ll = log_likelihood is not None
    return {"name": name, "params": rows, "interval_method": method,
            "log_likelihood": log_likelihood,
            "aic": 2.0 * k - 2.0 * log_likelihood if known_ll else None,
            "bic": k * math.log(n) - 2.0 * log_likelihood if known_ll and n else None,
            "n_customers": None if n is None else int(n)}


def cached_fit(state: ServerState, database: Database, purchase_model: str,
               freq: str) -> dict[str, Any]:
    """:func:`fit_models`, reused while the orders stay the same."""
    fingerprint = orders_fingerprint(database)
    with state.model_lock:
        cache = state.model_cache
        if cache.get("fingerprint") != fingerprint:  # the orders changed: forget every fit
            cache.clear()
            cache["fingerprint"] = fingerprint
        fitted = cache.get((purchase_model, freq))
        if fitted is not None:
            return {**fitted, "cached": True}
        fitted = cache[(purchase_model, freq)] = fit_models(
            database, purchase_model, freq,
            hint="Load orders first: POST /api/ingest/orders or valuecrm ingest.")
    return fitted
