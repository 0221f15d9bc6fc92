"""Pareto/NBD: Poisson purchasing while alive, exponential lifetimes, both rates gamma-mixed.

Schmittlein, D. C., Morrison, D. G. & Colombo, R. (1987), "Counting your customers: who are they
and what will they do next?", Management Science 33(1), 1-24. Likelihood and expressions as in
Fader, P. S. & Hardie, B. G. S. (2005), "A note on deriving the Pareto/NBD model and related
expressions", and Fader, Hardie & Lee (2005), "RFM and CLV", JMR 42(4) (appendix).

While alive a customer buys at rate lambda ~ Gamma(r, alpha); her lifetime is exponential with
rate mu ~ Gamma(s, beta). For x repeat purchases, the last at t_x, observed until T:

``L = G(r+x) alpha^r beta^s / G(r) [1 / ((alpha+T)^(r+x) (beta+T)^s) + s/(r+s+x) A0]``

with ``A0 = F(t_x) - F(T)`` and, for alpha >= beta,
``F(y) = 2F1(r+s+x, s+1; r+s+x+1; (alpha-beta)/(alpha+y)) / (alpha+y)^(r+s+x)``
(alpha and beta, r+x and s+1 swap when alpha < beta). Euler's transformation turns each 2F1
into ``(1-z)^(...) 2F1(1, b; c; z)`` with ``0 <= z < 1`` and ``c > b``, a series of positive,
decreasing terms that sums to between 1 and 1/(1-z), so large x cannot overflow. Everything
else is carried in logs, and the gradient is exact (forward-mode through the series).

The series needs hundreds of terms when z > 0.9 (alpha and beta far apart, as when data with
little heterogeneity in dropout push s and beta up together); for those customers A0 is
``(r+s+x) int_{t_x}^T (alpha+y)^-(r+x) (beta+y)^-(s+1) dy``, integrated by Gauss-Legendre on a
logarithmic time scale (``_dropout_integral``). When s and beta both pass 1e4 (every customer
drops out at one rate), the fit stops with a ConvergenceError that says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Self

import numpy as np
import pandas as pd
from scipy.special import digamma, gammaln

from valuecrm.models._dropout_integral import log_dropout_integral
from valuecrm.models._hyp2f1 import SERIES_MAX_Z, log_hyp2f1_1bc
from valuecrm.models.base import BaseFitter, Columns
from valuecrm.models.checks import check_count, check_horizon, check_summary
from valuecrm.models.histories import SUMMARY_COLUMNS, Histories


# ------------------------------------------------------------------ likelihood
@dataclass(frozen=True)
class Design:
    """A (frequency, recency, T) summary prepared for repeated likelihood evaluations.

    ``F(y)`` is needed at ``(x, t_x)`` and ``(x, T)``: the distinct pairs (``pair_x``,
    ``pair_y``) are kept sorted by y, which sorts the 2F1 argument z for any parameters, and
    ``at_t_x``/``at_T`` say which pair each row uses; ``x_values``/``x_index`` do the same for
    the terms in x alone.
    """

    x: np.ndarray
    t_x: np.ndarray
    big_t: np.ndarray
    pair_x: np.ndarray
    pair_y: np.ndarray
    at_t_x: np.ndarray
    at_T: np.ndarray
    x_values: np.ndarray
    x_index: np.ndarray

    @classmethod
    def of(cls, x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray) -> Design:
        x, t_x, big_t = (np.atleast_1d(np.asarray(v, dtype=float)) for v in (x, t_x, big_t))
        xs, ys = np.concatenate([x, x]), np.concatenate([t_x, big_t])
        order = np.lexsort((xs, ys))
        xs, ys = xs[order], ys[order]
        first = np.ones(xs.size, dtype=bool)
        first[1:] = (xs[1:] != xs[:-1]) | (ys[1:] != ys[:-1])
        pair = np.empty(xs.size, dtype=np.int64)
        pair[order] = np.cumsum(first) - 1
        x_values, x_index = np.unique(x, return_inverse=True)
        return cls(x, t_x, big_t, xs[first], ys[first], pair[: x.size], pair[x.size :],
                   x_values, x_index)


def _log_f(
    params: np.ndarray, x: np.ndarray, y: np.ndarray, gradient: bool
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray, np.ndarray]:
    """``log F(y)`` of the module docstring, its gradient in (r, alpha, s, beta) (shape (4, n)),
    ``log(alpha+y)`` and ``log(beta+y)``.

    After Euler's transformation ``F(y) = (alpha+y)^-(r+x) (beta+y)^-s H(y)`` with
    ``H = 2F1(1, r+x; r+s+x+1; (alpha-beta)/(alpha+y))`` when alpha >= beta, else
    ``H = (alpha+y)/(beta+y) 2F1(1, s+1; r+s+x+1; (beta-alpha)/(beta+y))``.
    """
    r, alpha, s, beta = params
    ay, by = alpha + y, beta + y
    log_ay, log_by = np.log(ay), np.log(by)
    c = r + s + x + 1.0
    z = (alpha - beta) / ay if alpha >= beta else (beta - alpha) / by
    series = np.flatnonzero(z <= SERIES_MAX_Z)  # the others are integrated instead
    log_h, g = np.full(y.size, np.nan), np.zeros((3, y.size)) if gradient else None
    if alpha >= beta:
        log_h[series], g_series = log_hyp2f1_1bc((r + x)[series], c[series], z[series], gradient)
    else:
        log_g, g_series = log_hyp2f1_1bc(s + 1.0, c[series], z[series], gradient)
        log_h[series] = log_ay[series] - log_by[series] + log_g
    value = -(r + x) * log_ay - s * log_by + log_h
    if g is None:
        return value, None, log_ay, log_by
    g[:, series] = g_series
    d_b, d_c, d_z = g
    if alpha >= beta:  # b = r + x
        d_r = d_b + d_c - log_ay
        d_s = d_c - log_by
        d_alpha = d_z * by / ay**2 - (r + x) / ay
        d_beta = -d_z / ay - s / by
    else:  # b = s + 1, plus the factor (alpha+y)/(beta+y)
        d_r = d_c - log_ay
        d_s = d_b + d_c - log_by
        d_alpha = -d_z / by + (1.0 - r - x) / ay
        d_beta = d_z * ay / by**2 - (1.0 + s) / by
    d_f = np.array([d_r, d_alpha, d_s, d_beta])
    d_f[:, z > SERIES_MAX_Z] = 0.0
    return value, d_f, log_ay, log_by


def pareto_nbd_log_likelihood(
    params: np.ndarray, design: Design, gradient: bool = False, weights: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """Per-customer log-likelihood, its gradient in (r, alpha, s, beta) and P(alive).

    ``log L = log C + logaddexp(B1, B2)``, ``log C = ln G(r+x) - ln G(r) + r ln alpha +
    s ln beta``, ``B1 = -(r+x) ln(alpha+T) - s ln(beta+T)``, ``B2 = ln(s/(r+s+x)) + ln A0``;
    P(alive) = exp(B1 - logaddexp(B1, B2)) (Fader & Hardie 2005, eq. 18).
    Returns ``(loglik (n,), gradient (4, n) or None, p_alive (n,))``; with ``weights`` the
    gradient is the weighted sum over rows, shape (4,), summed without per-row arrays.
    """
    r, alpha, s, beta = params
    x, i_t, i_big_t = design.x, design.at_t_x, design.at_T
    log_f, d_f, log_ay, log_by = _log_f(params, design.pair_x, design.pair_y, gradient)
    log_ft = log_f[i_t]
    # A0 = F(t_x) - F(T) >= 0, zero when t_x = T
    ratio = np.exp(np.minimum(log_f[i_big_t] - log_ft, 0.0))
    positive = ratio < 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        log_a0 = np.where(positive, log_ft + np.log1p(-np.where(positive, ratio, 0.0)), -np.inf)
    # where the 2F1 converges slowly, A0 = (r+s+x) I with I integrated directly
    far = np.flatnonzero(_z_at(params, design.t_x) > SERIES_MAX_Z)
    d_log_i = None
    if far.size:
        log_i, d_log_i = log_dropout_integral(params, x[far], design.t_x[far], design.big_t[far],
                                              d_f is not None)
        log_a0[far] = np.log(r + s + x[far]) + log_i
        positive[far], ratio[far] = False, 0.0  # the 2F1 terms do not apply to these rows
    log_ay_t, log_by_t = log_ay[i_big_t], log_by[i_big_t]
    xv, xi = design.x_values, design.x_index
    b1 = -(r + x) * log_ay_t - s * log_by_t
    b2 = np.log(s) - np.log(r + s + xv)[xi] + log_a0
    both = np.logaddexp(b1, b2)
    log_c = (gammaln(r + xv) - gammaln(r))[xi] + (r * np.log(alpha) + s * np.log(beta))
    loglik = log_c + both
    p_alive = np.exp(b1 - both)
    if d_f is None:
        return loglik, None, p_alive
    safe = np.where(positive, 1.0 - ratio, 1.0)
    if far.size:  # d ln A0 = d ln(r+s+x) + d ln I on the integrated rows
        inv_far = 1.0 / (r + s + x[far])
        d_log_i = d_log_i + np.array([inv_far, 0.0 * inv_far, inv_far, 0.0 * inv_far])
    if weights is not None:
        grad = _weighted_gradient(params, design, weights, p_alive, ratio / safe,
                                  np.where(positive, 1.0 / safe, 0.0), d_f, log_ay_t, log_by_t)
        if far.size:
            grad += d_log_i @ (weights[far] * (1.0 - p_alive[far]))
        return loglik, grad, p_alive
    one = np.ones_like(x)
    d_c = np.array([(digamma(r + xv) - digamma(r))[xi] + np.log(alpha), r / alpha * one,
                    np.log(beta) * one, s / beta * one])
    big_t = design.big_t
    d_b1 = np.array([-log_ay_t, -(r + x) / (alpha + big_t), -log_by_t, -s / (beta + big_t)])
    d_a0 = np.where(positive, (d_f[:, i_t] - ratio * d_f[:, i_big_t]) / safe, 0.0)
    if far.size:
        d_a0[:, far] = d_log_i
    inv_a = (1.0 / (r + s + xv))[xi]
    d_b2 = d_a0 + np.array([-inv_a, 0 * one, 1.0 / s - inv_a, 0 * one])
    grad = d_c + p_alive * d_b1 + (1.0 - p_alive) * d_b2
    return loglik, grad, p_alive


def _z_at(params: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The argument of the 2F1 in ``F(y)``: |alpha - beta| / (max(alpha, beta) + y)."""
    _, alpha, _, beta = params
    return abs(alpha - beta) / (max(alpha, beta) + y)


