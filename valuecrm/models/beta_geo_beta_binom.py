"""BG/BB: the beta-geometric / beta-Bernoulli model of discrete-time repeat buying.

Fader, P. S., Hardie, B. G. S. & Shang, J. (2010), "Customer-base analysis in a discrete-time
noncontractual setting", Marketing Science 29(6), 1086-1108.

At each of ``n`` transaction opportunities an active customer buys with probability
p ~ Beta(alpha, beta); before each opportunity she becomes inactive with probability
theta ~ Beta(gamma, delta).
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy.special import betaln, digamma, gammaln, logsumexp

from valuecrm.errors import DataError, ParameterError
from valuecrm.models.base import BaseFitter, Columns

_COLUMNS = ("frequency", "recency", "n_periods")


def _dbetaln(u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Partial derivatives of ln B(u, v)."""
    psi_uv = digamma(u + v)
    return digamma(u) - psi_uv, digamma(v) - psi_uv


def _log_terms(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, n: np.ndarray):
    """The log of each term of the likelihood (eq. 5), one column per term, and its mask.

    Column 0 is ``B(a+x, b+n-x)/B(a,b) B(g, d+n)/B(g,d)``; column ``i+1`` is
    ``B(a+x, b+t_x-x+i)/B(a,b) B(g+1, d+t_x+i)/B(g,d)`` for ``i < n - t_x``.
    """
    alpha, beta, gamma, delta = params
    width = int(np.max(n - t_x)) if n.size else 0
    i = np.arange(width)[None, :]
    valid = i < (n - t_x)[:, None]
    bx = beta + t_x[:, None] - x[:, None] + i
    dx = delta + t_x[:, None] + i
    base = -betaln(alpha, beta) - betaln(gamma, delta)
    first = betaln(alpha + x, beta + n - x) + betaln(gamma, delta + n) + base
    rest = betaln(alpha + x[:, None], bx) + betaln(gamma + 1.0, dx) + base
    terms = np.column_stack([first, np.where(valid, rest, -np.inf)])
    return terms, bx, dx, valid


def check_panel(data: Columns, owner: str) -> None:
    """``frequency <= recency <= n_periods``, whole numbers, recency 0 when frequency is 0."""
    x, t_x, n = data["frequency"], data["recency"], data["n_periods"]
    if not all(np.array_equal(v, np.round(v)) for v in (x, t_x, n)):
        raise DataError(
            f"{owner} needs whole numbers of transactions and periods.",
            hint="frequency counts periods with a transaction; recency and n_periods are period "
            "numbers.",
        )
    bad = (x > t_x) | (t_x > n) | ((x == 0) & (t_x > 0))
    if bad.any():
        raise DataError(
            f"{int(bad.sum())} row(s) break frequency <= recency <= n_periods "
            "(and recency = 0 when frequency = 0).",
            hint="recency is the period of the last transaction, n_periods the number of "
            "transaction opportunities.",
        )


