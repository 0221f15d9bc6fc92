"""MBG/NBD: the modified BG/NBD, where a customer may also drop out right after her first purchase.

Batislam, E. P., Denizel, M. & Filiztekin, A. (2007), "Empirical validation and comparison of
models for customer base analysis", International Journal of Research in Marketing 24(3),
201-209. Closed forms as in the BTYDplus R package (Platzer & Reutterer 2016).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from scipy.special import betaln, hyp2f1, logsumexp

from valuecrm.models.beta_geo import BetaGeo, _log_nbd_pmf
from valuecrm.models.checks import check_count, check_horizon


class ModifiedBetaGeo(BetaGeo):
    """MBG/NBD model, fitted on ``frequency``, ``recency``, ``T`` (and optional ``weights``).

    Unlike BG/NBD, a customer without repeat purchases may already be inactive, so
    ``probability_alive`` is below 1 for ``frequency = 0``. ``params_``: r, alpha, a, b.
    """

    _shift: ClassVar[int] = 1

    def _expected_if_alive(self, t: float, x: np.ndarray, big_t: np.ndarray) -> np.ndarray:
        """``(a+b+x)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x+1; a+b+x; z)]``."""
        r, alpha, a, b = self._fitted_params()
        z = t / (alpha + big_t + t)
        power = np.exp((r + x) * np.log1p(-z))
        return (a + b + x) / (a - 1.0) * (1.0 - power * hyp2f1(r + x, b + x + 1.0, a + b + x, z))

    def expected_purchases_new_customer(self, t: float | np.ndarray) -> np.ndarray | float:
        """Unconditional E[X(t)] for a customer just acquired."""
        r, alpha, a, b = self._fitted_params()
        t = np.asarray(t, dtype=float)
        result = b / (a - 1.0) * (
            1.0 - (alpha / (alpha + t)) ** r * hyp2f1(r, b + 1.0, a + b, t / (alpha + t))
        )
        return float(result) if result.ndim == 0 else result

    def purchase_probability(self, n: int, t: float) -> float:
        """P(X(t) = n) for a customer just acquired."""
        r, alpha, a, b = self._fitted_params()
        n = check_count(n, type(self).__name__)
        t = float(check_horizon(t, "t", type(self).__name__))
        log_nb = _log_nbd_pmf(r, alpha, t, n)
        first = np.exp(betaln(a, b + n + 1) - betaln(a, b) + log_nb[n])
        head = np.exp(logsumexp(log_nb[:n])) if n > 0 else 0.0
        return float(first + np.exp(betaln(a + 1, b + n) - betaln(a, b)) * (1.0 - head))
