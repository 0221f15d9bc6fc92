"""MBG/NBD against the estimates of the BTYDplus R package on the CDNOW sample."""

from __future__ import annotations

import numpy as np
import pytest

from valuecrm.models import BetaGeo, ModifiedBetaGeo

BTYDPLUS = {"r": 0.525, "alpha": 6.183, "a": 0.891, "b": 1.614}


@pytest.fixture(scope="module")
def fitted(cdnow) -> ModifiedBetaGeo:
    return ModifiedBetaGeo().fit(cdnow)


def test_parameters_match_btydplus(fitted):
    """Batislam, Denizel & Filiztekin (2007) model; BTYDplus (Platzer) mbgnbd.EstimateParameters
    on cdnowSummary: r = 0.525, alpha = 6.183, a = 0.891, b = 1.614 (REFERENCE.md, within 1%)."""
    for name, value in BTYDPLUS.items():
        assert fitted.params_[name] == pytest.approx(value, rel=0.01), name
    assert np.all(np.isfinite(list(fitted.standard_errors_.values())))


def test_fits_cdnow_at_least_as_well_as_bg_nbd(fitted, cdnow):
    """Both have four parameters; MBG/NBD's likelihood on CDNOW is a little higher."""
    assert fitted.log_likelihood_ > BetaGeo().fit(cdnow).log_likelihood_


def test_customers_without_repeat_purchases_may_be_gone(fitted):
    p = fitted.probability_alive({"frequency": [0, 0], "recency": [0, 0], "T": [1, 38.86]})
    assert 0 < p[1] < p[0] < 1
    r, alpha, a, b = fitted.params_.values()
    expected = 1 / (1 + a / b * ((alpha + 38.86) / alpha) ** r)
    assert p[1] == pytest.approx(expected, rel=1e-12)


def test_purchase_distribution_and_expectations_agree(fitted):
    probabilities = np.array([fitted.purchase_probability(n, 20) for n in range(400)])
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-10)
    mean = (np.arange(400) * probabilities).sum()
    assert mean == pytest.approx(fitted.expected_purchases_new_customer(20), rel=1e-10)
    zero = {"frequency": 0, "recency": 0, "T": 0}
    assert fitted.expected_purchases(20, zero)[0] == pytest.approx(mean, rel=1e-10)
