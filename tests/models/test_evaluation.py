"""Holdout evaluation and model choice on the CDNOW sample (weeks, calibration ends 1997-09-30,
holdout to 1998-06-30: the design of Fader, Hardie & Lee 2005), from the bundled orders."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import valuecrm as v
from valuecrm.errors import DataError, ParameterError, SchemaError
from valuecrm.models.beta_geo import BetaGeo
from valuecrm.models.evaluation import compare_models, select_model
from valuecrm.models.holdout import HoldoutData

CAL, END = "1997-09-30", "1998-06-30"


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return v.load_cdnow(sample=True)


@pytest.fixture(scope="module")
def summary(orders) -> pd.DataFrame:
    return v.rfm_summary(orders, calibration_end=CAL, observation_end=END, freq="W").to_pandas()


@pytest.fixture(scope="module")
def result(orders):
    return v.evaluate_holdout(orders, calibration_end=CAL, observation_end=END, n_bootstrap=200)


def test_predictions_are_the_models_at_the_published_estimates(result, summary):
    """The calibration fits reproduce REFERENCE.md (the estimates lifetimes' models give on this
    summary; bench/parity.py shows the predictions agree to 1e-13), and each prediction is the
    model's E[X(39) | x, t_x, T]: 1.226 for customer 1 (x = 2, t_x = 30.43, T = 38.86)."""
    bg = result.models["BetaGeo"]
    assert bg.log_likelihood_ == pytest.approx(-9582.429, abs=1e-3)
    assert [bg.params_[k] for k in ("r", "alpha", "a", "b")] == pytest.approx(
        [0.2425945, 4.4136019, 0.7929199, 2.4258881], rel=1e-4)
    assert result.models["ParetoNBD"].log_likelihood_ == pytest.approx(-9594.976, abs=1e-2)
    predictions = result.predictions
    assert list(predictions["customer_id"]) == list(summary["customer_id"])
    for name, model in result.models.items():
        assert np.array_equal(predictions[name], model.expected_purchases(39.0, summary)), name
    assert predictions["BetaGeo"].iloc[0] == pytest.approx(1.226, rel=5e-4)


def test_table_figures_match_a_direct_computation(result, summary):
    actual = summary["frequency_holdout"].to_numpy(dtype=float)
    row = result.ranking.set_index("model").loc["BetaGeo"]
    error = result.predictions["BetaGeo"].to_numpy() - actual
    assert row["mae"] == pytest.approx(np.abs(error).mean())
    assert row["rmse"] == pytest.approx(np.sqrt((error**2).mean()))
    assert row["total_error"] == pytest.approx(error.sum() / actual.sum())
    assert row["actual_total"] == actual.sum() == 1882


def test_weekly_tracking_curve_counts_the_orders(result, orders):
    """Actual cumulative repeat purchases at each week: distinct purchase days after
    1997-09-30 of the customers who bought by then, counted here from the raw orders."""
    tracking = result.tracking
    assert list(tracking["time"]) == list(np.arange(1.0, 40.0))
    days = orders.assign(day=orders["ordered_at"].dt.normalize())
    known = set(days.loc[days["day"] <= CAL, "customer_id"])
    later = days[(days["day"] > CAL) & (days["day"] <= END) & days["customer_id"].isin(known)]
    elapsed = (later.drop_duplicates(["customer_id", "day"])["day"]
               - pd.Timestamp(CAL)).dt.days / 7.0
    expected = [int((elapsed <= week + 1e-9).sum()) for week in tracking["time"]]
    assert list(tracking["actual_cumulative"]) == expected
    for name in result.models:
        curve = tracking[name].to_numpy()
        assert np.all(np.diff(curve) > 0)
        assert curve[-1] == pytest.approx(result.predictions[name].sum())
        row = result.ranking.set_index("model").loc[name]
        assert row["tracking_error"] == pytest.approx(
            np.abs(curve - tracking["actual_cumulative"]).sum()
            / tracking["actual_cumulative"].sum())


def test_model_choice_is_deterministic_for_a_seed(result, orders):
    again = v.evaluate_holdout(orders, calibration_end=CAL, observation_end=END,
                               n_bootstrap=200)
    pd.testing.assert_frame_equal(result.ranking, again.ranking)
    assert result.reason == again.reason


def test_without_purchase_times_the_tracking_step_is_skipped(summary):
    selection = select_model(summary, n_bootstrap=100)
    assert selection.ranking["tracking_error"].isna().all()
    assert "tracking_error" not in [s["criterion"] for s in selection.choice.steps]
    assert selection.best_name == selection.ranking.loc[0, "model"]


def test_one_candidate_is_chosen_without_comparison(summary):
    selection = compare_models(HoldoutData.of(summary), [BetaGeo()], n_bootstrap=50)
    assert selection.choice.decided_by == "only model"
    assert list(selection.ranking["model"]) == ["BetaGeo"]


def test_models_by_name_and_unknown_names(orders):
    result = v.evaluate_holdout(orders, calibration_end=CAL, observation_end=END,
                                models=["ParetoNBD", BetaGeo], n_bootstrap=0)
    assert set(result.ranking["model"]) == {"ParetoNBD", "BetaGeo"}
    with pytest.raises(ParameterError, match="'models' parameter of evaluate_holdout"):
        v.evaluate_holdout(orders, calibration_end=CAL, observation_end=END, models=["BG"])


def test_bad_bootstrap_count_is_named(summary):
    with pytest.raises(ParameterError, match="'n_bootstrap' parameter of evaluate_holdout"):
        select_model(summary, n_bootstrap=-1)


def test_summary_without_holdout_is_explained(summary):
    with pytest.raises(SchemaError, match="frequency_holdout"):
        select_model(summary.drop(columns=["frequency_holdout"]))


def test_nobody_bought_twice_is_explained(summary):
    flat = summary.assign(frequency=0, recency=0.0)
    with pytest.raises(DataError, match="No purchase model could be fitted"):
        select_model(flat)


def test_a_large_base_is_evaluated_on_a_seeded_sample_drawn_in_the_engine(orders, summary):
    """With more customers than ``sample``, the customers evaluated are numpy's seeded choice
    among the ids in order, drawn where the orders are (only their summary is read): the
    result equals evaluating their orders alone, and says what it was drawn from."""
    found = v.evaluate_holdout(orders, calibration_end=CAL, observation_end=END, sample=400,
                               seed=7, n_bootstrap=0, models=["BetaGeo"])
    ids = np.sort(summary["customer_id"].to_numpy())
    picked = ids[np.sort(np.random.default_rng(7).choice(len(ids), 400, replace=False))]
    alone = v.evaluate_holdout(orders[orders["customer_id"].isin(picked)], calibration_end=CAL,
                               observation_end=END, sample=None, n_bootstrap=0,
                               models=["BetaGeo"])
    assert found.population == 2357 and alone.population is None
    assert list(found.predictions["customer_id"]) == list(picked)
    pd.testing.assert_frame_equal(found.predictions, alone.predictions)
    pd.testing.assert_frame_equal(found.tracking, alone.tracking)
    assert "random sample of 400 of 2,357 customers, seed 7" in found.reason
    again = v.evaluate_holdout(orders, calibration_end=CAL, observation_end=END, sample=400,
                               seed=7, n_bootstrap=0, models=["BetaGeo"])
    pd.testing.assert_frame_equal(found.ranking, again.ranking)
    with pytest.raises(ParameterError, match="sample"):
        v.evaluate_holdout(orders, calibration_end=CAL, observation_end=END, sample=0)
