"""The CLV interval of ``analyze``'s predictions: every shifted parameter value is evaluated on
histories read and grouped once, with the numbers of month-by-month ``expected_purchases``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.helpers import summaries
from valuecrm.analysis import predict as predict_module
from valuecrm.analysis.predict import predict, weekly
from valuecrm.config import AnalysisConfig
from valuecrm.models import BetaGeo, ModifiedBetaGeo, ParetoNBD
from valuecrm.models import beta_geo as beta_geo_module
from valuecrm.models.histories import Histories, distinct_histories
from valuecrm.models.pareto_nbd import Design
from valuecrm.models.uncertainty import delta_method_variance, log_covariance
from valuecrm.value import clv as clv_module
from valuecrm.value.clv import DAYS_PER_MONTH, discounted_purchases, monthly_rate

MODELS = [BetaGeo, ModifiedBetaGeo, ParetoNBD]


@pytest.fixture(scope="module")
def daily_summary() -> pd.DataFrame:
    """The CDNOW sample as ``analyze`` passes it to ``predict``: times in days."""
    return summaries.daily_summary()


def old_route(model, rows: pd.DataFrame, config: AnalysisConfig) -> np.ndarray:
    """The discounted purchases as computed before: ``expected_purchases`` once per month (on
    a whole horizon of months), read and grouped at every call."""
    assert config.horizon_months == int(config.horizon_months)
    d = monthly_rate(config.discount_rate)
    value = previous = np.zeros(len(rows))
    for month in range(1, int(config.horizon_months) + 1):
        cumulative = model.expected_purchases(float(month) * (DAYS_PER_MONTH / 7.0), rows)
        value = value + (cumulative - previous) / (1.0 + d) ** month
        previous = cumulative
    return value


def discounted(model, histories, config: AnalysisConfig) -> np.ndarray:
    return discounted_purchases(model, histories, horizon=config.horizon_months,
                                discount_rate=config.discount_rate, freq="W")


@pytest.mark.parametrize("model_class", MODELS, ids=lambda c: c.__name__)
def test_interval_variance_is_unchanged_to_the_last_bit(daily_summary, model_class):
    """On CDNOW, the delta-method variance of log CLV from histories grouped once equals, bit
    for bit, the one that called ``customer_lifetime_value`` for every shifted parameter."""
    config = AnalysisConfig()
    data = weekly(daily_summary)
    model = model_class().fit(data[["frequency", "recency", "T"]])
    _, histories = distinct_histories(data, model_class.__name__)
    rows = histories.to_frame()
    covariance, how = log_covariance(model, data)
    assert how == "full covariance"
    at_estimate = discounted(model, histories, config)
    np.testing.assert_array_equal(at_estimate, old_route(model, rows, config))
    new = delta_method_variance(model, lambda m: discounted(m, histories, config),
                                at_estimate, covariance)
    old = delta_method_variance(model, lambda m: old_route(m, rows, config), at_estimate,
                                covariance)
    assert np.all(new > 0)
    np.testing.assert_array_equal(new, old)


@pytest.mark.parametrize("model_class", MODELS, ids=lambda c: c.__name__)
def test_curve_equals_expected_purchases_per_horizon(daily_summary, model_class):
    """Each row of ``expected_purchases_curve`` is ``expected_purchases`` at that horizon on
    the DataFrame, exactly, also at parameters away from the estimate."""
    data = weekly(daily_summary)
    fitted = model_class().fit(data[["frequency", "recency", "T"]])
    shifted = model_class.from_params(**{k: v * 1.01 for k, v in fitted.params_.items()})
    histories = Histories.of(data, model_class.__name__)
    horizons = [0.0, 4.35, 26.0, 52.18]
    for model in (fitted, shifted):
        curve = model.expected_purchases_curve(horizons, histories)
        assert curve.shape == (len(horizons), len(data))
        for t, row in zip(horizons, curve, strict=True):
            np.testing.assert_array_equal(row, model.expected_purchases(t, data))


def test_histories_are_grouped_once_for_every_horizon_and_parameter(daily_summary,
                                                                    monkeypatch):
    """BG/NBD: ``predict`` groups the customers' (x, T) pairs once for all its predictions (the
    CLV at the estimate and at 4 shifted parameter values, 12 monthly horizons each), where it
    grouped them at every one of its 61 calls to ``expected_purchases`` before."""
    groupings = []
    original = beta_geo_module.unique_codes

    def counting(*columns):
        if len(columns) == 2:  # (x, T): the predictions' grouping; the fit groups columns alone
            groupings.append(columns[0].size)
        return original(*columns)

    monkeypatch.setattr(beta_geo_module, "unique_codes", counting)
    prediction = predict(daily_summary, BetaGeo, "", margin_ratio=0.3, config=AnalysisConfig())
    assert prediction.model == "BetaGeo"
    assert np.all(prediction.scores["clv_lower"] < prediction.scores["clv_upper"])
    assert len(groupings) == 1


def test_pareto_nbd_design_is_built_once_for_the_predictions(daily_summary, monkeypatch):
    """Pareto/NBD: the (x, y) design of the distinct histories is built once for every CLV
    prediction (not once per horizon and parameter value), also for the intervals of expected
    purchases and P(alive); P(alive) once per parameter value."""
    designs = []
    original = Design.of.__func__

    def counting(cls, x, t_x, big_t):
        designs.append(np.size(x))
        return original(cls, x, t_x, big_t)

    monkeypatch.setattr(Design, "of", classmethod(counting))
    curves = []
    original_curve = ParetoNBD.expected_purchases_curve

    def counting_curve(self, ts, histories):
        curves.append(len(ts))
        return original_curve(self, ts, histories)

    monkeypatch.setattr(ParetoNBD, "expected_purchases_curve", counting_curve)
    config = AnalysisConfig()
    prediction = predict(daily_summary, ParetoNBD, "", margin_ratio=0.3, config=config)
    assert prediction.model == "ParetoNBD"
    n_distinct = distinct_histories(weekly(daily_summary), "test")[1].n_rows
    # the fit, the covariance, probability_alive and the shared design of the predictions
    assert designs.count(n_distinct) <= 4
    # expected purchases at the estimate and at 4 shifted values (its interval); CLV at 5 values
    assert sorted(curves) == [1] * 5 + [12] * 5
    assert np.all(np.isfinite(prediction.scores["clv_upper"]))


def test_model_without_a_curve_gets_the_same_discounted_purchases(daily_summary):
    """A purchase model offering only ``expected_purchases`` gets the same discounted
    purchases, month by month; ``predict`` discounts with the one CLV path of value/."""
    config = AnalysisConfig()
    data = weekly(daily_summary)
    fitted = BetaGeo().fit(data[["frequency", "recency", "T"]])

    class OnlyExpectedPurchases:
        def expected_purchases(self, t, rows):
            return fitted.expected_purchases(t, rows)

    histories = Histories.of(data, "test")
    np.testing.assert_array_equal(
        discounted(OnlyExpectedPurchases(), histories, config),
        discounted(fitted, histories, config))
    assert predict_module.discounted_purchases is clv_module.discounted_purchases


@pytest.mark.parametrize("model_class", [BetaGeo, ParetoNBD], ids=lambda c: c.__name__)
def test_p_alive_and_expected_purchases_intervals_are_the_models(daily_summary, model_class):
    """``analyze`` stores the intervals of P(alive) (logit scale) and expected purchases (log
    scale) that the fitted model gives with ``interval=`` (the one method of
    :mod:`valuecrm.models.uncertainty`), with the covariance on the rows of the fit."""
    config = AnalysisConfig()
    prediction = predict(daily_summary, model_class, "", margin_ratio=0.3, config=config)
    scores = prediction.scores
    data = weekly(daily_summary)
    model = model_class().fit(data[["frequency", "recency", "T"]])
    horizon = config.horizon_months * DAYS_PER_MONTH / 7.0
    alive = model.probability_alive(data, interval=config.interval_level)
    coming = model.expected_purchases(horizon, data, interval=config.interval_level)
    for frame, name in ((alive, "p_alive"), (coming, "expected_purchases")):
        for column in (name, f"{name}_lower", f"{name}_upper"):
            np.testing.assert_allclose(scores[column], frame[column], rtol=1e-6, atol=1e-12)
    assert ((scores["p_alive_lower"] >= 0) & (scores["p_alive_upper"] <= 1)).all()
    assert (scores["expected_purchases_lower"] > 0).all()
    assert "logit" in prediction.interval_method
