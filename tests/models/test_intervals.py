"""Intervals inside each quantity's domain (:mod:`valuecrm.models.uncertainty`): parameters by
the profile likelihood (:mod:`valuecrm.models.profile_likelihood`), expected purchases and spend
on the log scale and P(alive) on the logit scale by the delta method from the covariance of the
fit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize
from scipy.special import expit, logit

from valuecrm.errors import ParameterError
from valuecrm.models import BetaGeo, BetaGeoBetaBinom, GammaGamma, ModifiedBetaGeo, ParetoNBD
from valuecrm.models.pareto_nbd import Design, pareto_nbd_log_likelihood
from valuecrm.models.simulation import simulate_pareto_nbd
from valuecrm.models.uncertainty import parameter_interval, stored_parameter_intervals
from valuecrm.value.coverage import PARETO_NBD_CDNOW

Z95 = 1.959963984540054
PURCHASE = [BetaGeo, ModifiedBetaGeo, ParetoNBD]


@pytest.fixture(scope="module")
def pareto(cdnow: pd.DataFrame) -> ParetoNBD:
    return ParetoNBD().fit(cdnow[["frequency", "recency", "T"]])


def _profile_deviance(data: pd.DataFrame, estimate: dict[str, float], name: str,
                      value: float) -> float:
    """2 (max log L - max log L with ``name`` fixed at ``value``), maximised here with scipy's
    Nelder-Mead over the other log-parameters (independent of valuecrm's profile search)."""
    design = Design.of(*(data[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T")))
    names = list(estimate)
    j = names.index(name)

    def loglik(params: np.ndarray) -> float:
        return float(pareto_nbd_log_likelihood(params, design)[0].sum())

    theta = np.array(list(estimate.values()))
    free = [i for i in range(4) if i != j]

    def minus(rest: np.ndarray) -> float:
        params = theta.copy()
        params[free], params[j] = np.exp(rest), value
        return -loglik(params)

    best = minimize(minus, np.log(theta[free]), method="Nelder-Mead",
                    options={"xatol": 1e-9, "fatol": 1e-10, "maxiter": 20_000})
    return 2.0 * (loglik(theta) + best.fun)


def test_pareto_nbd_beta_interval_is_the_profile_likelihood_on_cdnow(pareto, cdnow):
    """On CDNOW, Pareto/NBD's beta = 11.67 has SE 6.21 (REFERENCE.md): the natural-scale
    interval 11.67 -/+ 1.96 x 6.21 = [-0.51, 23.84] left the domain, and the log-scale Wald
    interval [4.11, 33.12] over-covers in simulation (bench/RESULTS.md). The profile-likelihood
    interval is [4.53, 44.1]: at each bound the deviance, maximised over r, alpha and s by an
    independent optimiser, is the chi-squared(1) 95% quantile 3.84, and the interval is
    asymmetric around the estimate as the likelihood is."""
    row = pareto.summary().set_index("param").loc["beta"]
    assert row["estimate"] - Z95 * row["se"] < 0  # the natural-scale interval crosses zero
    assert row["lower"] == pytest.approx(4.533, abs=0.01)  # the deviance to within 0.02
    assert row["upper"] == pytest.approx(44.2, abs=0.2)
    for bound in (row["lower"], row["upper"]):
        assert _profile_deviance(cdnow, pareto.params_, "beta", bound) == pytest.approx(
            Z95**2, abs=0.025)
    assert row["upper"] / row["estimate"] > 1.4 * row["estimate"] / row["lower"]  # 3.8, 2.6
    assert (pareto.confidence_intervals_["lower"] > 0).all()
    np.testing.assert_array_equal(pareto.confidence_intervals_["upper"],
                                  pareto.summary()["upper"])


def test_summary_level_and_method(pareto):
    narrow, wide = pareto.summary(level=0.5), pareto.summary(level=0.99)
    assert (narrow["lower"] > wide["lower"]).all() and (narrow["upper"] < wide["upper"]).all()
    assert (narrow["lower"] < narrow["estimate"]).all()
    assert (narrow["estimate"] < narrow["upper"]).all()
    assert "99% profile-likelihood intervals" in wide.attrs["method"]
    assert "deviance <= 6.63" in wide.attrs["method"]  # z(0.995)^2, chi-squared(1) at 99%
    with pytest.raises(ParameterError, match=r"The 'level' parameter of ParetoNBD\.summary"):
        pareto.summary(level=95)


def test_profile_interval_reaches_infinity_where_the_data_do_not_bound_a_parameter(cdnow):
    """A Pareto/NBD base drawn at the CDNOW estimates (the CDNOW ages; seed 5, second draw)
    whose likelihood stays within 3.84 of its maximum as s and beta grow together (towards one
    dropout rate for all): the upper bound of beta is inf, not a number the optimiser happened
    to stop at; the lower bound is finite."""
    rng = np.random.default_rng(5)
    ages = cdnow["T"].to_numpy(dtype=float)
    for _ in range(2):
        data = simulate_pareto_nbd(**PARETO_NBD_CDNOW, ages=ages, rng=rng)
    model = ParetoNBD().fit(data[["frequency", "recency", "T"]])
    row = model.summary().set_index("param").loc["beta"]
    assert row["upper"] == np.inf
    assert 0 < row["lower"] < row["estimate"]


def test_stored_fits_keep_their_profile_intervals():
    """A snapshot's fit carries its profile-likelihood bounds; a fit stored before them gets
    the log-scale Wald interval from its standard errors, and the method says which."""
    fit = {"params": {"r": 0.5, "beta": 11.0}, "standard_errors": {"r": 0.05, "beta": 6.0},
           "intervals": {"r": [0.42, 0.61], "beta": [4.5, float("inf")]}}
    bounds, method = stored_parameter_intervals(fit)
    assert bounds == {"r": (0.42, 0.61), "beta": (4.5, float("inf"))}
    assert "profile-likelihood" in method
    del fit["intervals"]
    bounds, method = stored_parameter_intervals(fit)
    lower, upper = parameter_interval(11.0, 6.0)
    assert bounds["beta"] == (float(lower), float(upper))
    assert "log scale" in method and "before profile-likelihood" in method


def test_parameter_interval_logit_scale_for_probabilities():
    lower, upper = parameter_interval([0.02, 0.5], [0.05, 0.1], scale="logit")
    assert np.all((lower > 0) & (upper < 1))
    spread = Z95 * 0.05 / (0.02 * 0.98)
    assert lower[0] == pytest.approx(expit(logit(0.02) - spread))
    assert np.isnan(parameter_interval(1.0, None)).all()  # unknown SE: no interval


@pytest.mark.parametrize("cls", PURCHASE, ids=lambda c: c.__name__)
def test_purchase_predictions_with_intervals(cls, cdnow):
    model = cls().fit(cdnow[["frequency", "recency", "T"]])
    rows = cdnow.head(200)
    alive = model.probability_alive(rows, interval=0.9)
    assert list(alive.columns) == ["p_alive", "p_alive_lower", "p_alive_upper"]
    np.testing.assert_array_equal(alive["p_alive"], model.probability_alive(rows))
    assert ((alive["p_alive_lower"] >= 0) & (alive["p_alive_lower"] <= alive["p_alive"])
            & (alive["p_alive"] <= alive["p_alive_upper"]) & (alive["p_alive_upper"] <= 1)).all()
    inside = (alive["p_alive"] > 0) & (alive["p_alive"] < 1)
    assert (alive["p_alive_upper"] - alive["p_alive_lower"])[inside].min() > 0
    assert "logit scale" in alive.attrs["method"]
    expected = model.expected_purchases(39, rows, interval=0.9)
    np.testing.assert_array_equal(expected["expected_purchases"],
                                  model.expected_purchases(39, rows))
    assert (expected["expected_purchases_lower"] > 0).all()
    assert (expected["expected_purchases_lower"] < expected["expected_purchases"]).all()
    assert (expected["expected_purchases"] < expected["expected_purchases_upper"]).all()
    wider = model.expected_purchases(39, rows, interval=0.99)
    assert (wider["expected_purchases_lower"] < expected["expected_purchases_lower"]).all()


def test_expected_purchases_interval_is_the_delta_method(cdnow):
    """BG/NBD: the 95% bound of log E[X(39)] is the estimate -/+ 1.96 sd, sd from the gradient
    in the log-parameters (central differences here) and the covariance of the fit."""
    model = BetaGeo().fit(cdnow[["frequency", "recency", "T"]])
    row = cdnow.iloc[[0]]
    theta = np.array(list(model.params_.values()))
    gradient = []
    for i in range(4):
        up, down = theta.copy(), theta.copy()
        up[i] *= np.exp(1e-5)
        down[i] *= np.exp(-1e-5)
        value = [np.log(BetaGeo.from_params(**dict(zip(model.params_, p, strict=True)))
                        .expected_purchases(39, row)[0]) for p in (up, down)]
        gradient.append((value[0] - value[1]) / 2e-5)
    covariance = model.covariance_.to_numpy() / np.outer(theta, theta)
    sd = float(np.sqrt(np.array(gradient) @ covariance @ np.array(gradient)))
    got = model.expected_purchases(39, row, interval=0.95).iloc[0]
    assert got["expected_purchases_upper"] == pytest.approx(
        got["expected_purchases"] * np.exp(Z95 * sd), rel=1e-4)


def test_spend_and_discrete_time_models_have_intervals(cdnow_repeat_buyers, donations):
    spend = GammaGamma().fit(cdnow_repeat_buyers[["frequency", "monetary_value"]])
    frame = spend.expected_spend(cdnow_repeat_buyers.head(50), interval=0.9)
    assert (frame["expected_spend_lower"] > 0).all()
    assert (frame["expected_spend_lower"] < frame["expected_spend"]).all()
    bgbb = BetaGeoBetaBinom().fit(donations)
    alive = bgbb.probability_alive(donations, interval=0.9)
    assert ((alive["p_alive_lower"] > 0) & (alive["p_alive_upper"] < 1)).all()
    bought = bgbb.expected_purchases(5, donations, interval=0.9)
    assert (bought["expected_purchases_lower"] < bought["expected_purchases"]).all()


def test_interval_needs_a_fitted_covariance_and_a_level(cdnow):
    rebuilt = BetaGeo.from_params(r=0.24, alpha=4.4, a=0.79, b=2.4)
    with pytest.raises(ParameterError, match="no covariance of its estimates"):
        rebuilt.probability_alive(cdnow, interval=0.9)
    fitted = BetaGeo().fit(cdnow[["frequency", "recency", "T"]])
    for bad in (0, 1, 90, True, "0.9"):
        with pytest.raises(ParameterError, match="The 'interval' parameter of BetaGeo"):
            fitted.expected_purchases(10, cdnow, interval=bad)
