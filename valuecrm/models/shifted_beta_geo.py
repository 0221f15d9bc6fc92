"""sBG: the shifted-beta-geometric model of contractual retention.

Fader, P. S. & Hardie, B. G. S. (2007), "How to project customer retention", Journal of
Interactive Marketing 21(1), 76-90; Fader, P. S. & Hardie, B. G. S. (2010), "Customer-base
valuation in a contractual setting: the perils of ignoring heterogeneity", Marketing Science
29(1), 85-93 (discounted expected residual lifetime).

At the end of each period a customer cancels with probability theta ~ Beta(alpha, beta) (the
paper's gamma, delta), so retention rates rise over time as the disloyal leave first.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from scipy.special import betaln, hyp2f1

from valuecrm.errors import DataError, ParameterError
from valuecrm.models.base import BaseFitter, Columns

_COLUMNS = ("period", "active")


class ShiftedBetaGeo(BaseFitter):
    """sBG retention model, fitted on a cohort table with columns ``period`` and ``active``.

    ``active`` is the number of customers of the cohort still active at the start of each
    ``period`` 0, 1, 2, ... (period 0 is the whole cohort). ``params_``: alpha, beta.
    """

    _param_names: ClassVar[tuple[str, ...]] = ("alpha", "beta")
    _fit_columns: ClassVar[tuple[str, ...]] = _COLUMNS
    _compress: ClassVar[bool] = False

    def _check_fit_data(self, data: Columns) -> None:
        owner = type(self).__name__
        order = np.argsort(data["period"], kind="stable")
        for name in (*_COLUMNS, "weights"):
            data[name] = data[name][order]
        period, active = data["period"], data["active"]
        if not np.array_equal(period, np.arange(period.size)):
            raise DataError(
                f"{owner} needs one row per period 0, 1, 2, ... without gaps; "
                f"got periods {period.tolist()}.",
                hint="Period 0 holds the cohort size, period t the customers active at its start.",
            )
        if period.size < 2 or active[0] <= 0:
            raise DataError(f"{owner} needs a cohort (active > 0 at period 0) and a later period.")
        if np.any(np.diff(active) > 0) or not np.array_equal(active, np.round(active)):
            raise DataError(
                f"The active counts of {owner} must be whole numbers that never increase.",
                hint="Count each cohort's survivors; customers who return are not re-counted.",
            )
        if active[-1] == active[0]:
            raise DataError(f"No customer churned, so {owner} cannot learn a churn rate.")

    def _initial_params(self, data: Columns) -> np.ndarray:
        return np.array([1.0, 1.0])

    def _negative_log_likelihood(self, params: np.ndarray, data: Columns) -> float:
        alpha, beta = params
        active = data["active"]
        t = np.arange(1, active.size)
        churned = active[:-1] - active[1:]
        log_churn = betaln(alpha + 1.0, beta + t - 1.0) - betaln(alpha, beta)  # P(T = t)
        log_survive = betaln(alpha, beta + t[-1]) - betaln(alpha, beta)  # S(last period)
        return -float(np.dot(churned, log_churn) + active[-1] * log_survive)

    def _count_customers(self, data: Columns) -> float:
        return float(data["active"][0])

    # ------------------------------------------------------------------ predictions
    def survival(self, t: float | np.ndarray) -> np.ndarray | float:
        """S(t): share of a new cohort still active after ``t`` periods, B(a, b+t)/B(a, b)."""
        alpha, beta = self._fitted_params()
        t = _periods(t, "t", type(self).__name__)
        result = np.exp(betaln(alpha, beta + t) - betaln(alpha, beta))
        return float(result) if result.ndim == 0 else result

    def retention_rate(self, t: float | np.ndarray) -> np.ndarray | float:
        """r(t) = S(t)/S(t-1) = (beta + t - 1)/(alpha + beta + t - 1), for t >= 1."""
        alpha, beta = self._fitted_params()
        t = _periods(t, "t", type(self).__name__, minimum=1)
        result = (beta + t - 1.0) / (alpha + beta + t - 1.0)
        return float(result) if result.ndim == 0 else result

    def expected_lifetime(self) -> float:
        """E[T] = (alpha + beta - 1)/(alpha - 1) periods; infinite when alpha <= 1."""
        alpha, beta = self._fitted_params()
        return (alpha + beta - 1.0) / (alpha - 1.0) if alpha > 1.0 else np.inf

    def discounted_expected_residual_lifetime(
        self, discount_rate: float, periods_survived: int = 0
    ) -> float:
        """DERL: discounted expected number of future payments (Fader & Hardie 2010, eq. 6).

        For a customer at the end of period ``n`` who has renewed ``periods_survived = n - 1``
        times and is about to decide on the next renewal:
        ``(beta + n - 1)/(alpha + beta + n - 1) * 2F1(1, beta + n; alpha + beta + n; 1/(1+d))``.
        Multiply by the margin per period for the residual value.
        """
        alpha, beta = self._fitted_params()
        owner = type(self).__name__
        if not (isinstance(discount_rate, int | float) and 0 < discount_rate < np.inf):
            raise ParameterError.of("discount_rate", owner, "a float > 0", discount_rate)
        if (
            isinstance(periods_survived, bool)
            or not isinstance(periods_survived, int | np.integer)
            or periods_survived < 0
        ):
            raise ParameterError.of("periods_survived", owner, "an int >= 0", periods_survived)
        n = periods_survived + 1
        ratio = (beta + n - 1.0) / (alpha + beta + n - 1.0)
        return float(ratio * hyp2f1(1.0, beta + n, alpha + beta + n, 1.0 / (1.0 + discount_rate)))


def _periods(t: Any, name: str, owner: str, minimum: int = 0) -> np.ndarray:
    value = np.asarray(t, dtype=float)
    if not np.all(np.isfinite(value) & (value >= minimum)):
        raise ParameterError.of(name, owner, f"a number of periods >= {minimum}", t)
    return value