def _weighted_gradient(
    params: np.ndarray, design: Design, w: np.ndarray, p_alive: np.ndarray,
    ratio_over: np.ndarray, inv_gap: np.ndarray, d_f: np.ndarray,
    log_ay_t: np.ndarray, log_by_t: np.ndarray,
) -> np.ndarray:
    """``sum_i w_i d log L_i``: d log C + P(alive) d B1 + (1 - P(alive)) d B2, where
    ``d ln A0 = (dF(t_x) - q dF(T)) / (1 - q)``, q = F(T)/F(t_x), is summed per (x, y) pair."""
    r, alpha, s, beta = params
    xv, xi = design.x_values, design.x_index
    p, q = w * p_alive, w * (1.0 - p_alive)
    total, q_total = w.sum(), q.sum()
    w_x = np.bincount(xi, weights=w, minlength=xv.size)
    q_x_over_a = np.bincount(xi, weights=q, minlength=xv.size) @ (1.0 / (r + s + xv))
    n_pairs = design.pair_x.size
    on_pairs = np.bincount(design.at_t_x, weights=q * inv_gap, minlength=n_pairs)
    on_pairs -= np.bincount(design.at_T, weights=q * ratio_over, minlength=n_pairs)
    d_a0 = d_f @ on_pairs
    return np.array([
        w_x @ (digamma(r + xv) - digamma(r)) + total * np.log(alpha) - p @ log_ay_t
        + d_a0[0] - q_x_over_a,
        total * r / alpha - p @ ((r + design.x) / (alpha + design.big_t)) + d_a0[1],
        total * np.log(beta) - p @ log_by_t + d_a0[2] + q_total / s - q_x_over_a,
        total * s / beta - s * (p @ (1.0 / (beta + design.big_t))) + d_a0[3],
    ])


