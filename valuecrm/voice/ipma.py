"""The importance-performance map (IPMA) and its four quadrants.

Ringle & Sarstedt (2016), "Gain more insight from your PLS-SEM results: the importance-
performance map analysis", Industrial Management & Data Systems 116(9); Martilla & James
(1977), "Importance-performance analysis", Journal of Marketing 41(1), for the quadrants.

- **Performance**: the driver's 0-100 index (ACSI convention, ``indices_``).
- **Importance**: the driver's unstandardised total effect on the target's 0-100 score: how
  many points the target gains when the driver's performance gains one point (SmartPLS's IPMA).
  It is the standardised total effect times sd(target score) / sd(driver score), the 0-100
  scores being linear in the standardised construct scores. ``total_effect`` keeps the
  standardised value.
- **Quadrants**: split at the mean importance and the mean performance of the drivers
  (Martilla & James's "crosshairs"), or at cuts given by the caller:

  ============================  ===============  ================
  quadrant                      importance       performance
  ============================  ===============  ================
  keep up the good work         high (>= cut)    high (>= cut)
  concentrate here              high             low
  low priority                  low              low
  possible overkill             low              high
  ============================  ===============  ================
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from valuecrm.errors import ParameterError

QUADRANTS = ("keep up the good work", "concentrate here", "low priority", "possible overkill")


def quadrant(importance: np.ndarray | pd.Series, performance: np.ndarray | pd.Series,
             importance_cut: float, performance_cut: float) -> np.ndarray:
    """The quadrant name of each (importance, performance) pair."""
    high_i = np.asarray(importance, dtype=float) >= importance_cut
    high_p = np.asarray(performance, dtype=float) >= performance_cut
    return np.where(high_i, np.where(high_p, QUADRANTS[0], QUADRANTS[1]),
                    np.where(high_p, QUADRANTS[3], QUADRANTS[2]))


def importance_performance(model: Any, target: str, *, importance_cut: float | None = None,
                           performance_cut: float | None = None) -> pd.DataFrame:
    """One row per construct with a total effect on ``target`` of a fitted PLSPathModel:
    construct, importance, total_effect, performance, quadrant (rules in the module docstring)."""
    names = list(model.indices_.index)
    if target not in names:
        raise ParameterError(f"The IPMA target {target!r} is not a construct of the model. "
                             f"Constructs: {', '.join(names)}.")
    effects = model.total_effects_[model.total_effects_["target"] == target]
    if effects.empty:
        raise ParameterError(f"No construct has an effect on {target!r} (it has no paths "
                             "into it): pick an endogenous construct as the IPMA target.")
    spread = model.index_scores_.std(ddof=1)
    out = pd.DataFrame({"construct": effects["source"].to_numpy(),
                        "total_effect": effects["total_effect"].to_numpy()})
    out["importance"] = out["total_effect"] * spread[target] / spread[out["construct"]].to_numpy()
    out["performance"] = model.indices_[out["construct"]].to_numpy()
    icut = float(out["importance"].mean()) if importance_cut is None else importance_cut
    pcut = float(out["performance"].mean()) if performance_cut is None else performance_cut
    out["quadrant"] = quadrant(out["importance"], out["performance"], icut, pcut)
    out.attrs.update(target=target, importance_cut=icut, performance_cut=pcut,
                     method="IPMA (Ringle & Sarstedt 2016): unstandardised total effects on the "
                            "target's 0-100 score against 0-100 performance; quadrants split "
                            "at the drivers' means unless cuts are given.")
    return out[["construct", "importance", "total_effect", "performance", "quadrant"]]
