"""sBG against the published retention examples of Fader & Hardie (2007)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import betaln

from valuecrm.errors import ParameterError
from valuecrm.models import ShiftedBetaGeo

# Fader & Hardie (2007), "How to project customer retention", Journal of Interactive Marketing
# 21(1), Table 1: % of 1,000 customers still active at the start of years 0..12.
REGULAR = [100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1, 22.3, 20.7, 19.4, 18.3, 17.3]
HIGH_END = [100, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1, 46.8, 44.5, 42.7, 40.9, 39.4]


def cohort(percentages: list[float], years: int = 7) -> pd.DataFrame:
    """Active counts of the 1,000-customer cohort at the start of years 0..``years``."""
    active = np.round(np.array(percentages[: years + 1]) * 10)
    return pd.DataFrame({"period": np.arange(years + 1), "active": active})


@pytest.mark.parametrize(
    ("percentages", "alpha", "beta", "log_likelihood"),
    [(REGULAR, 0.704, 1.182, -1680.3), (HIGH_END, 0.668, 3.806, -1611.2)],
    ids=["regular", "high-end"],
)
def test_fit_on_years_1_to_7_matches_the_paper(percentages, alpha, beta, log_likelihood):
    """Fader & Hardie (2007), section 4: fitted on years 1-7, regular gamma = 0.704,
    delta = 1.182 (LL -1680.3); high end gamma = 0.668, delta = 3.806 (LL -1611.2).
    (Their gamma, delta are our alpha, beta.)"""
    model = ShiftedBetaGeo().fit(cohort(percentages))
    assert model.params_["alpha"] == pytest.approx(alpha, rel=0.01)
    assert model.params_["beta"] == pytest.approx(beta, rel=0.01)
    assert model.log_likelihood_ == pytest.approx(log_likelihood, abs=0.05)
    assert model.n_customers_ == 1000


def test_projection_tracks_the_held_out_years():
    """The paper's point: the sBG fitted on 7 years projects years 8-12 closely."""
    model = ShiftedBetaGeo().fit(cohort(REGULAR))
    projected = 100 * model.survival(np.arange(8, 13))
    np.testing.assert_allclose(projected, REGULAR[8:], atol=1.0)


def test_rows_may_come_in_any_order():
    table = cohort(HIGH_END)
    shuffled = table.sample(frac=1.0, random_state=1)
    assert ShiftedBetaGeo().fit(shuffled).params_ == ShiftedBetaGeo().fit(table).params_


@pytest.fixture(scope="module")
def regular() -> ShiftedBetaGeo:
    return ShiftedBetaGeo.from_params(alpha=0.704, beta=1.182)


def test_survival_and_retention(regular):
    assert regular.survival(0) == 1.0
    survival = regular.survival(np.arange(0, 13))
    np.testing.assert_allclose(survival[1:] / survival[:-1], regular.retention_rate(range(1, 13)))
    assert regular.retention_rate(1) == pytest.approx(1.182 / (0.704 + 1.182))
    assert np.all(np.diff(regular.retention_rate(range(1, 13))) > 0)  # rises with tenure


def test_expected_lifetime():
    assert np.isinf(ShiftedBetaGeo.from_params(alpha=0.704, beta=1.182).expected_lifetime())
    model = ShiftedBetaGeo.from_params(alpha=3.0, beta=4.0)
    direct = sum(np.exp(betaln(3.0, 4.0 + t) - betaln(3.0, 4.0)) for t in range(5000))
    assert model.expected_lifetime() == pytest.approx(direct, rel=1e-5)  # tail beyond 5000


@pytest.mark.parametrize("renewals", [0, 1, 4, 10])
def test_discounted_expected_residual_lifetime_is_the_discounted_sum(regular, renewals):
    """Fader & Hardie (2010), "Customer-base valuation in a contractual setting: the perils of
    ignoring heterogeneity", Marketing Science 29(1), eq. (6): DERL in closed form equals
    sum_{t >= n} S(t) / S(n - 1) / (1 + d)^(t - n) for a customer with n - 1 renewals."""
    d, n = 0.1, renewals + 1
    t = np.arange(n, 4000)
    survival = np.exp(betaln(0.704, 1.182 + t) - betaln(0.704, 1.182 + n - 1))
    direct = np.sum(survival / (1 + d) ** (t - n))
    derl = regular.discounted_expected_residual_lifetime(d, periods_survived=renewals)
    assert derl == pytest.approx(direct, rel=1e-9)


def test_longer_tenure_means_a_longer_residual_lifetime(regular):
    values = [regular.discounted_expected_residual_lifetime(0.1, periods_survived=k)
              for k in range(6)]
    assert np.all(np.diff(values) > 0)


def test_bad_arguments(regular):
    with pytest.raises(ParameterError, match="'discount_rate' parameter of ShiftedBetaGeo"):
        regular.discounted_expected_residual_lifetime(0)
    with pytest.raises(ParameterError, match="'periods_survived'"):
        regular.discounted_expected_residual_lifetime(0.1, periods_survived=-1)
    with pytest.raises(ParameterError, match="'t' parameter"):
        regular.retention_rate(0)
