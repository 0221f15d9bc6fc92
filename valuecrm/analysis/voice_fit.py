"""The satisfaction index and the key drivers fitted on the survey answers stored in the
database (``valuecrm voice pls|drivers`` without a FILE, ``GET /api/voice/index|ipma|drivers``,
the dashboard's "Voice of the customer" page); :mod:`valuecrm.views.voice_index` describes the
results and keeps them while the answers stay the same.

- The index: :data:`valuecrm.voice.specifications.SINGLE_ITEM_ECSI` (the ECSI structure without
  Complaints, one question per construct; Tenenhaus et al. 2005) by PLS path modelling, path
  scheme, answers on 1-10, bootstrapped :data:`RESAMPLES` times with seed :data:`SEED`.
- The drivers: the Shapley (LMG) decomposition of R² of the 0-10 recommendation on
  :data:`DRIVER_ITEMS` (Grömping 2006), with bootstrap intervals.
"""

from __future__ import annotations

import pandas as pd

from valuecrm.voice import PLSBootstrap, PLSPathModel, driver_importance
from valuecrm.voice.specifications import SINGLE_ITEM_ECSI

__all__ = ["DRIVER_ITEMS", "RESAMPLES", "SEED", "fit_nps_drivers", "fit_stored_index"]
RESAMPLES = 1000
SEED = 0
RATED_SCALE = (1, 10)
NPS_SCALE = (0, 10)
DRIVER_ITEMS = ("image", "expectations", "perceived_quality", "perceived_value", "satisfaction")


def fit_stored_index(answers: pd.DataFrame) -> tuple[PLSPathModel, PLSBootstrap]:
    """The single-item ECSI model fitted on ``answers`` (one row per questionnaire, one column
    per question code) and its bootstrap."""
    model = SINGLE_ITEM_ECSI.model(scale=RATED_SCALE).fit(answers)
    return model, model.bootstrap(n=RESAMPLES, seed=SEED)


def fit_nps_drivers(answers: pd.DataFrame, outcome: str = "nps") -> pd.DataFrame:
    """The key-driver table of ``outcome`` (0-10) on :data:`DRIVER_ITEMS` (1-10)
    (:func:`valuecrm.voice.driver_importance`, with bootstrap intervals)."""
    return driver_importance(answers, outcome, list(DRIVER_ITEMS), scale=RATED_SCALE,
                             outcome_scale=NPS_SCALE, bootstrap=RESAMPLES, seed=SEED)
