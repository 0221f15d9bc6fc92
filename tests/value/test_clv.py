"""Model-based CLV (Fader, Hardie & Lee 2005, JMR) on the CDNOW sample, checked against its
definition evaluated customer by customer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from valuecrm.datasets import load_cdnow_summary
from valuecrm.errors import ParameterError
from valuecrm.models import BetaGeo, GammaGamma, ParetoNBD
from valuecrm.value import customer_lifetime_value
from valuecrm.value.clv import clv_interval, monthly_rate

BGNBD = {"r": 0.2425945, "alpha": 4.4136019, "a": 0.7929199, "b": 2.4258881}
GG = {"p": 6.25, "q": 3.74, "gamma": 15.44}


@pytest.fixture(scope="module")
def summary() -> pd.DataFrame:
    return load_cdnow_summary().drop(columns="customer_id")


def by_definition(purchase, spend, row: pd.DataFrame, months: int, annual: float) -> float:
    d = monthly_rate(annual)
    weeks_per_month = 365.25 / 12 / 7
    total, previous = 0.0, 0.0
    for m in range(1, months + 1):
        cumulative = float(purchase.expected_purchases(m * weeks_per_month, row)[0])
        total += (cumulative - previous) / (1 + d) ** m
        previous = cumulative
    return float(spend.expected_spend(row)[0]) * total


@pytest.mark.parametrize("purchase_model", [BetaGeo.from_params(**BGNBD),
                                            ParetoNBD.from_params(r=0.5534, alpha=10.5802,
                                                                  s=0.6061, beta=11.6562)])
def test_clv_equals_its_definition(summary, purchase_model):
    spend = GammaGamma.from_params(**GG)
    clv = customer_lifetime_value(purchase_model, spend, summary, horizon=12,
                                  discount_rate=0.10, freq="W")
    assert clv.shape == (len(summary),) and np.all(np.isfinite(clv)) and np.all(clv >= 0)
    for i in (0, 1, 5, 157, 2356):
        expected = by_definition(purchase_model, spend, summary.iloc[[i]], 12, 0.10)
        assert clv[i] == pytest.approx(expected, rel=1e-12)


def test_duplicated_histories_are_valued_alike(summary):
    purchase, spend = BetaGeo.from_params(**BGNBD), GammaGamma.from_params(**GG)
    doubled = pd.concat([summary, summary.iloc[::-1]], ignore_index=True)
    clv = customer_lifetime_value(purchase, spend, doubled, horizon=6, discount_rate=0.05)
    np.testing.assert_allclose(clv[: len(summary)], clv[len(summary):][::-1], rtol=0)


def test_margin_scales_and_discounting_lowers(summary):
    purchase, spend = BetaGeo.from_params(**BGNBD), GammaGamma.from_params(**GG)
    base = customer_lifetime_value(purchase, spend, summary, horizon=24, discount_rate=0.0)
    half = customer_lifetime_value(purchase, spend, summary, horizon=24, discount_rate=0.0,
                                   margin=0.5)
    discounted = customer_lifetime_value(purchase, spend, summary, horizon=24,
                                         discount_rate=0.2)
    np.testing.assert_allclose(half, base / 2)
    assert np.all(discounted < base)
    # undiscounted: spend x E[X(24 months) | history]
    expected = spend.expected_spend(summary) * purchase.expected_purchases(
        24 * 365.25 / 12 / 7, summary)
    np.testing.assert_allclose(base, expected, rtol=1e-10)


def test_unit_aware(summary):
    """The same customers told in days give the same CLV as in weeks."""
    purchase_weeks, spend = BetaGeo.from_params(**BGNBD), GammaGamma.from_params(**GG)
    purchase_days = BetaGeo.from_params(r=BGNBD["r"], alpha=BGNBD["alpha"] * 7, a=BGNBD["a"],
                                        b=BGNBD["b"])
    in_days = summary.assign(recency=summary.recency * 7, T=summary["T"] * 7)
    weeks = customer_lifetime_value(purchase_weeks, spend, summary, freq="W")
    days = customer_lifetime_value(purchase_days, spend, in_days, freq="D")
    np.testing.assert_allclose(days, weeks, rtol=1e-9)


def test_bad_arguments_have_one_message_form(summary):
    purchase, spend = BetaGeo.from_params(**BGNBD), GammaGamma.from_params(**GG)
    with pytest.raises(ParameterError, match="'discount_rate' parameter of "
                                             "customer_lifetime_value must be a float"):
        customer_lifetime_value(purchase, spend, summary, discount_rate=5)
    with pytest.raises(ParameterError, match="'freq'"):
        customer_lifetime_value(purchase, spend, summary, freq="fortnight")


def test_spend_model_without_monetary_history(summary):
    """Without monetary_value (a spend model that needs none), histories are still grouped."""

    class FlatSpend:
        def expected_spend(self, data):
            return np.full(len(data), 10.0)

    purchase = BetaGeo.from_params(**BGNBD)
    clv = customer_lifetime_value(purchase, FlatSpend(), summary.drop(columns="monetary_value"),
                                  horizon=12, discount_rate=0.0)
    expected = 10.0 * purchase.expected_purchases(12 * 365.25 / 12 / 7, summary)
    np.testing.assert_allclose(clv, expected, rtol=1e-10)


def test_clv_with_interval_is_the_analysis_interval(summary):
    """``customer_lifetime_value(..., interval=0.9)``: the CLV itself and the bounds of
    :func:`clv_interval` (the delta method on the log scale that ``analyze`` stores), which
    bracket it and widen with the level."""
    purchase = BetaGeo().fit(summary[["frequency", "recency", "T"]])
    repeat = summary[summary["frequency"] > 0]
    spend = GammaGamma().fit(repeat[["frequency", "monetary_value"]])
    rows = repeat.head(300)
    frame = customer_lifetime_value(purchase, spend, rows, interval=0.9)
    assert list(frame.columns) == ["clv", "clv_lower", "clv_upper"]
    np.testing.assert_array_equal(frame["clv"], customer_lifetime_value(purchase, spend, rows))
    direct = clv_interval(frame["clv"].to_numpy(), purchase, spend, rows, horizon=12,
                          discount_rate=0.10, level=0.9)
    np.testing.assert_allclose(frame["clv_lower"], direct.lower, rtol=1e-12)
    np.testing.assert_allclose(frame["clv_upper"], direct.upper, rtol=1e-12)
    assert ((frame["clv_lower"] > 0) & (frame["clv_lower"] < frame["clv"])
            & (frame["clv"] < frame["clv_upper"])).all()
    assert frame.attrs["method"].startswith("delta method on the log scale")
    wide = customer_lifetime_value(purchase, spend, rows, interval=0.99)
    assert (wide["clv_lower"] < frame["clv_lower"]).all()
    # both models' uncertainty counts: the spend model's alone gives a narrower interval
    purchase_only = clv_interval(frame["clv"].to_numpy(), purchase, None, rows, horizon=12,
                                 discount_rate=0.10, level=0.9)
    assert (purchase_only.lower > frame["clv_lower"]).all()


def test_clv_interval_needs_fitted_models(summary):
    purchase = BetaGeo.from_params(**BGNBD)
    spend = GammaGamma.from_params(**GG)
    with pytest.raises(ParameterError, match="BetaGeo has no covariance"):
        customer_lifetime_value(purchase, spend, summary, interval=0.9)
    with pytest.raises(ParameterError, match="'interval' parameter of customer_lifetime_value"):
        customer_lifetime_value(purchase, spend, summary, interval=1.5)
