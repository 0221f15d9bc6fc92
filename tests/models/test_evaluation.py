"""Calibration/holdout evaluation and model selection on the CDNOW sample (weeks, calibration
ends 1997-09-30, holdout to 1998-06-30: the design of Fader, Hardie & Lee 2005)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import valuecrm as v
from valuecrm.errors import DataError, SchemaError
from valuecrm.models.beta_geo import BetaGeo
from valuecrm.models.evaluation import actual_tracking, evaluate_holdout, select_model


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return v.load_cdnow(sample=True)


@pytest.fixture(scope="module")
def summary(orders) -> pd.DataFrame:
    return v.rfm_summary(orders, calibration_end="1997-09-30", observation_end="1998-06-30",
                         freq="W").to_pandas()


def test_holdout_metrics_match_a_direct_computation(summary):
    model = BetaGeo().fit(summary)
    evaluation = evaluate_holdout(model, summary)
    predicted = model.expected_purchases(39, summary)
    error = predicted - summary["frequency_holdout"].to_numpy()
    assert summary["duration_holdout"].max() == pytest.approx(39.0)
    assert evaluation.mae == pytest.approx(np.abs(error).mean())
    assert evaluation.rmse == pytest.approx(np.sqrt((error**2).mean()))
    assert evaluation.bias == pytest.approx(error.mean())
    assert evaluation.actual_total == summary["frequency_holdout"].sum()
    assert evaluation.n_customers == 2357


def test_tracking_ends_at_the_totals(summary, orders):
    evaluation = evaluate_holdout(BetaGeo().fit(summary), summary, tracking_periods=39)
    tracking = evaluation.tracking
    assert len(tracking) == 39 and np.all(np.diff(tracking["predicted_cumulative"]) > 0)
    assert tracking["predicted_cumulative"].iloc[-1] == pytest.approx(evaluation.predicted_total)
    actual = actual_tracking(orders, summary["customer_id"], calibration_end="1997-09-30",
                             observation_end="1998-06-30", points=tracking["time"], freq="W")
    assert np.all(np.diff(actual) >= 0)
    assert actual[-1] == evaluation.actual_total


def test_selection_ranks_every_candidate_and_explains(summary):
    selection = select_model(summary)
    assert set(selection.ranking["model"]) == {"BetaGeo", "ParetoNBD", "ModifiedBetaGeo"}
    assert list(selection.ranking["rank"]) == [1, 2, 3]
    assert selection.ranking["rmse"].is_monotonic_increasing
    assert selection.best_name == selection.ranking.loc[0, "model"]
    assert selection.best_name in selection.reason and "RMSE" in selection.reason
    assert selection.ranking.loc[
        selection.ranking.model == "BetaGeo", "log_likelihood"].item() == pytest.approx(
        -9582.429, abs=0.01)


def test_summary_without_holdout_is_explained(summary):
    with pytest.raises(SchemaError, match="frequency_holdout"):
        select_model(summary.drop(columns=["frequency_holdout"]))


def test_nobody_bought_twice_is_explained(summary):
    flat = summary.assign(frequency=0, recency=0.0)
    with pytest.raises(DataError, match="No purchase model could be fitted"):
        select_model(flat)
