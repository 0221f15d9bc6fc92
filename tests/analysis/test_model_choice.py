"""The reason for the model choice names the candidates that could not be fitted."""

from __future__ import annotations

import numpy as np
import pandas as pd

from valuecrm import models
from valuecrm.analysis import AnalysisConfig
from valuecrm.analysis.predict import choose_model
from valuecrm.errors import ConvergenceError


class ParetoNBD(models.ParetoNBD):  # a test double that never fits
    def fit(self, *args, **kwargs):
        raise ConvergenceError("it never converges (a test double).")


def _split(n: int = 500, seed: int = 1) -> pd.DataFrame:
    """A calibration (39 weeks) / holdout (26 weeks) summary of simulated BG/NBD buyers."""
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(n):
        rate, p, start = rng.gamma(1.0, 0.3), rng.beta(1.0, 4.0), rng.uniform(0, 30)
        times, t = [], start
        while True:
            t += rng.exponential(1.0 / rate)
            if t > 65:
                break
            times.append(t)
            if rng.random() < p:
                break
        cal = [u for u in times if u <= 39]
        rows.append({"frequency": float(len(cal)), "recency": cal[-1] - start if cal else 0.0,
                     "T": 39 - start, "frequency_holdout": float(len(times) - len(cal)),
                     "duration_holdout": 26.0, "monetary_value": 20.0 if cal else 0.0,
                     "monetary_value_holdout": 0.0})
    return pd.DataFrame(rows)


def test_a_candidate_that_cannot_be_fitted_is_named_in_the_reason(monkeypatch):
    monkeypatch.setattr(models, "ParetoNBD", ParetoNBD)
    config = AnalysisConfig(candidates=("BetaGeo", "ParetoNBD"))
    chosen, reason, ranking = choose_model(_split(), config)
    assert chosen is models.BetaGeo
    assert [row["model"] for row in ranking] == ["BetaGeo"]
    assert "ParetoNBD was not compared: it could not be fitted (it never converges" in reason
