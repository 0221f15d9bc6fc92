"""BG/BB against the published estimates on the donations panel."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from valuecrm.models import BetaGeoBetaBinom

PUBLISHED = {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783}


@pytest.fixture(scope="module")
def fitted(donations) -> BetaGeoBetaBinom:
    return BetaGeoBetaBinom().fit(donations)


def test_parameters_and_log_likelihood_match_the_paper(fitted):
    """Fader, Hardie & Shang (2010), "Customer-base analysis in a discrete-time noncontractual
    setting", Marketing Science 29(6), Table 2: alpha = 1.204, beta = 0.750, gamma = 0.657,
    delta = 2.783, LL = -33,225.6 (11,104 donors, 6 opportunities)."""
    assert fitted.n_customers_ == 11104
    for name, value in PUBLISHED.items():
        assert fitted.params_[name] == pytest.approx(value, rel=5e-3), name
    assert fitted.log_likelihood_ == pytest.approx(-33225.6, abs=0.05)


def test_probability_alive_matches_the_paper(fitted):
    """Fader, Hardie & Shang (2010): P(alive) for (x, t_x) = (0, 0), (2, 4), (6, 6) with
    n = 6 is 0.11, 0.59, 0.93."""
    panel = {"frequency": [0, 2, 6], "recency": [0, 4, 6], "n_periods": [6, 6, 6]}
    np.testing.assert_allclose(fitted.probability_alive(panel), [0.11, 0.59, 0.93], atol=0.005)


def test_conditional_expectation_of_a_new_customer_is_the_unconditional_one(fitted):
    new = {"frequency": 0, "recency": 0, "n_periods": 0}
    for n in (1, 5, 11):
        assert fitted.expected_purchases(n, new)[0] == pytest.approx(
            fitted.expected_purchases_new_customer(n), rel=1e-10
        )


def test_unconditional_expectation_matches_a_direct_sum(fitted):
    """E[X(n)] = sum over opportunities t of P(alive at t) P(buy): with theta, p integrated out,
    E[p] * sum_t E[(1 - theta)^t]."""
    alpha, beta, gamma, delta = fitted.params_.values()
    from scipy.special import betaln

    survival = [np.exp(betaln(gamma, delta + t) - betaln(gamma, delta)) for t in range(1, 8)]
    expected = alpha / (alpha + beta) * np.sum(survival)
    assert fitted.expected_purchases_new_customer(7) == pytest.approx(expected, rel=1e-10)


def test_more_recent_donors_are_worth_more(fitted):
    panel = pd.DataFrame({"frequency": [3, 3, 3], "recency": [3, 5, 6], "n_periods": [6] * 3})
    expected = fitted.expected_purchases(5, panel)
    assert expected[0] < expected[1] < expected[2]
