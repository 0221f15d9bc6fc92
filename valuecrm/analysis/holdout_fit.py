"""The holdout evaluation of the purchase models on a database's orders (``valuecrm
evaluate-holdout``, ``GET /api/models/holdout``): :func:`valuecrm.evaluate_holdout` on the purchase
orders, with the dates checked in the words of those interfaces.

Fader, Hardie & Lee (2005), "Counting your customers the easy way", section 4: each model fitted
on the history up to ``calibration_end`` (in weeks), compared with the purchases up to
``observation_end``; the model choice rule of ``analyze`` (:mod:`valuecrm.models.model_choice`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from valuecrm.analysis.pipeline import as_of_day
from valuecrm.errors import ParameterError
from valuecrm.features.units import moment
from valuecrm.models.evaluation import (
    PURCHASE_MODELS,
    SAMPLE,
    HoldoutComparison,
    evaluate_holdout,
)
from valuecrm.store import Database

__all__ = ["evaluate_on_orders"]
OWNER = "evaluate_on_orders"


def evaluate_on_orders(database: Database, *, calibration_end: Any,
                       observation_end: Any = None, models: Sequence[str] | None = None,
                       sample: int | None = SAMPLE, n_bootstrap: int = 1000, seed: int = 0
                       ) -> tuple[pd.Timestamp, pd.Timestamp, HoldoutComparison]:
    """Fit ``models`` (names; default all three) on the orders up to ``calibration_end`` and
    compare them with the purchases up to ``observation_end`` (default: the day of the last
    order), on a seeded sample of ``sample`` customers when there are more. Returns both days
    and the comparison.

    Raises ParameterError (``field`` ``observation_end``) for a day after the last order, and
    (``field`` ``calibration_end``) when the calibration period does not end before it.
    """
    last = as_of_day(database)
    end = last if observation_end is None else moment(
        observation_end, "observation_end", OWNER).normalize()
    if end > last:
        raise ParameterError(
            f"The holdout cannot end after the last order, {last.date()}: {end.date()} was "
            "given.", hint=f"Give an observation end up to {last.date()}, or none for that day.",
            field="observation_end", latest=last.date().isoformat())
    cut = moment(calibration_end, "calibration_end", OWNER).normalize()
    if cut >= end:
        raise ParameterError(
            f"The calibration period must end before the holdout ends: {cut.date()} is not "
            f"before {end.date()}.", hint="Give an earlier calibration end, e.g. a third of "
            "the history before the last order.", field="calibration_end")
    names = list(dict.fromkeys(models or PURCHASE_MODELS))
    return cut, end, evaluate_holdout(database, calibration_end=cut, observation_end=end,
                                      models=names, sample=sample, n_bootstrap=n_bootstrap,
                                      seed=seed)