# ------------------------------------------------------------------ predictions
def _one_minus_power_over(log_ratio: np.ndarray, exponent: float) -> np.ndarray:
    """``(1 - exp(-exponent * log_ratio)) / exponent``, with its limit ``log_ratio`` at 0."""
    if abs(exponent) < 1e-10:
        return log_ratio
    return -np.expm1(-exponent * log_ratio) / exponent


def conditional_expected_purchases(
    params: np.ndarray, t: float | np.ndarray, x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray
) -> np.ndarray:
    """E[purchases in (T, T+t] | x, t_x, T] = P(alive) (r+x)(beta+T)/(alpha+T) K (eq. 22).

    ``K = (1 - ((beta+T)/(beta+T+t))^(s-1)) / (s-1)``, or ``ln((beta+T+t)/(beta+T))`` at s = 1.
    """
    p_alive = pareto_nbd_log_likelihood(params, Design.of(x, t_x, big_t))[2]
    return expected_purchases_if(params, t, p_alive, x, big_t)


def expected_purchases_if(
    params: np.ndarray, t: float | np.ndarray, p_alive: np.ndarray, x: np.ndarray,
    big_t: np.ndarray
) -> np.ndarray:
    """``conditional_expected_purchases`` given each customer's P(alive) (eq. 22)."""
    r, alpha, s, beta = params
    k = _one_minus_power_over(np.log1p(t / (beta + big_t)), s - 1.0)
    return p_alive * (r + x) * (beta + big_t) / (alpha + big_t) * k


