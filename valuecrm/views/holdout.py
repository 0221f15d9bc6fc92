"""The holdout evaluation of the purchase models on the database's orders, JSON-ready.

:func:`valuecrm.evaluate_holdout` (Fader, Hardie & Lee 2005, "Counting your customers the easy
way", section 4) on the purchase orders up to ``observation_end``: each model fitted on the
history up to ``calibration_end`` (in weeks), its per-customer MAE, RMSE and bias, the error of
the total, the weekly cumulative tracking curve and its error, and the model the choice rule of
``analyze`` picks (:mod:`valuecrm.models.model_choice`). Shared by ``valuecrm evaluate-holdout``
and ``GET /api/models/holdout``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from valuecrm.analysis.pipeline import as_of_day
from valuecrm.errors import ParameterError
from valuecrm.features.units import moment
from valuecrm.models.evaluation import PURCHASE_MODELS, evaluate_holdout
from valuecrm.models.holdout import TRACKING_ERROR
from valuecrm.store import Database

__all__ = ["holdout_evaluation"]
MODELS = PURCHASE_MODELS


def holdout_evaluation(database: Database, *, calibration_end: Any,
                       observation_end: Any = None, models: Sequence[str] | None = None,
                       n_bootstrap: int = 1000, seed: int = 0) -> dict[str, Any]:
    """Fit ``models`` (default all three) on the orders up to ``calibration_end`` and compare
    them with the purchases up to ``observation_end`` (default: the day of the last order).

    Raises ParameterError (``field`` ``observation_end``) for a day after the last order, and
    (``field`` ``calibration_end``) when the calibration period does not end before it.
    """
    last = as_of_day(database)
    end = last if observation_end is None else moment(
        observation_end, "observation_end", "holdout_evaluation").normalize()
    if end > last:
        raise ParameterError(
            f"The holdout cannot end after the last order, {last.date()}: {end.date()} was "
            "given.", hint=f"Give an observation end up to {last.date()}, or none for that day.",
            field="observation_end", latest=last.date().isoformat())
    cut = moment(calibration_end, "calibration_end", "holdout_evaluation").normalize()
    if cut >= end:
        raise ParameterError(
            f"The calibration period must end before the holdout ends: {cut.date()} is not "
            f"before {end.date()}.", hint="Give an earlier calibration end, e.g. a third of "
            "the history before the last order.", field="calibration_end")
    names = list(dict.fromkeys(models or MODELS))
    result = evaluate_holdout(database, calibration_end=cut, observation_end=end,
                              models=names,
                              n_bootstrap=n_bootstrap, seed=seed)
    tracking = result.tracking
    return {
        "calibration_end": cut.date().isoformat(),
        "observation_end": end.date().isoformat(),
        "freq": "W",
        "holdout_weeks": float(tracking["time"].iloc[-1]),
        "customers": len(result.predictions),
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
                   f"resamples, seed {seed}) as in analyze"),
    }


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
