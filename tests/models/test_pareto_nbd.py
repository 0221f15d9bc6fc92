"""Pareto/NBD against the published CDNOW estimates, an independent 2F1 and simulated data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.integrate import quad
from scipy.special import gammaln, hyp2f1

from tests.helpers.optimum import assert_same_optimum
from valuecrm.errors import DataError, NotFittedError, ParameterError
from valuecrm.models import ParetoNBD
from valuecrm.models._hyp2f1 import log_hyp2f1_1bc
from valuecrm.models.pareto_nbd import Design, pareto_nbd_log_likelihood

PUBLISHED = {"r": 0.55315, "alpha": 10.57633, "s": 0.60625, "beta": 11.67150}
ROUNDED = {"r": 0.5534, "alpha": 10.5802, "s": 0.6061, "beta": 11.6562}


@pytest.fixture(scope="module")
def fitted(cdnow: pd.DataFrame) -> ParetoNBD:
    return ParetoNBD().fit(cdnow)


def simulate(n: int, r: float, alpha: float, s: float, beta: float, seed: int) -> pd.DataFrame:
    """Pareto/NBD customers: lambda ~ Gamma(r, 1/alpha), mu ~ Gamma(s, 1/beta), lifetime ~
    Exp(mu), Poisson purchases while alive, observed for T ~ U(20, 40) after the first."""
    rng = np.random.default_rng(seed)
    rate, dropout = rng.gamma(r, 1 / alpha, n), rng.gamma(s, 1 / beta, n)
    age = rng.uniform(20.0, 40.0, n)
    alive_for = np.minimum(rng.exponential(1 / dropout), age)
    x = rng.poisson(rate * alive_for)
    last = alive_for * rng.random(n) ** (1 / np.maximum(x, 1))  # max of x uniforms
    return pd.DataFrame({"frequency": x, "recency": np.where(x > 0, last, 0.0), "T": age})


def test_parameters_log_likelihood_and_errors_match_the_reference(fitted):
    """Pareto/NBD on the CDNOW sample: r = 0.553, alpha = 10.578, s = 0.606, beta = 11.669 in
    Fader, Hardie & Lee (2005, "RFM and CLV", JMR 42(4)); full-precision estimates, standard
    errors and LL = -9594.976 refitted in /work/shared/REFERENCE.md."""
    for name, value in PUBLISHED.items():
        assert fitted.params_[name] == pytest.approx(value, rel=1e-3), name
    assert fitted.log_likelihood_ == pytest.approx(-9594.976, abs=0.01)
    expected_se = {"r": 0.0476, "alpha": 0.8427, "s": 0.1873, "beta": 6.2105}
    for name, value in expected_se.items():
        assert fitted.standard_errors_[name] == pytest.approx(value, rel=0.02), name
    assert fitted.n_customers_ == 2357
    assert fitted.aic_ == pytest.approx(8 + 2 * 9594.976, abs=0.05)
    assert list(fitted.summary()["param"]) == ["r", "alpha", "s", "beta"]


def test_derived_values_match_the_reference():
    """With (0.5534, 10.5802, 0.6061, 11.6562): P(alive | x=26, t_x=30.86, T=31) = 0.9979 and
    25.46 expected purchases in the next 52 weeks (Fader & Hardie's Pareto/NBD spreadsheet,
    as pinned in lifetimes' tests; /work/shared/REFERENCE.md)."""
    model = ParetoNBD.from_params(**ROUNDED)
    customer = {"frequency": [26.0], "recency": [30.86], "T": [31.0]}
    assert model.probability_alive(customer)[0] == pytest.approx(0.9979, abs=5e-5)
    assert model.expected_purchases(52, customer)[0] == pytest.approx(25.46, rel=5e-4)


def test_purchase_probability_matches_the_closed_form():
    """P(X(t) = n) by eq. 20 of Fader & Hardie (2005, Pareto/NBD note), evaluated with mpmath
    at 50 digits; the probabilities sum to 1 with mean E[X(t)] (eq. 17)."""
    model = ParetoNBD.from_params(**ROUNDED)
    closed_form = {(0, 52): 0.5738321722523585, (1, 52): 0.1605271224287507,
                   (5, 52): 0.023769957869622677, (0, 1): 0.9524340908622236,
                   (3, 78): 0.04968643873045169}
    for (n, t), value in closed_form.items():
        assert model.purchase_probability(n, t) == pytest.approx(value, rel=1e-8), (n, t)
    probabilities = np.array([model.purchase_probability(n, 52.0) for n in range(400)])
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-8)
    mean = np.dot(np.arange(400), probabilities)
    assert mean == pytest.approx(model.expected_purchases_new_customer(52.0), rel=1e-7)
    assert model.expected_purchases_new_customer(0.0) == 0.0


