"""Gamma-Gamma model of the average value of a customer's transactions.

Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005), "RFM and CLV: using iso-value curves for
customer base analysis", Journal of Marketing Research 42(4), 415-430; Fader, P. S. &
Hardie, B. G. S. (2013), "The Gamma-Gamma model of monetary value" (note).

Each transaction value is Gamma(p, nu) with nu ~ Gamma(q, gamma) across customers, so the mean
``zbar`` of ``x`` transactions is Gamma(p x, nu x). Assumes spend independent of frequency.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy.special import digamma, gammaln

from valuecrm.errors import DataError
from valuecrm.models.base import BaseFitter, Columns

_COLUMNS = ("frequency", "monetary_value")


class GammaGamma(BaseFitter):
    """Gamma-Gamma spend model, fitted on repeat buyers' ``frequency`` and ``monetary_value``.

    ``monetary_value`` is the mean value of each customer's repeat transactions; fit only on
    customers with ``frequency > 0``. ``params_``: p, q, gamma (gamma is called v elsewhere).
    """

    _param_names: ClassVar[tuple[str, ...]] = ("p", "q", "gamma")
    _fit_columns: ClassVar[tuple[str, ...]] = _COLUMNS

    def _check_fit_data(self, data: Columns) -> None:
        owner = type(self).__name__
        x, m = data["frequency"], data["monetary_value"]
        if np.any(x <= 0) or np.any(m <= 0):
            raise DataError(
                f"{owner} is fitted on repeat buyers with a positive average spend; "
                f"{int(np.count_nonzero((x <= 0) | (m <= 0)))} row(s) have frequency 0 or "
                "monetary_value <= 0.",
                hint="Keep repeat buyers only with positive spend: "
                "data[(data.frequency > 0) & (data.monetary_value > 0)].",
            )
        if data["weights"].sum() < 2:
            raise DataError(f"{owner} needs more than one repeat buyer to fit.")
        if np.ptp(m) == 0:
            raise DataError(
                f"Every customer has the same monetary_value, so {owner} cannot learn how spend "
                "varies.",
                hint="Check that monetary_value is each customer's own average spend.",
            )

    def _initial_params(self, data: Columns) -> np.ndarray:
        w, m = data["weights"], data["monetary_value"]
        mean = np.dot(w, m) / w.sum()
        variance = np.dot(w, (m - mean) ** 2) / w.sum()
        p = max(mean**2 / max(variance, 1e-12), 0.1)  # moments of a single Gamma(p, nu)
        q = 3.0
        return np.array([p, q, mean * (q - 1.0) / p])

    def _negative_log_likelihood(self, params: np.ndarray, data: Columns) -> float:
        p, q, gamma = params
        x, m = data["frequency"], data["monetary_value"]
        px = p * x
        log_xm_gamma = np.log(x * m + gamma)
        loglik = (
            gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(gamma)
            + (px - 1.0) * np.log(m) + px * np.log(x) - (px + q) * log_xm_gamma
        )
        return -float(np.dot(data["weights"], loglik))

    def _negative_log_likelihood_gradient(self, params: np.ndarray, data: Columns) -> np.ndarray:
        p, q, gamma = params
        x, m = data["frequency"], data["monetary_value"]
        px = p * x
        log_xm_gamma = np.log(x * m + gamma)
        psi = digamma(px + q)
        d_p = x * (psi - digamma(px) + np.log(x * m) - log_xm_gamma)
        d_q = psi - digamma(q) + np.log(gamma) - log_xm_gamma
        d_gamma = q / gamma - (px + q) / (x * m + gamma)
        w = data["weights"]
        return -np.array([np.dot(w, d) for d in (d_p, d_q, d_gamma)])

    def expected_spend(self, data: Any, interval: float | None = None
                       ) -> np.ndarray | pd.DataFrame:
        """E[mean transaction value | frequency, monetary_value] (Fader, Hardie & Lee 2005).

        ``p (gamma + x zbar) / (p x + q - 1)``: a weighted average of the population mean
        ``p gamma / (q - 1)`` and the customer's own mean; the population mean when x = 0.
        Infinite when q <= 1 (the population mean does not exist). With ``interval`` (e.g.
        0.9): a DataFrame of expected_spend and its _lower and _upper bounds, by the delta
        method on the log scale (:mod:`valuecrm.models.uncertainty`).
        """
        c = self._columns(data, _COLUMNS)
        return self._with_interval("expected_spend", self._expected_spend(c),
                                   lambda m: m._expected_spend(c), interval, "log")

    def _expected_spend(self, c: Columns) -> np.ndarray:
        p, q, gamma = self._fitted_params()
        x = c["frequency"]
        m = np.where(x > 0, c["monetary_value"], 0.0)
        denominator = p * x + q - 1.0
        with np.errstate(divide="ignore"):
            return np.where(denominator > 0, p * (gamma + x * m) / denominator, np.inf)