def unconditional_expected_purchases(params: np.ndarray, t: float | np.ndarray) -> np.ndarray:
    """E[X(t)] for a customer just acquired: r beta / (alpha (s-1)) [1 - (beta/(beta+t))^(s-1)]."""
    r, alpha, s, beta = params
    return r * beta / alpha * _one_minus_power_over(np.log1p(np.asarray(t) / beta), s - 1.0)


def purchase_probability(params: np.ndarray, n: int, t: float) -> float:
    """P(X(t) = n) for a customer just acquired (Fader & Hardie 2005, eq. 20).

    Alive throughout (NBD count times the gamma-exponential survival) plus died at tau < t after
    n purchases: ``int_0^t NBD(n; tau) s/beta (beta/(beta+tau))^(s+1) dtau``, by adaptive
    quadrature (the closed form differences nearly equal 2F1 sums and loses accuracy).
    """
    from scipy.integrate import quad

    r, alpha, s, beta = params

    def log_nbd(tau: float) -> float:
        log_q = np.log(tau / (alpha + tau)) if tau > 0 else (0.0 if n == 0 else -np.inf)
        return (gammaln(r + n) - gammaln(r) - gammaln(n + 1.0) + r * np.log(alpha / (alpha + tau))
                + n * log_q)

    alive = np.exp(log_nbd(t) + s * np.log(beta / (beta + t)))
    if t == 0:
        return float(alive)

    def died(tau: float) -> float:
        return np.exp(log_nbd(tau) + np.log(s / beta) + (s + 1.0) * np.log(beta / (beta + tau)))

    mode = min(max(n * alpha / max(r, 1e-12), 0.0), t)  # where tau^n (alpha+tau)^-(r+n) peaks
    points = [mode] if 0 < mode < t else None
    integral = quad(died, 0.0, t, points=points, epsabs=0.0, epsrel=1e-11, limit=200)[0]
    return float(alive + integral)


