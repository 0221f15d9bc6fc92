"""The holdout evaluation of the purchase models on the database's orders, JSON-ready.

The fitting and comparison are :func:`valuecrm.analysis.holdout_fit.evaluate_on_orders`
(:func:`valuecrm.evaluate_holdout` on the purchase orders; Fader, Hardie & Lee 2005, "Counting
your customers the easy way", section 4); this module only describes the result: per model MAE,
RMSE, bias, the error of the total, the cumulative tracking error, the weekly tracking curve,
and the model the choice rule of ``analyze`` picks (:mod:`valuecrm.models.model_choice`).
Shared by ``valuecrm evaluate-holdout`` and ``GET /api/models/holdout``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from valuecrm.analysis.holdout_fit import evaluate_on_orders
from valuecrm.models.evaluation import SAMPLE
from valuecrm.models.holdout import TRACKING_ERROR
from valuecrm.store import Database

__all__ = ["holdout_evaluation"]


def holdout_evaluation(database: Database, *, calibration_end: Any,
                       observation_end: Any = None, models: Sequence[str] | None = None,
                       sample: int | None = SAMPLE, n_bootstrap: int = 1000,
                       seed: int = 0) -> dict[str, Any]:
    """:func:`~valuecrm.analysis.holdout_fit.evaluate_on_orders` as plain data (its
    ParameterErrors name the ``field``: ``calibration_end`` or ``observation_end``).
    ``customers``: those evaluated; ``population``: those a sample was drawn from (as many
    when all were evaluated)."""
    cut, end, result = evaluate_on_orders(
        database, calibration_end=calibration_end, observation_end=observation_end,
        models=models, sample=sample, n_bootstrap=n_bootstrap, seed=seed)
    tracking = result.tracking
    return {
        "calibration_end": cut.date().isoformat(),
        "observation_end": end.date().isoformat(),
        "freq": "W",
        "holdout_weeks": float(tracking["time"].iloc[-1]),
        "customers": len(result.predictions),
        "population": result.population or len(result.predictions),
        "chosen": result.best_name,
        "reason": result.reason,
        "ranking": [{k: _plain(v) for k, v in row.items()}
                    for row in result.ranking.to_dict("records")],
        "tracking": {"weeks": tracking["time"].tolist(),
                     "actual": tracking["actual_cumulative"].tolist(),
                     "expected": {m: tracking[m].tolist() for m in result.evaluations}},
        "failures": result.failures,
        "method": ("Fader, Hardie & Lee (2005) calibration/holdout validation: maximum "
                   "likelihood on the calibration period in weeks, E[X(t) | x, t_x, T] per "
                   "customer over the holdout; tracking error = " + TRACKING_ERROR
                   + f"; model choice by a paired bootstrap of the customers ({n_bootstrap:,} "
                   f"resamples, seed {seed}) as in analyze"
                   + ("" if result.population is None else
                      f"; on a seeded random sample of {len(result.predictions):,} of "
                      f"{result.population:,} customers, drawn in the engine")),
    }


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
