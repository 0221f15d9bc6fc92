"""Finite-difference derivatives: the gradients and Hessians behind the standard errors.

The step sizes follow the usual rules for double precision (Nocedal & Wright 2006, sec. 8.1):
a central difference of a function uses ``h ~ eps**(1/3)``, a second difference of a function
``h ~ eps**(1/4)``, a forward difference ``h ~ eps**(1/2)``, all relative to the size of the
coordinate.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

_EPS = np.finfo(float).eps
_GRADIENT_STEP = _EPS ** (1 / 3)
_HESSIAN_STEP = _EPS ** (1 / 4)
_FORWARD_STEP = _EPS ** (1 / 2)


def _steps(x: np.ndarray, relative: float) -> np.ndarray:
    step = relative * np.maximum(np.abs(x), 1e-8 / relative)
    # make x + step exactly representable so the difference quotient uses the true step
    return (x + step) - x


def central_gradient(f: Callable[[np.ndarray], float], x: np.ndarray) -> np.ndarray:
    """Gradient of ``f`` at ``x`` by central differences (error O(h**2))."""
    x = np.asarray(x, dtype=float)
    steps = _steps(x, _GRADIENT_STEP)
    gradient = np.empty_like(x)
    for i, h in enumerate(steps):
        e = np.zeros_like(x)
        e[i] = h
        gradient[i] = (f(x + e) - f(x - e)) / (2.0 * h)
    return gradient


def hessian_from_gradient(g: Callable[[np.ndarray], np.ndarray], x: np.ndarray) -> np.ndarray:
    """Hessian at ``x`` by central differences of an analytic gradient ``g``, symmetrised."""
    x = np.asarray(x, dtype=float)
    steps = _steps(x, _GRADIENT_STEP)
    columns = []
    for i, h in enumerate(steps):
        e = np.zeros_like(x)
        e[i] = h
        columns.append((g(x + e) - g(x - e)) / (2.0 * h))
    hessian = np.column_stack(columns)
    return (hessian + hessian.T) / 2.0


def hessian_forward_from_gradient(
    g: Callable[[np.ndarray], np.ndarray], x: np.ndarray, g_x: np.ndarray
) -> np.ndarray:
    """Hessian at ``x`` by forward differences of an analytic gradient ``g`` whose value at
    ``x`` is already known (``g_x``): one gradient per coordinate, half the central cost.
    The step ``h ~ eps**(1/2)`` balances the O(h) truncation and the rounding of ``g``: entries
    good to about 1e-8 relative, enough for a starting curvature (the warm start), not for an
    inverse of an ill-conditioned matrix (standard errors use :func:`hessian_from_gradient`).
    Symmetrised."""
    x = np.asarray(x, dtype=float)
    steps = _steps(x, _FORWARD_STEP)
    columns = []
    for i, h in enumerate(steps):
        e = np.zeros_like(x)
        e[i] = h
        columns.append((g(x + e) - g_x) / h)
    hessian = np.column_stack(columns)
    return (hessian + hessian.T) / 2.0


def hessian_from_function(f: Callable[[np.ndarray], float], x: np.ndarray) -> np.ndarray:
    """Hessian at ``x`` by second central differences of ``f`` alone."""
    x = np.asarray(x, dtype=float)
    steps = _steps(x, _HESSIAN_STEP)
    k = x.size
    hessian = np.empty((k, k))
    f0 = f(x)
    for i in range(k):
        ei = np.zeros(k)
        ei[i] = steps[i]
        hessian[i, i] = (f(x + 2 * ei) - 2 * f0 + f(x - 2 * ei)) / (4 * steps[i] ** 2)
        for j in range(i):
            ej = np.zeros(k)
            ej[j] = steps[j]
            value = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (
                4 * steps[i] * steps[j]
            )
            hessian[i, j] = hessian[j, i] = value
    return hessian
