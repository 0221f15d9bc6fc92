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
from typing import Any, ClassVar, Self

import numpy as np
import pandas as pd
from scipy.special import gammaln

from valuecrm.models.base import BaseFitter, Columns
from valuecrm.models.checks import check_count, check_horizon, check_summary
from valuecrm.models.histories import SUMMARY_COLUMNS, Histories
from valuecrm.models.pareto_nbd_likelihood import Design, pareto_nbd_log_likelihood


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
