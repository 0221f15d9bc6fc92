"""Intervals from the uncertainty of the estimates, inside each quantity's domain.

Two methods, one for parameters and one for predictions, used by everything valuecrm shows
with an interval (``summary()``, ``analyze``, the API, the dashboard and the report):

- **Parameters** (every model's are positive): the **profile-likelihood interval**, the values
  the likelihood-ratio test does not reject (Venzon & Moolgavkar 1988, Applied Statistics
  37(1), 87-94; computed by :mod:`valuecrm.models.profile_likelihood` on the data of the fit,
  by ``model.summary()``, and stored with every snapshot's fit). It stays inside (0, inf) and
  follows the likelihood's shape: the Wald interval of log theta,
  ``theta exp(-/+ z se / theta)`` (:func:`parameter_interval`, shown for snapshots stored
  before the profile intervals), covers 97.2-97.5% for Pareto/NBD's beta at a nominal 95% in
  simulation, the profile interval 95.9% (``bench/coverage.py``). The natural-scale
  interval ``theta -/+ z se`` left the domain. A probability would use the logit scale
  (:func:`parameter_interval`, ``scale="logit"``).
- **Predictions** g(theta) (CLV and expected purchases on the log scale, P(alive) on the logit
  scale): h = link(g) is linearised in the log-parameters (forward differences of step 1e-4
  from the estimate), var h = grad' S grad with S the covariance of the log-parameters (the
  inverse Hessian of the likelihood at the estimate, converted), and the bounds are
  ``link^-1(h -/+ z sd)``. They reflect the estimation error of the population parameters
  only, not the randomness of a customer's future purchases.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import numpy as np
from scipy.special import expit, logit
from scipy.stats import norm

from valuecrm.errors import ParameterError

Scale = Literal["log", "logit"]

_STEP = 1e-4  # forward-difference step in each log-parameter

PARAMETER_INTERVAL_METHOD = (
    "{level:.0%} profile-likelihood intervals (the parameter values the likelihood-ratio test "
    "does not reject: deviance <= {q:.2f}; Venzon & Moolgavkar 1988); SE from the inverse "
    "Hessian")
WALD_LOG_INTERVAL_METHOD = (
    "{level:.0%} Wald intervals on the log scale, exp(log estimate -/+ {z:.2f} SE / estimate) "
    "(stored before profile-likelihood intervals)")

__all__ = [
    "PARAMETER_INTERVAL_METHOD",
    "WALD_LOG_INTERVAL_METHOD",
    "check_level",
    "delta_method_variance",
    "log_covariance",
    "parameter_interval",
    "parameter_interval_method",
    "prediction_interval",
    "stored_parameter_intervals",
    "z_value",
]


def check_level(level: Any, owner: str, name: str = "interval") -> float:
    """``level`` as a float in (0, 1), or a ParameterError naming ``name`` of ``owner``."""
    if isinstance(level, bool) or not isinstance(level, int | float) or not 0 < level < 1:
        raise ParameterError.of(name, owner, "a float in (0, 1), e.g. 0.9", level)
    return float(level)


def z_value(level: float) -> float:
    """The normal quantile of a two-sided ``level`` interval (1.96 for 0.95)."""
    return float(norm.ppf(0.5 + level / 2.0))


def parameter_interval_method(level: float = 0.95) -> str:
    """How ``summary()`` bounds a parameter (the profile likelihood), in words."""
    return PARAMETER_INTERVAL_METHOD.format(level=level, q=z_value(level) ** 2)


def stored_parameter_intervals(fit: dict[str, Any]) -> tuple[dict[str, tuple[float, float]],
                                                              str]:
    """The 95% bounds of each parameter of a fit stored with a snapshot (``params``,
    ``standard_errors`` and, since the profile-likelihood intervals, ``intervals``) and how
    they were obtained: the stored profile-likelihood bounds, else (snapshots stored before)
    the log-scale Wald interval from the standard errors. NaN where unknown."""
    params = fit.get("params") or {}
    stored = fit.get("intervals")
    if isinstance(stored, dict) and set(stored) >= set(params):
        bounds = {name: tuple(float(np.nan if v is None else v) for v in stored[name])
                  for name in params}
        return bounds, parameter_interval_method()
    errors = fit.get("standard_errors") or {}
    bounds = {}
    for name, estimate in params.items():
        lower, upper = parameter_interval(estimate, errors.get(name))
        bounds[name] = (float(lower), float(upper))
    return bounds, WALD_LOG_INTERVAL_METHOD.format(level=0.95, z=z_value(0.95))


def parameter_interval(estimate: Any, se: Any, level: float = 0.95,
                       scale: Scale = "log") -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds of ``level`` intervals for parameters with these estimates and
    standard errors: the Wald interval on the ``scale`` (log for positive parameters, logit
    for probabilities), transformed back, so the bounds stay inside the domain.

    NaN where the standard error is missing or not finite, or the estimate outside the domain.
    """
    theta = np.asarray(estimate, dtype=float)
    se = np.asarray(np.nan if se is None else se, dtype=float)
    z = z_value(level)
    with np.errstate(all="ignore"):
        if scale == "log":
            inside = theta > 0
            spread = np.where(inside, z * se / theta, np.nan)
            lower, upper = theta * np.exp(-spread), theta * np.exp(spread)
        else:
            inside = (theta > 0) & (theta < 1)
            spread = np.where(inside, z * se / (theta * (1.0 - theta)), np.nan)
            lower, upper = expit(logit(theta) - spread), expit(logit(theta) + spread)
    known = inside & np.isfinite(se) & (se >= 0)
    return np.where(known, lower, np.nan), np.where(known, upper, np.nan)


