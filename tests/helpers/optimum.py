"""How far a fitted estimate can be from the optimum, from the optimiser's stopping rule.

The fits stop on rules that do not bound the distance to the optimum directly: the warm start's
BFGS steps (``bfgs_polish``) when max |gradient| <= ``tol`` (1e-10) or a step moves no
log-parameter by more than 1e-10, the cold L-BFGS-B fit when the objective's relative decrease
falls below ``ftol = 1e-3 * tol`` or max |projected gradient| <= ``tol``. Near the optimum the
objective (the mean negative log-likelihood per customer, in log-parameters) is quadratic,
``f(theta) = f* + (theta - theta*)' H (theta - theta*) / 2``, so an estimate stopped with gradient
``g`` lies at ``delta = H^-1 g`` (its Newton step) from the optimum, and ``f - f* = g' delta / 2``.
Hence, for two fits of the same data (warm and cold, weights and repeated rows):

- log-parameters: ``|theta_1 - theta_2| <= |delta_1| + |delta_2|``, each coordinate;
- log-likelihood: ``|ll_1 - ll_2| <= n (g_1' delta_1 + g_2' delta_2) / 2``;
- standard errors, a smooth function of the estimate: ``|se_1 - se_2| <= |J| |theta_1 -
  theta_2|`` with ``J`` their Jacobian in the log-parameters, plus twice their own numerical
  error: central differences give the Hessian to a relative ``eps ** (2/3)`` (Nocedal & Wright
  2006, sec. 8.1), which its inverse multiplies by the condition number ``kappa``.

The checks allow twice each bound (for the cubic term and the finite-difference Hessian), and
floors for rounding: 1e-10 in a log-parameter, 1e-11 relative in the log-likelihood (a sum of
at most 1e5 rounded terms).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from valuecrm.models.finite_differences import hessian_from_gradient

EPS = np.finfo(float).eps
SAFETY = 2.0
THETA_FLOOR = 1e-10
LL_FLOOR = 1e-11
SE_STEP = 1e-6  # step in the log-parameters for the Jacobian of the standard errors


@dataclass
class Estimate:
    theta: np.ndarray  # log-parameters
    newton_step: np.ndarray  # H^-1 g at theta: the distance to the optimum
    decrease: float  # f - f* = g' H^-1 g / 2, per customer
    kappa: float  # condition number of the Hessian of the total -loglik in the parameters
    se: np.ndarray
    se_jacobian: np.ndarray  # d se_i / d theta_j


def estimate(model: Any, data: Any, *, errors: bool = True) -> Estimate:
    """The quantities of the bounds above at the fitted ``model``'s estimate on ``data`` (the
    standard errors and their Jacobian only with ``errors``)."""
    columns = model._prepare_fit_data(model._compressed_columns(data))
    n = float(columns["weights"].sum())
    theta = np.log(np.array(list(model.params_.values())))

    def gradient(t: np.ndarray) -> np.ndarray:
        return model._objective_and_gradient(t, columns, n)[1]

    g = gradient(theta)
    step = np.linalg.solve(hessian_from_gradient(gradient, theta), g)
    params = np.exp(theta)
    total = hessian_from_gradient(
        lambda p: model._negative_log_likelihood_gradient(p, columns), params)

    def se(t: np.ndarray) -> np.ndarray:
        return model._standard_errors(np.exp(t), columns, n)

    nothing = np.full(theta.size, np.nan)
    jacobian = np.column_stack([
        (se(theta + e) - se(theta - e)) / (2 * SE_STEP) for e in np.eye(theta.size) * SE_STEP
    ]) if errors else np.diag(nothing)
    model.__dict__.pop("_last_evaluation", None)
    return Estimate(theta, step, float(g @ step) / 2, float(np.linalg.cond(total)),
                    se(theta) if errors else nothing, jacobian)


def assert_same_optimum(first: Any, second: Any, data: Any, *, errors: bool = True) -> None:
    """Two fits of ``data`` agree within the bounds of the module doc."""
    a, b = estimate(first, data, errors=errors), estimate(second, data, errors=errors)
    apart = np.abs(a.theta - b.theta)
    allowed = SAFETY * (np.abs(a.newton_step) + np.abs(b.newton_step)) + THETA_FLOOR
    assert np.all(apart <= allowed), ("log-parameters", apart, allowed)
    n = first.n_customers_
    ll_allowed = (SAFETY * n * (abs(a.decrease) + abs(b.decrease))
                  + LL_FLOOR * abs(first.log_likelihood_))
    ll_apart = abs(first.log_likelihood_ - second.log_likelihood_)
    assert ll_apart <= ll_allowed, ("log-likelihood", ll_apart, ll_allowed)
    if errors:
        moved = SAFETY * np.abs(a.se_jacobian) @ apart
        numeric = SAFETY * max(a.kappa, b.kappa) * EPS ** (2 / 3) * np.maximum(a.se, b.se)
        se_apart = np.abs(a.se - b.se)
        assert np.all(se_apart <= moved + numeric), ("standard errors", se_apart,
                                                     moved + numeric)
