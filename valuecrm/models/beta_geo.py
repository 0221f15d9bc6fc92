"""BG/NBD: the beta-geometric / negative binomial distribution model of repeat buying.

Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005), "'Counting your customers' the easy way:
an alternative to the Pareto/NBD model", Marketing Science 24(2), 275-284.

While active, a customer buys as a Poisson process with rate lambda ~ Gamma(r, alpha); after
each repeat purchase she becomes inactive with probability p ~ Beta(a, b).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy.special import betaln, digamma, expit, gammaln, hyp2f1, logsumexp

from valuecrm.models.base import BaseFitter, Columns
from valuecrm.models.checks import check_count, check_horizon, check_summary
from valuecrm.models.distinct_rows import unique_codes
from valuecrm.models.histories import SUMMARY_COLUMNS, Histories


def beta_geo_log_likelihood(
    params: np.ndarray, data: Columns, shift: int, gradient: bool = False
) -> tuple[float, np.ndarray | None]:
    """Weighted log-likelihood (and its gradient) of BG/NBD (shift 0) or MBG/NBD (shift 1).

    ``log L = ln G(r+x) - ln G(r) + r ln alpha + ln B(a, b+x+s) - ln B(a, b) + g1 + softplus(d)``
    with ``g1 = -(r+x) ln(alpha+T)`` and the log-odds of "dropped out after t_x"
    ``d = ln a - ln(b+x+s-1) + (r+x) ln((alpha+T)/(alpha+t_x))``, ``-inf`` when x = 0 for
    BG/NBD (MBG/NBD customers may also drop out right after the first purchase). Terms in x
    alone or in T alone are summed over customer counts per distinct value (``with_codes``);
    only ``d`` needs one pass over the distinct (x, t_x, T) rows.
    """
    r, alpha, a, b = params
    data = with_codes(data)
    w, x = data["weights"], data["frequency"]
    xs, x_code = data["frequency_values"], data["frequency_codes"]
    weight_x, weight_t, weight_xt = data["weight_x"], data["weight_T"], data["weight_x_T"]
    ks = xs + shift
    second = (xs > 0) if shift == 0 else np.ones(xs.shape, dtype=bool)
    b_k1 = np.where(second, b + ks - 1.0, 1.0)
    log_alpha_t_values = np.log(alpha + data["T_values"])
    log_alpha_t = log_alpha_t_values[data["T_codes"]]
    diff = log_alpha_t - np.log(alpha + data["recency_values"])[data["recency_codes"]]
    rx = r + x
    d = np.where(second, np.log(a) - np.log(b_k1), -np.inf)[x_code] + rx * diff
    per_x = gammaln(r + xs) - gammaln(r) + r * np.log(alpha) + betaln(a, b + ks) - betaln(a, b)
    purchases_t = r * weight_t + weight_xt  # sum of w (r + x) per distinct T
    value = float(
        np.dot(weight_x, per_x) - np.dot(purchases_t, log_alpha_t_values)
        + np.dot(w, _softplus(d))
    )
    if not gradient:
        return value, None
    w_w2 = w * expit(d)  # customers times P(dropped out after t_x)
    w2_x = np.bincount(x_code, weights=w_w2, minlength=xs.size)
    inv_alpha_t_values = 1.0 / (alpha + data["T_values"])
    d_diff_alpha = (
        inv_alpha_t_values[data["T_codes"]]
        - (1.0 / (alpha + data["recency_values"]))[data["recency_codes"]]
    )
    psi_abk = digamma(a + b + ks)
    psi_ab = digamma(a + b)
    total = float(np.sum(weight_x))
    grad = np.array(
        [
            np.dot(weight_x, digamma(r + xs) - digamma(r)) + total * np.log(alpha)
            - np.dot(weight_t, log_alpha_t_values) + np.dot(w_w2, diff),
            total * r / alpha - np.dot(purchases_t, inv_alpha_t_values)
            + np.dot(w_w2, rx * d_diff_alpha),
            np.dot(weight_x, psi_ab - psi_abk) + np.sum(w2_x) / a,
            np.dot(weight_x, digamma(b + ks) - psi_abk - digamma(b) + psi_ab)
            - np.dot(w2_x, np.where(second, 1.0 / b_k1, 0.0)),
        ]
    )
    return value, grad


def _softplus(d: np.ndarray) -> np.ndarray:
    """``log(1 + exp(d))`` as ``max(d, 0) + log(1 + exp(-|d|))``: no overflow, and np.log is
    about twice as fast as np.logaddexp or np.log1p (the absolute error, below 1e-16, is far
    under what a sum of log-likelihoods resolves)."""
    tail = np.exp(-np.abs(d))
    tail += 1.0
    value = np.log(tail, out=tail)
    value += np.maximum(d, 0.0)
    return value


def with_codes(data: Columns) -> Columns:
    """``data`` plus ``<column>_values`` / ``<column>_codes`` for frequency, recency and T, and
    the customer counts per distinct x (``weight_x``) and per distinct T (``weight_T``, and
    ``weight_x_T``: their repeat purchases)."""
    if "frequency_codes" in data:
        return data
    data = dict(data)
    for name in SUMMARY_COLUMNS:
        codes, (values,) = unique_codes(data[name])
        data[f"{name}_codes"], data[f"{name}_values"] = codes, values
    w = data["weights"]
    data["weight_x"] = np.bincount(data["frequency_codes"], weights=w,
                                   minlength=data["frequency_values"].size)
    n_t = data["T_values"].size
    data["weight_T"] = np.bincount(data["T_codes"], weights=w, minlength=n_t)
    data["weight_x_T"] = np.bincount(data["T_codes"], weights=w * data["frequency"], minlength=n_t)
    return data


class BetaGeo(BaseFitter):
    """BG/NBD model (Fader, Hardie & Lee 2005), fitted on ``frequency``, ``recency``, ``T``.

    ``frequency`` is the number of repeat purchases, ``recency`` the time of the last one and
    ``T`` the customer's age, both measured from the first purchase in one time unit. An
    optional ``weights`` column counts customers per row. ``params_``: r, alpha, a, b.
    """

    _param_names: ClassVar[tuple[str, ...]] = ("r", "alpha", "a", "b")
    _fit_columns: ClassVar[tuple[str, ...]] = SUMMARY_COLUMNS
    _shift: ClassVar[int] = 0
    _warm_start_above: ClassVar[int | None] = 20_000

    def _check_fit_data(self, data: Columns) -> None:
        check_summary(data, type(self).__name__, fitting=True)

    def _initial_params(self, data: Columns) -> np.ndarray:
        w, x, big_t = data["weights"], data["frequency"], data["T"]
        rate = np.dot(w, x) / max(np.dot(w, big_t), 1e-12)  # purchases per unit time
        r = 1.0
        return np.array([r, r / max(rate, 1e-6), 1.0, 3.0])

    def _prepare_fit_data(self, data: Columns) -> Columns:
        return with_codes(data)

    def _negative_log_likelihood(self, params: np.ndarray, data: Columns) -> float:
        return -beta_geo_log_likelihood(params, data, self._shift)[0]

    def _negative_log_likelihood_gradient(self, params: np.ndarray, data: Columns) -> np.ndarray:
        return -beta_geo_log_likelihood(params, data, self._shift, gradient=True)[1]

    def _negative_log_likelihood_and_gradient(
        self, params: np.ndarray, data: Columns
    ) -> tuple[float, np.ndarray]:
        value, grad = beta_geo_log_likelihood(params, data, self._shift, gradient=True)
        return -value, -grad

    # ------------------------------------------------------------------ predictions
    def _log_odds_dropped(self, x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray) -> np.ndarray:
        """log of ``a/(b+x+s-1) ((alpha+T)/(alpha+t_x))^(r+x)``; P(alive) = 1/(1 + exp(it)).

        ``s`` is ``_shift``: 0 for BG/NBD (where it is -inf when x = 0), 1 for MBG/NBD.
        """
        r, alpha, a, b = self._fitted_params()
        b_k1 = b + x + (self._shift - 1.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            log_term = (r + x) * np.log1p((big_t - t_x) / (alpha + t_x)) - np.log(b_k1 / a)
        return log_term if self._shift else np.where(x > 0, log_term, -np.inf)

    def probability_alive(self, data: Any, interval: float | None = None
                          ) -> np.ndarray | pd.DataFrame:
        """P(still active at T | frequency, recency, T) (Fader, Hardie & Lee 2005, eq. 11).

        With ``interval`` (e.g. 0.9): a DataFrame of p_alive, p_alive_lower, p_alive_upper,
        by the delta method on the logit scale (:mod:`valuecrm.models.uncertainty`).
        """
        histories = Histories.of(data, type(self).__name__)
        alive = expit(-self._log_odds_dropped(histories.x, histories.t_x, histories.big_t))
        return self._with_interval("p_alive", alive, lambda m: m.probability_alive(histories),
                                   interval, "logit")

    def expected_purchases(self, t: float, data: Any, interval: float | None = None
                           ) -> np.ndarray | pd.DataFrame:
        """Expected purchases in (T, T + t] given each customer's history (eq. 10).

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
        to predict on many times (a CLV's monthly horizons, its interval's shifted parameters):
        its rows are read, checked and grouped by distinct (x, T) once, P(alive) is computed
        once per call and the 2F1 once per horizon and distinct (x, T).
        """
        histories = Histories.of(data, type(self).__name__)
        owner = type(self).__name__
        x, t_x, big_t = histories.x, histories.t_x, histories.big_t
        codes, (x_values, t_values) = histories.shared("x_T", lambda: unique_codes(x, big_t))
        alive = expit(-self._log_odds_dropped(x, t_x, big_t))
        curve = [self._expected_if_alive(check_horizon(t, "t", owner), x_values, t_values)[codes]
                 * alive for t in ts]
        return np.array(curve).reshape(len(curve), -1)

    def _expected_if_alive(self, t: float, x: np.ndarray, big_t: np.ndarray) -> np.ndarray:
        """``(a+b+x-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z)]``."""
        r, alpha, a, b = self._fitted_params()
        z = t / (alpha + big_t + t)
        power = np.exp((r + x) * np.log1p(-z))
        tail = power * hyp2f1(r + x, b + x, a + b + x - 1.0, z)
        return (a + b + x - 1.0) / (a - 1.0) * (1.0 - tail)

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
        n = check_count(n, type(self).__name__)
        t = float(check_horizon(t, "t", type(self).__name__))
        log_nb = _log_nbd_pmf(r, alpha, t, n)
        first = np.exp(betaln(a, b + n) - betaln(a, b) + log_nb[n])
        if n == 0:
            return float(first)
        head = np.exp(logsumexp(log_nb[:n]))
        return float(first + np.exp(betaln(a + 1, b + n - 1) - betaln(a, b)) * (1.0 - head))


def _log_nbd_pmf(r: float, alpha: float, t: float, n: int) -> np.ndarray:
    """log P(Y(t) = j), j = 0..n, for the purchases Y(t) of a customer alive throughout
    (t >= 0): Poisson counts with gamma(r, alpha) rates, a negative binomial (Fader, Hardie &
    Lee 2005, eq. 8's terms)."""
    log_p = np.log(alpha / (alpha + t))
    log_q = np.log(t / (alpha + t)) if t > 0 else -np.inf
    j = np.arange(n + 1)
    return gammaln(r + j) - gammaln(r) - gammaln(j + 1) + r * log_p + j * log_q
