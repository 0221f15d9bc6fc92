"""The CLV interval from parameter uncertainty: the delta method on the log scale.

log CLV is linearised in the log-parameters of the purchase and the spend model (forward
differences of step 1e-4 from the estimate); its variance is g' S g, with S the covariance of
the log-parameters: the models' ``parameter_covariance`` on the rows of their fit, or their
``covariance_`` (the inverse Hessian of the likelihood at the estimate), converted to the log
scale, or the diagonal of the standard errors when the Hessian cannot be used. The interval
is CLV x exp(-/+ z sd). It reflects the estimation error of the population parameters only,
not the randomness of each customer's future purchases.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import norm

from valuecrm.models.histories import Histories, distinct_histories
from valuecrm.value.clv import discounted_purchases

_STEP = 1e-4  # forward-difference step in each log-parameter


@dataclass
class ClvInterval:
    """Bounds of each customer's CLV, the standard deviation of its log, and how S was got."""

    lower: np.ndarray
    upper: np.ndarray
    log_sd: np.ndarray
    method: str


def clv_interval(
    clv: np.ndarray,
    purchase_model: Any,
    spend_model: Any | None,
    data: Any,
    *,
    purchase_data: Any = None,
    spend_data: Any = None,
    horizon: float,
    discount_rate: float,
    level: float,
    freq: str = "W",
    distinct: tuple[np.ndarray, Histories] | None = None,
    discounted: np.ndarray | None = None,
) -> ClvInterval:
    """The ``level`` interval of ``clv`` (one value per customer of ``data``, computed with
    ``purchase_model`` and ``spend_model`` at their estimates and these ``horizon``,
    ``discount_rate`` and ``freq``).

    The covariance of each model's estimates is its ``covariance_`` from the fit, or, given
    ``purchase_data`` or ``spend_data``, its ``parameter_covariance`` on them (on the rows of
    the fit, the same up to the last bits, computed again). Without ``spend_model`` the spend counts
    as known. ``distinct`` (the codes
    and histories of :func:`~valuecrm.models.histories.distinct_histories` on ``data``) and
    ``discounted`` (the discounted purchases at the estimate on them) save recomputing them.
    """
    codes, rows = distinct if distinct is not None else distinct_histories(data, "clv_interval")

    def discount(model: Any) -> np.ndarray:
        return discounted_purchases(model, rows, horizon=horizon, discount_rate=discount_rate,
                                    freq=freq)

    methods = []
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        at_estimate = discount(purchase_model) if discounted is None else discounted
        covariance, how = log_covariance(purchase_model, purchase_data)
        methods.append(f"{type(purchase_model).__name__}: {how}")
        variance = delta_method_variance(purchase_model, discount, at_estimate, covariance)[codes]
        if spend_model is not None:
            covariance, how = log_covariance(spend_model, spend_data)
            methods.append(f"{type(spend_model).__name__}: {how}")
            spend = np.asarray(spend_model.expected_spend(data), dtype=float)
            variance = variance + delta_method_variance(
                spend_model, lambda m: np.asarray(m.expected_spend(data), dtype=float), spend,
                covariance)
    sd = np.sqrt(np.where(np.isfinite(variance) & (variance > 0), variance, 0.0))
    z = float(norm.ppf(0.5 + level / 2.0))
    method = (f"delta method on the log scale, z = {z:.3f} ({level:.0%} interval); "
              + "; ".join(methods))
    return ClvInterval(clv * np.exp(-z * sd), clv * np.exp(z * sd), sd, method)


def log_covariance(model: Any, data: Any = None) -> tuple[np.ndarray, str]:
    """Covariance of the log-parameters of a fitted ``model`` and how it was obtained: its
    ``covariance_`` (or ``parameter_covariance(data)``) when that is finite and positive
    definite ("full covariance"), else the squared relative standard errors on the diagonal
    ("standard errors only")."""
    theta = np.array(list(model.params_.values()), dtype=float)
    try:
        covariance = (np.asarray(model.covariance_, dtype=float) if data is None
                      else model.parameter_covariance(data))
        if np.all(np.isfinite(covariance)) and np.all(np.linalg.eigvalsh(covariance) > 0):
            return covariance / np.outer(theta, theta), "full covariance"
    except (AttributeError, TypeError, ValueError, np.linalg.LinAlgError):
        pass
    se = np.array(list(model.standard_errors_.values()), dtype=float)
    variance = np.where(np.isfinite(se), (se / theta) ** 2, 0.0)
    return np.diag(variance), "standard errors only"


def delta_method_variance(model: Any, evaluate: Callable[[Any], np.ndarray],
                          at_estimate: np.ndarray, covariance: np.ndarray) -> np.ndarray:
    """g' S g per row, g the gradient of ``log(evaluate(model))`` in the log-parameters and S
    their ``covariance``.

    Forward differences of step 1e-4 in each log-parameter from the estimate (whose values are
    ``at_estimate``); each shifted model is ``type(model).from_params(...)``.
    """
    names = list(model.params_)
    log_theta = np.log(np.array([model.params_[n] for n in names], dtype=float))
    base = np.log(np.maximum(at_estimate, 1e-300))
    gradients = []
    for i in range(len(names)):
        shifted = log_theta.copy()
        shifted[i] += _STEP
        other = type(model).from_params(**dict(zip(names, np.exp(shifted), strict=True)))
        gradients.append((np.log(np.maximum(evaluate(other), 1e-300)) - base) / _STEP)
    g = np.column_stack(gradients)
    return np.einsum("ij,jk,ik->i", g, covariance, g)