class BetaGeoBetaBinom(BaseFitter):
    """BG/BB model (Fader, Hardie & Shang 2010), discrete time.

    Fitted on ``frequency`` (periods with a transaction), ``recency`` (the last such period),
    ``n_periods`` (transaction opportunities) and optional ``weights`` (customers per pattern).
    ``params_``: alpha, beta (buying), gamma, delta (dropping out).
    """

    _param_names: ClassVar[tuple[str, ...]] = ("alpha", "beta", "gamma", "delta")
    _fit_columns: ClassVar[tuple[str, ...]] = _COLUMNS

    def _check_fit_data(self, data: Columns) -> None:
        owner = type(self).__name__
        check_panel(data, owner)
        if data["weights"].sum() < 2:
            raise DataError(f"{owner} needs more than one customer to fit.")
        if not np.any(data["frequency"] > 0):
            raise DataError(
                f"No customer made a repeat transaction (frequency is 0 everywhere), so {owner} "
                "cannot learn a transaction probability.",
                hint="Use more transaction opportunities or check how frequency was counted.",
            )
        if not np.any(data["n_periods"] > 0):
            raise DataError(f"{owner} needs at least one transaction opportunity (n_periods > 0).")

    def _initial_params(self, data: Columns) -> np.ndarray:
        return np.array([1.0, 1.0, 1.0, 1.0])

    def _negative_log_likelihood(self, params: np.ndarray, data: Columns) -> float:
        x, t_x, n = data["frequency"], data["recency"], data["n_periods"]
        terms = _log_terms(params, x, t_x, n)[0]
        return -float(np.dot(data["weights"], logsumexp(terms, axis=1)))

    def _negative_log_likelihood_gradient(self, params: np.ndarray, data: Columns) -> np.ndarray:
        alpha, beta, gamma, delta = params
        x, t_x, n = data["frequency"], data["recency"], data["n_periods"]
        terms, bx, dx, valid = _log_terms(params, x, t_x, n)
        share = np.exp(terms - logsumexp(terms, axis=1, keepdims=True))  # weight of each term
        first, rest = share[:, 0], np.where(valid, share[:, 1:], 0.0)
        da0, db0 = _dbetaln(alpha, beta)
        dg0, dd0 = _dbetaln(gamma, delta)
        # buying part: column 0 uses B(a+x, b+n-x), the others B(a+x, b+t_x-x+i)
        da1, db1 = _dbetaln(alpha + x, beta + n - x)
        da2, db2 = _dbetaln(alpha + x[:, None], bx)
        d_alpha = first * da1 + (rest * da2).sum(axis=1) - da0
        d_beta = first * db1 + (rest * db2).sum(axis=1) - db0
        # dropout part: column 0 uses B(g, d+n), the others B(g+1, d+t_x+i)
        dg1, dd1 = _dbetaln(gamma, delta + n)
        dg2, dd2 = _dbetaln(gamma + 1.0, dx)
        d_gamma = first * dg1 + (rest * dg2).sum(axis=1) - dg0
        d_delta = first * dd1 + (rest * dd2).sum(axis=1) - dd0
        w = data["weights"]
        return -np.array([np.dot(w, d) for d in (d_alpha, d_beta, d_gamma, d_delta)])

    # ------------------------------------------------------------------ predictions
    def _panel(self, data: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        c = self._columns(data, _COLUMNS)
        check_panel(c, type(self).__name__)
        x, t_x, n = c["frequency"], c["recency"], c["n_periods"]
        log_l = logsumexp(_log_terms(np.array(self._fitted_params()), x, t_x, n)[0], axis=1)
        return x, t_x, n, log_l

    def probability_alive(self, data: Any, interval: float | None = None
                          ) -> np.ndarray | pd.DataFrame:
        """P(alive at period n + 1 | frequency, recency, n_periods) (eq. 11).

        With ``interval`` (e.g. 0.9): a DataFrame of p_alive, p_alive_lower, p_alive_upper,
        by the delta method on the logit scale (:mod:`valuecrm.models.uncertainty`).
        """
        alpha, beta, gamma, delta = self._fitted_params()
        columns = self._columns(data, _COLUMNS)
        x, _, n, log_l = self._panel(columns)
        log_alive = (
            betaln(alpha + x, beta + n - x) - betaln(alpha, beta)
            + betaln(gamma, delta + n + 1) - betaln(gamma, delta)
        )
        return self._with_interval("p_alive", np.exp(log_alive - log_l),
                                   lambda m: m.probability_alive(columns), interval, "logit")

    def expected_purchases(self, n_periods: int, data: Any, interval: float | None = None
                           ) -> np.ndarray | pd.DataFrame:
        """Expected transactions in the next ``n_periods`` opportunities (eq. 13).

        With ``interval`` (e.g. 0.9): a DataFrame of expected_purchases and its _lower and
        _upper bounds, by the delta method on the log scale
        (:mod:`valuecrm.models.uncertainty`).
        """
        future = _check_periods(n_periods, type(self).__name__)
        columns = self._columns(data, _COLUMNS)
        values = self._expected_purchases(future, columns)
        return self._with_interval(
            "expected_purchases", values, lambda m: m._expected_purchases(future, columns),
            interval, "log")

    def _expected_purchases(self, future: int, data: Any) -> np.ndarray:
        alpha, beta, gamma, delta = self._fitted_params()
        x, _, n, log_l = self._panel(data)
        log_now = gammaln(1 + delta + n) - gammaln(gamma + delta + n)
        log_later = gammaln(1 + delta + n + future) - gammaln(gamma + delta + n + future)
        log_scale = (
            betaln(alpha + x + 1, beta + n - x) - betaln(alpha, beta)
            + gammaln(gamma + delta) - gammaln(1 + delta) + np.log(delta) - log_l
        )
        # delta / (gamma - 1) and [now - later] always share their sign
        return np.exp(log_scale + log_now) * -np.expm1(log_later - log_now) / (gamma - 1.0)

    def expected_purchases_new_customer(self, n_periods: int | np.ndarray) -> np.ndarray | float:
        """Unconditional E[X(n)] over the first ``n_periods`` opportunities (eq. 9)."""
        alpha, beta, gamma, delta = self._fitted_params()
        n = np.asarray(n_periods, dtype=float)
        log_ratio = (
            gammaln(gamma + delta) - gammaln(gamma + delta + n)
            + gammaln(1 + delta + n) - gammaln(1 + delta)
        )
        result = alpha / (alpha + beta) * delta / (gamma - 1.0) * -np.expm1(log_ratio)
        return float(result) if result.ndim == 0 else result


def _check_periods(n: Any, owner: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
        raise ParameterError.of("n_periods", owner, "an int >= 0", n)
    return int(n)
