"""Model choice inside ``analyze``: candidates that could not be fitted are named, and on the
CDNOW sample as of 1997-09-30 the choice is near the best on the real 39-week holdout."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.helpers.data import CDNOW_CALIBRATION_END
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
    chosen, reason, ranking, choice = choose_model(_split(), config)
    assert chosen is models.BetaGeo
    assert [row["model"] for row in ranking] == ["BetaGeo"]
    assert "ParetoNBD was not compared: it could not be fitted (it never converges" in reason
    assert choice["decided_by"] == "only model" and "ParetoNBD" in choice["failures"]


def test_cdnow_choice_is_near_the_best_on_the_real_holdout(analysed_db):
    """Issue 17: analyze on the CDNOW sample as of 1997-09-30 compares the models on its last 12
    weeks. MBG/NBD has the lowest RMSE there (0.7749 against BG/NBD's 0.7767), a gap within
    noise; the old RMSE-only rule picked it, and on the real 39-week holdout its total is off by
    16.2% against 11.5% for the best. The rule ties BG/NBD and MBG/NBD, and BG/NBD is chosen:
    within 2 points of the best total error and 0.01 of the best RMSE on the real holdout."""
    from valuecrm import evaluate_holdout
    from valuecrm.analysis import get_snapshot
    from valuecrm.datasets import load_cdnow
    from valuecrm.store import connect

    path = analysed_db("cdnow_sample", CDNOW_CALIBRATION_END, candidates=None)
    with connect(path, read_only=True) as database:
        snapshot = get_snapshot(database)
    orders = load_cdnow(sample=True)
    choice, ranking = snapshot.metadata["model_choice"], snapshot.metadata["model_ranking"]
    assert snapshot.metadata["holdout"]["holdout_weeks"] == 12
    rmse = choice["steps"][0]
    assert rmse["criterion"] == "rmse" and rmse["best"] == "ModifiedBetaGeo"
    tied = {m for m, v in rmse["models"].items() if v["tied"]}
    assert tied == {"BetaGeo", "ModifiedBetaGeo"}  # ParetoNBD's gap is beyond noise
    assert rmse["models"]["ParetoNBD"]["lower"] > 0 >= rmse["models"]["BetaGeo"]["lower"]
    assert snapshot.model == choice["chosen"] == ranking[0]["model"] == "BetaGeo"
    assert choice["decided_by"] in ("abs_total_error", "tracking_error", "bic")
    assert "BetaGeo chosen on the holdout, decided by" in snapshot.model_reason
    assert {"rmse", "rmse_gap_lower", "rmse_gap_upper", "total_error", "tracking_error",
            "bic"} <= set(ranking[0])

    real = evaluate_holdout(orders, calibration_end="1997-09-30", observation_end="1998-06-30",
                            n_bootstrap=0).ranking.set_index("model")
    chosen = real.loc[snapshot.model]
    assert abs(chosen["total_error"]) <= real["total_error"].abs().min() + 0.02
    assert chosen["rmse"] <= real["rmse"].min() + 0.01
    assert abs(real.loc["ModifiedBetaGeo", "total_error"]) > real["total_error"].abs().min() + 0.02


def test_analyze_prints_each_models_figures(analysed_db, tmp_path, monkeypatch, capsys):
    from tests.helpers.cli import run

    path = analysed_db("cdnow_sample", CDNOW_CALIBRATION_END, candidates=None, copy_to=tmp_path)
    code, out, err = run(monkeypatch, capsys, "--db", str(path), "analyze", "--as-of",
                         CDNOW_CALIBRATION_END)
    assert code == 0, err
    assert "Purchase model: BetaGeo. BetaGeo chosen on the holdout, decided by" in out
    lines = [line.strip() for line in out.splitlines() if line.startswith("  ")]
    assert lines[0].startswith("1. BetaGeo (chosen): RMSE 0.7767 (gap to the lowest +0.0018, "
                               "95% interval [-0.00")
    assert "total error -1.1%, tracking error 3.3%, BIC 13,846.7" in lines[0]
    assert lines[1].startswith("2. ModifiedBetaGeo: RMSE 0.7749 (the lowest)")
    assert lines[2].startswith("3. ParetoNBD: RMSE 0.7838 (gap to the lowest +0.0089")