def test_hypergeometric_matches_mpmath_including_large_x():
    """log 2F1(1, b; c; z) against mpmath.hyp2f1 at 50 digits (pinned values), on the series
    (z <= 0.9) and the continued fraction (z > 0.9), with b up to 200 (x = 200)."""
    pinned = [
        (0.55, 1.76, 0.0942, 0.03062798843419748),
        (26.55, 28.16, 0.5, 0.6391227312144824),
        (200.55, 201.16, 0.85, 1.8805234145466139),
        (1.6061, 201.16, 0.95, 0.007650136974654622),
        (0.5534, 1.6595, 0.9999, 1.4058599892983386),
        (200.5, 250.5, 0.99, 1.5867588628379503),
    ]
    b, c, z, expected = map(np.array, zip(*pinned, strict=True))
    value, _ = log_hyp2f1_1bc(b, c, z)
    np.testing.assert_allclose(value, expected, rtol=1e-12)
    # scipy agrees where its own evaluation is accurate (moderate parameters)
    b, c, z = np.meshgrid([0.3, 2.5, 12.0], [0.5, 4.0], [0.0, 0.2, 0.7, 0.95])
    c = b + c
    np.testing.assert_allclose(log_hyp2f1_1bc(b, c, z)[0], np.log(hyp2f1(1, b, c, z)).ravel(),
                               rtol=1e-12, atol=1e-14)


def test_hypergeometric_derivatives_match_differences():
    """Exact (forward-mode) on the series; differences on the continued fraction (z > 0.9),
    hence the looser tolerance there."""
    b = np.array([0.3, 5.0, 200.5, 1.6, 26.0])
    c = np.array([1.4, 9.0, 201.2, 201.0, 30.0])
    z = np.array([0.05, 0.6, 0.85, 0.93, 0.999])
    _, grad = log_hyp2f1_1bc(b, c, z, gradient=True)
    for i, h in enumerate((1e-6 * b, 1e-6 * c, 1e-6 * (1 - z))):
        up, down = [b, c, z], [b, c, z]
        up[i], down[i] = up[i] + h, up[i] - h
        numeric = (log_hyp2f1_1bc(*up)[0] - log_hyp2f1_1bc(*down)[0]) / (2 * h)
        np.testing.assert_allclose(grad[i, :3], numeric[:3], rtol=1e-7)
        np.testing.assert_allclose(grad[i, 3:], numeric[3:], rtol=1e-4)


@pytest.mark.parametrize("params", [(0.55, 10.6, 0.61, 11.7), (0.5, 3.0, 0.7, 20.0),
                                    (0.5, 20.0, 0.7, 2.0), (0.8, 5.0, 0.5, 5.0)])
def test_log_likelihood_matches_quadrature_for_large_x(params):
    """The likelihood is C [(alpha+T)^-(r+x) (beta+T)^-s + s int_tx^T (alpha+y)^-(r+x)
    (beta+y)^-(s+1) dy]; the integral by quadrature (scaled, in logs) must agree, also at
    x = 200 where scipy's hyp2f1(r+s+x, ...) form overflows."""
    r, alpha, s, beta = params
    rows = [(0.0, 0.0, 38.86), (2.0, 30.43, 38.86), (26.0, 30.86, 31.0), (200.0, 30.0, 40.0)]
    x, t_x, big_t = map(np.array, zip(*rows, strict=True))
    ours = pareto_nbd_log_likelihood(np.array(params), Design.of(x, t_x, big_t))[0]
    for (xi, ti, big_ti), value in zip(rows, ours, strict=True):
        def log_integrand(y: float, xi: float = xi) -> float:
            return -(r + xi) * np.log(alpha + y) - (s + 1) * np.log(beta + y)
        scale = log_integrand(ti)
        integral = quad(lambda y, f=log_integrand, k=scale: np.exp(f(y) - k), ti, big_ti,
                        epsabs=0, epsrel=1e-13)[0]
        first = -(r + xi) * np.log(alpha + big_ti) - s * np.log(beta + big_ti)
        rest = np.log(s * integral) + scale if integral > 0 else -np.inf
        log_c = gammaln(r + xi) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
        assert value == pytest.approx(log_c + np.logaddexp(first, rest), rel=1e-11)