# ------------------------------------------------------------------ estimator
class ParetoNBD(BaseFitter):
    """Pareto/NBD model (Schmittlein, Morrison & Colombo 1987) on ``frequency, recency, T``.

    ``frequency`` is the number of repeat purchases, ``recency`` the time of the last one and
    ``T`` the customer's age, both from the first purchase in one time unit; an optional
    ``weights`` column counts customers per row. ``params_``: r, alpha (purchase rate
    ~ Gamma(r, alpha)), s, beta (dropout rate ~ Gamma(s, beta)).
    """

    _param_names: ClassVar[tuple[str, ...]] = ("r", "alpha", "s", "beta")
    _fit_columns: ClassVar[tuple[str, ...]] = SUMMARY_COLUMNS
    _warm_start_above: ClassVar[int | None] = 20_000
    _gamma_pairs: ClassVar[tuple[tuple[str, str, str], ...]] = (
        ("s", "beta", "dropout rate"), ("r", "alpha", "purchase rate"))

    def _check_fit_data(self, data: Columns) -> None:
        check_summary(data, type(self).__name__, fitting=True)

    def _initial_params(self, data: Columns) -> np.ndarray:
        """r = s = 1, alpha from the pooled purchase rate, beta = the mean age (a rule of thumb;
        on more than 20,000 distinct rows the fit starts from a subsample's estimate instead)."""
        w, x, big_t = data["weights"], data["frequency"], data["T"]
        mean_age = max(np.dot(w, big_t) / w.sum(), 1e-6)
        rate = np.dot(w, x) / (w.sum() * mean_age)
        return np.array([1.0, 1.0 / max(rate, 1e-6), 1.0, mean_age])

    def _evaluate(
        self, params: np.ndarray, data: Columns, gradient: bool = True
    ) -> tuple[float, np.ndarray | None]:
        """Weighted log-likelihood and (with ``gradient``) its gradient, cached for the last
        parameters (the optimiser asks for the value and the gradient at the same point). The
        value alone (Nelder-Mead, the limit check) skips the derivatives, same value."""
        cache = self.__dict__.setdefault("_cache", {})
        if cache.get("data") is not data:
            cache.clear()
            cache["data"] = data
            cache["design"] = Design.of(data["frequency"], data["recency"], data["T"])
        key = params.tobytes()
        if cache.get("key") != key or (gradient and cache["value"][1] is None):
            w = data["weights"]
            loglik, grad, _ = pareto_nbd_log_likelihood(params, cache["design"], gradient,
                                                         w if gradient else None)
            cache["value"] = (float(np.dot(w, loglik)), grad)
            cache["key"] = key
        return cache["value"]

    def _negative_log_likelihood(self, params: np.ndarray, data: Columns) -> float:
        return -self._evaluate(params, data, gradient=False)[0]

    def _negative_log_likelihood_gradient(self, params: np.ndarray, data: Columns) -> np.ndarray:
        return -self._evaluate(params, data)[1]

    def _negative_log_likelihood_and_gradient(
        self, params: np.ndarray, data: Columns
    ) -> tuple[float, np.ndarray]:
        value, gradient = self._evaluate(params, data)
        return -value, -gradient

    def fit(self, data: Any) -> Self:
        """Fit by maximum likelihood on ``data`` (DataFrame, pyarrow Table, Ibis table)."""
        try:
            return super().fit(data)
        finally:
            self.__dict__.pop("_cache", None)

    def parameter_covariance(self, data: Any) -> np.ndarray:
        """Covariance of the estimates on ``data`` (see ``BaseFitter.parameter_covariance``)."""
        try:
            return super().parameter_covariance(data)
        finally:
            self.__dict__.pop("_cache", None)

    # ------------------------------------------------------------------ predictions
    def probability_alive(self, data: Any, interval: float | None = None
                          ) -> np.ndarray | pd.DataFrame:
        """P(still alive at T | frequency, recency, T) (Fader & Hardie 2005, eq. 18).

        With ``interval`` (e.g. 0.9): a DataFrame of p_alive, p_alive_lower, p_alive_upper,
        by the delta method on the logit scale (:mod:`valuecrm.models.uncertainty`).
        """
        histories = Histories.of(data, type(self).__name__)
        params = np.array(self._fitted_params())
        design = histories.shared("pareto_nbd_design", lambda: Design.of(
            histories.x, histories.t_x, histories.big_t))
        alive = pareto_nbd_log_likelihood(params, design)[2]
        return self._with_interval("p_alive", alive, lambda m: m.probability_alive(histories),
                                   interval, "logit")

    def expected_purchases(self, t: float, data: Any, interval: float | None = None
                           ) -> np.ndarray | pd.DataFrame:
        """Expected purchases in (T, T + t] given each customer's history (eq. 22).

        With ``interval`` (e.g. 0.9): a DataFrame of expected_purchases and its _lower and
        _upper bounds, by the delta method on the log scale
        (:mod:`valuecrm.models.uncertainty`).
        """
        t = check_horizon(t, "t", type(self).__name__)
        histories = Histories.of(data, type(self).__name__)
        values = self.expected_purchases_curve([t], histories)[0]
        return self._with_interval(
            "expected_purchases", values, lambda m: m.expected_purchases_curve([t], histories)[0],
            interval, "log")

    def expected_purchases_curve(self, ts: Sequence[Any], data: Any) -> np.ndarray:
        """``expected_purchases(t, data)`` for each horizon t of ``ts``, one row each (shape
        ``(len(ts), customers)``), equal to it bit for bit.

        ``data`` as for ``expected_purchases``, or a :class:`~valuecrm.models.histories.Histories`
        to predict on many times: the (x, y) ``Design`` of its rows is built once per
        ``Histories``, P(alive) once per call.
        """
        histories = Histories.of(data, type(self).__name__)
        params = np.array(self._fitted_params())
        owner = type(self).__name__
        x, t_x, big_t = histories.x, histories.t_x, histories.big_t
        design = histories.shared("pareto_nbd_design", lambda: Design.of(x, t_x, big_t))
        p_alive = pareto_nbd_log_likelihood(params, design)[2]
        curve = [expected_purchases_if(params, check_horizon(t, "t", owner), p_alive, x, big_t)
                 for t in ts]
        return np.array(curve).reshape(len(curve), -1)

    def expected_purchases_new_customer(self, t: float | np.ndarray) -> np.ndarray | float:
        """Unconditional E[X(t)] for a customer just acquired (eq. 17)."""
        params = np.array(self._fitted_params())
        result = unconditional_expected_purchases(params, check_horizon(t, "t", "ParetoNBD"))
        return float(result) if np.ndim(result) == 0 else result

    def purchase_probability(self, n: int, t: float) -> float:
        """P(X(t) = n) for a customer just acquired (eq. 20)."""
        params = np.array(self._fitted_params())
        owner = type(self).__name__
        return purchase_probability(
            params, check_count(n, owner), float(check_horizon(t, "t", owner))
        )
