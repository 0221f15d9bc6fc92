"""Pareto/NBD where alpha and beta are far apart (the 2F1 argument near 1): the dropout
integral by quadrature, fits on BG/NBD-like data, and the homogeneous-dropout limit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.integrate import quad
from scipy.special import gammaln

from tests.helpers.simulate import simulate_bg_nbd
from valuecrm.errors import ConvergenceError
from valuecrm.models import ParetoNBD
from valuecrm.models._dropout_integral import log_dropout_integral
from valuecrm.models.pareto_nbd_likelihood import Design, _z_at, pareto_nbd_log_likelihood


def reference_log_integral(params: np.ndarray, x: float, t_x: float, big_t: float) -> float:
    """log of int_{t_x}^T (alpha+y)^-(r+x) (beta+y)^-(s+1) dy by adaptive quadrature (QUADPACK),
    scaled by the integrand at t_x, with break points at multiples of its decay length."""
    r, alpha, s, beta = params

    def log_integrand(y: float) -> float:
        return -(r + x) * np.log(alpha + y) - (s + 1) * np.log(beta + y)

    scale = log_integrand(t_x)
    length = 1.0 / ((r + x) / (alpha + t_x) + (s + 1) / (beta + t_x))
    points = [t_x + length * m for m in (1, 10, 100, 1000) if t_x + length * m < big_t]
    value = quad(lambda y: np.exp(log_integrand(y) - scale), t_x, big_t, epsabs=0,
                 epsrel=1e-13, limit=1000, points=points or None)[0]
    return np.log(value) + scale if value > 0 else -np.inf


def reference_log_likelihood(params: np.ndarray, x: float, t_x: float, big_t: float) -> float:
    """The Pareto/NBD log-likelihood of one customer from its defining integral."""
    r, alpha, s, beta = params
    alive = -(r + x) * np.log(alpha + big_t) - s * np.log(beta + big_t)
    dead = np.log(s) + reference_log_integral(params, x, t_x, big_t)
    log_c = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
    return log_c + np.logaddexp(alive, dead)


def test_dropout_integral_matches_adaptive_quadrature():
    """Random parameters over many orders of magnitude (s up to 500, beta up to 1e6), x up
    to 300: the 48-node rule agrees with QUADPACK to about 1e-12 (in log I)."""
    rng = np.random.default_rng(0)
    for _ in range(150):
        params = np.exp(rng.uniform(np.log([0.05, 0.01, 0.05, 0.01]), np.log([20, 1e4, 500, 1e6])))
        x = float(rng.choice([0, 1, 2, 5, 20, 80, 300]))
        big_t = rng.uniform(1.0, 120.0)
        t_x = 0.0 if x == 0 else rng.uniform(0.0, big_t)
        ours = log_dropout_integral(params, np.array([x]), np.array([t_x]), np.array([big_t]),
                                    False)[0][0]
        expected = reference_log_integral(params, x, t_x, big_t)
        assert ours == pytest.approx(expected, rel=1e-12, abs=1e-11), (params, x, t_x, big_t)


@pytest.mark.parametrize("params", [(1.4, 6.0, 85.0, 6200.0), (0.5, 900.0, 0.7, 3.0),
                                    (0.3, 2.0, 4.0, 400.0)])
def test_log_likelihood_and_gradient_far_apart(params):
    """Where the 2F1 argument is above 0.9 for most rows (the regime a fit on BG/NBD-like
    data wanders into), the per-customer log-likelihood equals its defining integral and the
    gradient equals central differences, with rows on both sides of the switch."""
    params = np.array(params)
    rows = [(0.0, 0.0, 38.9), (2.0, 30.4, 38.9), (26.0, 30.9, 31.0), (200.0, 30.0, 40.0),
            (5.0, 2.0, 70.0), (1.0, 70.0, 70.0), (40.0, 60.0, 75.0)]
    x, t_x, big_t = map(np.array, zip(*rows, strict=True))
    design = Design.of(x, t_x, big_t)
    assert np.mean(_z_at(params, t_x) > 0.9) >= 0.5
    value, grad, _ = pareto_nbd_log_likelihood(params, design, gradient=True)
    expected = [reference_log_likelihood(params, *row) for row in rows]
    np.testing.assert_allclose(value, expected, rtol=1e-11)
    for i in range(4):
        step = np.zeros(4)
        step[i] = 1e-6 * params[i]
        up = pareto_nbd_log_likelihood(params + step, design)[0]
        down = pareto_nbd_log_likelihood(params - step, design)[0]
        np.testing.assert_allclose(grad[i], (up - down) / (2 * step[i]), rtol=1e-5, atol=1e-8)
    weights = np.arange(1.0, len(rows) + 1.0)
    summed = pareto_nbd_log_likelihood(params, design, True, weights)[1]
    np.testing.assert_allclose(summed, grad @ weights, rtol=1e-10)


def test_fit_on_bg_nbd_like_data_lands_far_apart_and_is_exact_there():
    """3,000 BG/NBD customers: the Pareto/NBD fit returns finite estimates with beta far
    above alpha (the former slow regime), and its log-likelihood there agrees with the
    defining integral customer by customer."""
    data = simulate_bg_nbd(3_000, r=1.4, alpha=6.0, a=2.0, b=20.0, seed=2,
                           draw_age=lambda rng, n: rng.uniform(20.0, 80.0, n))
    model = ParetoNBD().fit(data)
    params = np.array(list(model.params_.values()))
    assert np.all(np.isfinite(params)) and np.isfinite(model.log_likelihood_)
    assert np.all(np.isfinite(list(model.standard_errors_.values())))
    assert np.mean(_z_at(params, data["recency"].to_numpy()) > 0.9) > 0.2
    rows = data.sample(40, random_state=0)
    design = Design.of(rows["frequency"], rows["recency"], rows["T"])
    ours = pareto_nbd_log_likelihood(params, design)[0]
    expected = [reference_log_likelihood(params, *row) for row in rows.itertuples(index=False)]
    np.testing.assert_allclose(ours, expected, rtol=1e-11)


def test_one_shared_dropout_rate_stops_with_a_clear_error():
    """Customers who all drop out at one rate (mu = 0.02): s and beta grow together without
    bound; the fit stops with a ConvergenceError naming the limit and the rate it found."""
    rng = np.random.default_rng(1)
    n = 3_000
    rate, age = rng.gamma(0.5, 1 / 5.0, n), rng.uniform(20.0, 80.0, n)
    alive_for = np.minimum(rng.exponential(1 / 0.02, n), age)
    x = rng.poisson(rate * alive_for)
    last = alive_for * rng.random(n) ** (1 / np.maximum(x, 1))
    data = pd.DataFrame({"frequency": x, "recency": np.where(x > 0, last, 0.0), "T": age})
    with pytest.raises(ConvergenceError, match="s and beta grow together") as caught:
        ParetoNBD().fit(data)
    rate_found = float(str(caught.value).split("s/beta=")[1].split(")")[0])
    assert rate_found == pytest.approx(0.02, rel=0.15)