def log_covariance(model: Any, data: Any = None) -> tuple[np.ndarray, str]:
    """Covariance of the log-parameters of a fitted ``model`` and how it was obtained: its
    ``covariance_`` (or ``parameter_covariance(data)``) when that is finite and positive
    definite ("full covariance"), else the squared relative standard errors on the diagonal
    ("standard errors only", zero where they are unknown)."""
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


def _link(values: np.ndarray, scale: Scale) -> np.ndarray:
    if scale == "log":
        return np.log(np.maximum(values, 1e-300))
    clipped = np.clip(values, 1e-300, 1.0 - 1e-16)
    return np.log(clipped) - np.log1p(-clipped)


def delta_method_variance(model: Any, evaluate: Callable[[Any], np.ndarray],
                          at_estimate: np.ndarray, covariance: np.ndarray,
                          scale: Scale = "log") -> np.ndarray:
    """g' S g per row, g the gradient of ``link(evaluate(model))`` (``scale`` log or logit) in
    the log-parameters and S their ``covariance``.

    Forward differences of step 1e-4 in each log-parameter from the estimate (whose values are
    ``at_estimate``); each shifted model is ``type(model).from_params(...)``.
    """
    names = list(model.params_)
    log_theta = np.log(np.array([model.params_[n] for n in names], dtype=float))
    base = _link(np.asarray(at_estimate, dtype=float), scale)
    gradients = []
    for i in range(len(names)):
        shifted = log_theta.copy()
        shifted[i] += _STEP
        other = type(model).from_params(**dict(zip(names, np.exp(shifted), strict=True)))
        moved = _link(np.asarray(evaluate(other), dtype=float), scale)
        gradients.append((moved - base) / _STEP)
    g = np.column_stack(gradients)
    return np.einsum("ij,jk,ik->i", g, covariance, g)


def prediction_interval(values: np.ndarray, variance: np.ndarray, level: float,
                        scale: Scale = "log") -> tuple[np.ndarray, np.ndarray]:
    """Bounds ``link^-1(link(values) -/+ z sd)`` of a prediction whose ``link`` (log or logit)
    has ``variance`` (from :func:`delta_method_variance`); a variance that is not finite and
    positive gives the prediction itself, as do values on the domain's edge (P(alive) = 1)."""
    values = np.asarray(values, dtype=float)
    sd = np.sqrt(np.where(np.isfinite(variance) & (variance > 0), variance, 0.0))
    spread = z_value(level) * sd
    with np.errstate(all="ignore"):
        if scale == "log":
            return values * np.exp(-spread), values * np.exp(spread)
        inside = (values > 0) & (values < 1)
        centre = np.where(inside, logit(np.where(inside, values, 0.5)), 0.0)
        return (np.where(inside, expit(centre - spread), values),
                np.where(inside, expit(centre + spread), values))