def test_gradient_matches_central_differences(cdnow):
    design = Design.of(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    for params in (np.array([0.4, 8.0, 0.9, 15.0]), np.array([0.7, 15.0, 0.4, 6.0])):
        _, grad, _ = pareto_nbd_log_likelihood(params, design, gradient=True)
        total = grad.sum(axis=1)
        numeric = []
        for i in range(4):
            h = np.zeros(4)
            h[i] = 1e-6 * params[i]
            up = pareto_nbd_log_likelihood(params + h, design)[0].sum()
            down = pareto_nbd_log_likelihood(params - h, design)[0].sum()
            numeric.append((up - down) / (2 * h[i]))
        np.testing.assert_allclose(total, numeric, rtol=1e-6)
        weights = np.linspace(0.5, 3.0, cdnow.shape[0])  # the fit's summed form agrees
        weighted = pareto_nbd_log_likelihood(params, design, True, weights)[1]
        np.testing.assert_allclose(weighted, grad @ weights, rtol=1e-10)


def test_recovers_simulated_parameters():
    """30,000 simulated customers (above 20,000 distinct rows, so the fit starts from a
    subsample fit): every estimate within 4 standard errors of the truth."""
    truth = {"r": 0.55, "alpha": 10.5, "s": 0.6, "beta": 11.7}
    model = ParetoNBD().fit(simulate(30_000, *truth.values(), seed=1))
    for name, value in truth.items():
        error = model.standard_errors_[name]
        assert abs(model.params_[name] - value) < 4 * error, (name, model.params_[name], error)


def test_weights_equal_repeated_rows(cdnow):
    head = cdnow.iloc[:300]
    weighted = head.assign(weights=2.0)
    doubled = pd.concat([head, head])
    a, b = ParetoNBD().fit(weighted), ParetoNBD().fit(doubled)
    assert_same_optimum(a, b, weighted, errors=False)  # within the stopping rule's bound


def test_predictions_are_consistent(fitted, cdnow):
    alive = fitted.probability_alive(cdnow)
    assert np.all((alive > 0) & (alive <= 1))
    # a customer with no repeat purchase, seen at T = 0, is certainly alive
    assert fitted.probability_alive({"frequency": 0, "recency": 0, "T": 0})[0] == 1.0
    expected = fitted.expected_purchases(39.0, cdnow)
    assert np.all(expected >= 0)
    assert expected.sum() == pytest.approx(
        fitted.expected_purchases(39.0, cdnow.assign(T=cdnow["T"])).sum()
    )
    # a new customer (x = t_x = T = 0) expects E[X(t)]
    new = fitted.expected_purchases(52.0, {"frequency": 0, "recency": 0, "T": 0})[0]
    assert new == pytest.approx(fitted.expected_purchases_new_customer(52.0), rel=1e-12)


def test_s_equal_one_limit():
    """E[X(t)] = r beta / alpha ln(1 + t/beta) at s = 1 (the limit of eq. 17)."""
    model = ParetoNBD.from_params(r=0.5, alpha=10.0, s=1.0, beta=12.0)
    assert model.expected_purchases_new_customer(24.0) == pytest.approx(0.6 * np.log(3.0))
    near = ParetoNBD.from_params(r=0.5, alpha=10.0, s=1.0 + 1e-7, beta=12.0)
    assert near.expected_purchases_new_customer(24.0) == pytest.approx(0.6 * np.log(3.0), 1e-6)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"frequency": [0, 0, 0], "recency": [0, 0, 0], "T": [5, 6, 7]}, "repeat purchase"),
        ({"frequency": [2], "recency": [3], "T": [5]}, "more than one customer"),
        ({"frequency": [1, 2], "recency": [6, 3], "T": [5, 5]}, "recency greater than T"),
        ({"frequency": [1, -2], "recency": [1, 3], "T": [5, 5]}, "negative"),
    ],
)
def test_unusable_data_raises_data_error(data, message):
    with pytest.raises(DataError, match=message):
        ParetoNBD().fit(pd.DataFrame(data))


def test_unfitted_and_bad_arguments():
    with pytest.raises(NotFittedError, match="ParetoNBD instance is not fitted"):
        ParetoNBD().probability_alive({"frequency": 1, "recency": 1, "T": 2})
    model = ParetoNBD.from_params(**ROUNDED)
    with pytest.raises(ParameterError, match="'t' parameter of ParetoNBD"):
        model.expected_purchases(-1, {"frequency": 1, "recency": 1, "T": 2})
    with pytest.raises(ParameterError, match="'n' parameter of ParetoNBD"):
        model.purchase_probability(1.5, 10)
