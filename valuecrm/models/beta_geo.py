"""BG/NBD: the beta-geometric / negative binomial distribution model of repeat buying.

Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005), "'Counting your customers' the easy way:
an alternative to the Pareto/NBD model", Marketing Science 24(2), 275-284.

While active, a customer buys as a Poisson process with rate lambda ~ Gamma(r, alpha); after
each repeat purchase she becomes inactive with probability p ~ Beta(a, b).
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from scipy.special import betaln, digamma, gammaln, hyp2f1, logsumexp

from valuecrm.errors import DataError, ParameterError
from valuecrm.models.base import BaseFitter, Columns

_SUMMARY_COLUMNS = ("frequency", "recency", "T")


def beta_geo_log_likelihood(
    params: np.ndarray, data: Columns, shift: int, gradient: bool = False
) -> tuple[float, np.ndarray | None]:
    """Weighted log-likelihood (and its gradient) of BG/NBD (shift 0) or MBG/NBD (shift 1).

    ``log L = ln G(r+x) - ln G(r) + r ln alpha + ln B(a, b+x+s) - ln B(a, b)
    + log(exp(g1) + d * exp(g2))`` with ``g1 = -(r+x) ln(alpha+T)``,
    ``g2 = ln a - ln(b+x+s-1) - (r+x) ln(alpha+t_x)`` and ``d = [x > 0]`` for BG/NBD, 1 for
    MBG/NBD (whose customers may also drop out right after the first purchase).
    """
    r, alpha, a, b = params
    x, t_x, big_t, w = data["frequency"], data["recency"], data["T"], data["weights"]
    k = x + shift
    has_second = (x > 0) if shift == 0 else np.ones(x.shape, dtype=bool)
    log_alpha_t = np.log(alpha + big_t)
    log_alpha_tx = np.log(alpha + t_x)
    b_k1 = np.where(has_second, b + k - 1.0, 1.0)
    g1 = -(r + x) * log_alpha_t
    g2 = np.where(has_second, np.log(a) - np.log(b_k1) - (r + x) * log_alpha_tx, -np.inf)
    lse = np.logaddexp(g1, g2)
    loglik = (
        gammaln(r + x) - gammaln(r) + r * np.log(alpha) + betaln(a, b + k) - betaln(a, b) + lse
    )
    value = float(np.dot(w, loglik))
    if not gradient:
        return value, None
    w1 = np.exp(g1 - lse)
    w2 = np.exp(g2 - lse)
    psi_abk = digamma(a + b + k)
    psi_ab = digamma(a + b)
    d_r = digamma(r + x) - digamma(r) + np.log(alpha) - w1 * log_alpha_t - w2 * log_alpha_tx
    d_alpha = r / alpha - (r + x) * (w1 / (alpha + big_t) + w2 / (alpha + t_x))
    d_a = psi_ab - psi_abk + w2 / a
    d_b = digamma(b + k) - psi_abk - digamma(b) + psi_ab - w2 / b_k1
    grad = np.array([np.dot(w, d) for d in (d_r, d_alpha, d_a, d_b)])
    return value, grad


def check_summary(data: Columns, owner: str, fitting: bool) -> None:
    """Consistency of a (frequency, recency, T) summary; with ``fitting`` also identifiability."""
    x, t_x, big_t = data["frequency"], data["recency"], data["T"]
    late = int(np.count_nonzero(t_x > big_t * (1 + 1e-12)))
    if late:
        raise DataError(
            f"{late} row(s) have recency greater than T.",
            hint="recency (time of the last repeat purchase) and T (age) are both measured from "
            "each customer's first purchase, in the same unit.",
        )
    if not fitting:
        return
    w = data["weights"]
    if w.sum() < 2:
        raise DataError(f"{owner} needs more than one customer to fit.")
    if not np.any(x > 0):
        raise DataError(
            f"No customer made a repeat purchase (frequency is 0 everywhere), so {owner} cannot "
            "learn a purchase rate.",
            hint="Use a longer calibration period or check that frequency counts repeat purchases.",
        )
    if not np.any(big_t > 0):
        raise DataError(
            f"All purchases fall on one day (T is 0 for every customer), so {owner} has no time "
            "to learn from.",
            hint="End the calibration period after the first purchases, or check the time unit.",
        )


def log_power_ratio(base_num: np.ndarray, base_den: np.ndarray, power: np.ndarray) -> np.ndarray:
    """``power * log(base_num / base_den)``, stable for nearby bases."""
    return power * np.log1p((base_num - base_den) / base_den)


class BetaGeo(BaseFitter):
    """BG/NBD model (Fader, Hardie & Lee 2005), fitted on ``frequency``, ``recency``, ``T``.

    ``frequency`` is the number of repeat purchases, ``recency`` the time of the last one and
    ``T`` the customer's age, both measured from the first purchase in one time unit. An
    optional ``weights`` column counts customers per row. ``params_``: r, alpha, a, b.
    """

    _param_names: ClassVar[tuple[str, ...]] = ("r", "alpha", "a", "b")
    _fit_columns: ClassVar[tuple[str, ...]] = _SUMMARY_COLUMNS
    _shift: ClassVar[int] = 0

    def _check_fit_data(self, data: Columns) -> None:
        check_summary(data, type(self).__name__, fitting=True)

    def _initial_params(self, data: Columns) -> np.ndarray:
        w, x, big_t = data["weights"], data["frequency"], data["T"]
        rate = np.dot(w, x) / max(np.dot(w, big_t), 1e-12)  # purchases per unit time
        r = 1.0
        return np.array([r, r / max(rate, 1e-6), 1.0, 3.0])

    def _negative_log_likelihood(self, params: np.ndarray, data: Columns) -> float:
        return -beta_geo_log_likelihood(params, data, self._shift)[0]

    def _negative_log_likelihood_gradient(self, params: np.ndarray, data: Columns) -> np.ndarray:
        return -beta_geo_log_likelihood(params, data, self._shift, gradient=True)[1]

    # ------------------------------------------------------------------ predictions
    def _summary(self, data: Any) -> Columns:
        columns = self._columns(data, _SUMMARY_COLUMNS)
        check_summary(columns, type(self).__name__, fitting=False)
        return columns

    def _second_term(self, x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray) -> np.ndarray:
        """``a/(b+x+s-1) ((alpha+T)/(alpha+t_x))^(r+x)``, so that P(alive) = 1/(1 + it).

        ``s`` is ``_shift``: 0 for BG/NBD (where the term is 0 when x = 0), 1 for MBG/NBD.
        """
        r, alpha, a, b = self._fitted_params()
        repeat = (x > 0) if self._shift == 0 else np.ones(x.shape, dtype=bool)
        b_k1 = np.where(repeat, b + x + self._shift - 1.0, 1.0)
        log_term = np.log(a) - np.log(b_k1) + log_power_ratio(
            alpha + big_t, alpha + t_x, r + x
        )
        return np.where(repeat, np.exp(np.minimum(log_term, 700.0)), 0.0)

    def probability_alive(self, data: Any) -> np.ndarray:
        """P(still active at T | frequency, recency, T) (Fader, Hardie & Lee 2005, eq. 11)."""
        c = self._summary(data)
        return 1.0 / (1.0 + self._second_term(c["frequency"], c["recency"], c["T"]))

    def expected_purchases(self, t: float, data: Any) -> np.ndarray:
        """Expected purchases in (T, T + t] given each customer's history (eq. 10)."""
        t = _check_horizon(t, "t", type(self).__name__)
        r, alpha, a, b = self._fitted_params()
        c = self._summary(data)
        x, t_x, big_t = c["frequency"], c["recency"], c["T"]
        z = t / (alpha + big_t + t)
        power = np.exp(log_power_ratio(alpha + big_t, alpha + big_t + t, r + x))
        numerator = 1.0 - power * hyp2f1(r + x, b + x, a + b + x - 1.0, z)
        numerator *= (a + b + x - 1.0) / (a - 1.0)
        return numerator / (1.0 + self._second_term(x, t_x, big_t))

    def expected_purchases_new_customer(self, t: float | np.ndarray) -> np.ndarray | float:
        """Unconditional E[X(t)] for a customer just acquired (eq. 9)."""
        r, alpha, a, b = self._fitted_params()
        t = np.asarray(t, dtype=float)
        result = (a + b - 1.0) / (a - 1.0) * (
            1.0 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1.0, t / (alpha + t))
        )
        return float(result) if result.ndim == 0 else result

    def purchase_probability(self, n: int, t: float) -> float:
        """P(X(t) = n) for a customer just acquired (eq. 8)."""
        r, alpha, a, b = self._fitted_params()
        n = _check_count(n, type(self).__name__)
        t = float(_check_horizon(t, "t", type(self).__name__))
        log_p = np.log(alpha / (alpha + t))
        log_q = np.log(t / (alpha + t)) if t > 0 else -np.inf
        j = np.arange(n + 1)
        log_nb = gammaln(r + j) - gammaln(r) - gammaln(j + 1) + r * log_p + j * log_q
        first = np.exp(betaln(a, b + n) - betaln(a, b) + log_nb[n])
        if n == 0:
            return float(first)
        head = np.exp(logsumexp(log_nb[:n]))
        return float(first + np.exp(betaln(a + 1, b + n - 1) - betaln(a, b)) * (1.0 - head))


def _check_horizon(t: Any, name: str, owner: str) -> Any:
    value = np.asarray(t, dtype=float)
    if not np.all(np.isfinite(value) & (value >= 0)):
        raise ParameterError.of(name, owner, "a float >= 0", t)
    return value


def _check_count(n: Any, owner: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
        raise ParameterError.of("n", owner, "an int >= 0", n)
    return int(n)
