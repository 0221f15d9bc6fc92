"""BG/NBD against the published CDNOW estimates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from valuecrm.errors import DataError, NotFittedError, ParameterError
from valuecrm.models import BetaGeo

PUBLISHED = {"r": 0.2425945, "alpha": 4.4136019, "a": 0.7929199, "b": 2.4258881}


@pytest.fixture(scope="module")
def fitted(cdnow: pd.DataFrame) -> BetaGeo:
    return BetaGeo().fit(cdnow)


@pytest.fixture(scope="module")
def published() -> BetaGeo:
    return BetaGeo.from_params(**PUBLISHED)


def test_parameters_and_log_likelihood_match_the_paper(fitted):
    """Fader, Hardie & Lee (2005), "Counting your customers the easy way", Marketing Science
    24(2): r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4 on the CDNOW sample;
    full-precision values from /work/shared/REFERENCE.md (within 0.1%, LL within 0.01)."""
    for name, value in PUBLISHED.items():
        assert fitted.params_[name] == pytest.approx(value, rel=1e-3), name
    assert fitted.log_likelihood_ == pytest.approx(-9582.429, abs=0.01)
    assert fitted.n_customers_ == 2357


def test_standard_errors_match_lifetimes(fitted):
    """lifetimes 0.11 BetaGeoFitter.summary on the same data (its Quickstart) prints standard
    errors 0.012557, 0.378221, 0.185719, 0.705345 for r, alpha, a, b. The 95% interval is the
    profile likelihood's (lifetimes' is estimate -/+ 1.96 SE, which can go below 0); for r,
    whose likelihood is close to normal, it is within 0.1% of the log-scale Wald interval."""
    expected = {"r": 0.012557, "alpha": 0.378221, "a": 0.185719, "b": 0.705345}
    for name, value in expected.items():
        assert fitted.standard_errors_[name] == pytest.approx(value, rel=5e-3), name
    ci = fitted.confidence_intervals_
    spread = 1.959964 * 0.012557 / 0.242593
    assert ci.loc["r", "lower"] == pytest.approx(0.242593 * np.exp(-spread), rel=1e-3)
    assert ci.loc["r", "upper"] == pytest.approx(0.242593 * np.exp(spread), rel=1e-3)
    assert ci.loc["b", "lower"] == pytest.approx(1.4295, abs=1e-3)  # Wald on log: 1.372
    assert ci.loc["b", "upper"] == pytest.approx(4.5667, abs=1e-3)  # Wald on log: 4.289


def test_information_criteria(fitted):
    assert fitted.aic_ == pytest.approx(8 - 2 * fitted.log_likelihood_)
    assert fitted.bic_ == pytest.approx(4 * np.log(2357) - 2 * fitted.log_likelihood_)


def test_conditional_expectation_matches_the_paper(published):
    """Fader, Hardie & Lee (2005), p. 280: a customer with x = 2, t_x = 30.43, T = 38.86 is
    expected to make 1.226 repeat purchases in the next 39 weeks."""
    customer = {"frequency": 2, "recency": 30.43, "T": 38.86}
    assert published.expected_purchases(39, customer)[0] == pytest.approx(1.226, abs=5e-4)


@pytest.mark.parametrize(
    ("t", "expected"),
    [(0.1429, 0.0078), (1, 0.0532), (3, 0.1506), (31.8571, 1.0405), (32, 1.0437), (78, 1.8576)],
)
def test_unconditional_expectation_matches_the_paper(published, t, expected):
    """Fader, Hardie & Lee (2005) spreadsheet note / REFERENCE.md: E[X(t)] printed to 4 decimals,
    so the check is at that precision (half a unit of the last digit, or 0.05%)."""
    value = published.expected_purchases_new_customer(t)
    assert abs(value - expected) <= max(5e-5, 5e-4 * expected) + 1e-12


def test_probability_alive(published):
    """P(alive) is 1 without repeat purchases and falls as the last purchase gets older."""
    data = pd.DataFrame(
        {"frequency": [0, 2, 2, 2], "recency": [0, 38.86, 30.43, 5], "T": [38.86] * 4}
    )
    p = published.probability_alive(data)
    assert p[0] == 1.0
    assert p[1] == pytest.approx(1.0 / (1.0 + 0.7929199 / (2.4258881 + 1)))
    assert 1 > p[1] > p[2] > p[3] > 0


def test_purchase_distribution_sums_to_one_and_has_the_right_mean(published):
    probabilities = np.array([published.purchase_probability(n, 39) for n in range(400)])
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-10)
    mean = (np.arange(400) * probabilities).sum()
    assert mean == pytest.approx(published.expected_purchases_new_customer(39), rel=1e-10)


def test_expectation_of_a_new_customer_equals_the_conditional_one_at_zero(published):
    zero = {"frequency": 0, "recency": 0, "T": 0}
    assert published.expected_purchases(10, zero)[0] == pytest.approx(
        published.expected_purchases_new_customer(10), rel=1e-10
    )


def test_predictions_are_row_by_row(published, cdnow):
    whole = published.expected_purchases(39, cdnow)
    one_by_one = [published.expected_purchases(39, cdnow.iloc[[i]])[0] for i in range(0, 50, 7)]
    np.testing.assert_allclose(whole[0:50:7], one_by_one, rtol=1e-12)
    assert whole.shape == (2357,)


def test_unfitted_and_bad_arguments():
    with pytest.raises(NotFittedError, match="This BetaGeo instance is not fitted yet"):
        BetaGeo().probability_alive({"frequency": 1, "recency": 1, "T": 2})
    model = BetaGeo.from_params(**PUBLISHED)
    with pytest.raises(ParameterError, match="'t' parameter of BetaGeo"):
        model.expected_purchases(-1, {"frequency": 1, "recency": 1, "T": 2})
    with pytest.raises(ParameterError, match="'n' parameter"):
        model.purchase_probability(1.5, 3)
    with pytest.raises(DataError, match="recency greater than T"):
        model.probability_alive({"frequency": 1, "recency": 3, "T": 2})
