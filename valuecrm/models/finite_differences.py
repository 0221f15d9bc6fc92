"""Numerical helpers shared by the models: finite-difference derivatives.

The step sizes follow the usual rules for double precision (Nocedal & Wright 2006, sec. 8.1):
a central difference of a function uses ``h ~ eps**(1/3)``, a second difference of a function
``h ~ eps**(1/4)``, a forward difference ``h ~ eps**(1/2)``, all relative to the size of the
coordinate.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

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


def unique_codes(*columns: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """Codes of the distinct rows of ``columns`` (hashing, no sort) and those rows' values.

    ``values[k][codes]`` gives back ``columns[k]``; use it to evaluate costly special functions
    once per distinct value (or tuple of values) instead of once per row. Several columns are
    hashed into one 64-bit key and factorised once; the result is verified against the columns
    and, in the (astronomically unlikely) case of a hash collision, computed pairwise instead.
    """
    if len(columns) == 1:
        codes, uniques = pd.factorize(columns[0])
        return codes, [np.asarray(uniques, dtype=float)]
    arrays = [np.ascontiguousarray(column, dtype=float) + 0.0 for column in columns]  # -0 -> 0
    codes, _ = pd.factorize(_row_hash(arrays))
    first = np.empty(int(codes.max()) + 1 if codes.size else 0, dtype=np.int64)
    first[codes[::-1]] = np.arange(codes.size - 1, -1, -1)  # first row of each code
    values = [array[first] for array in arrays]
    if all(_same(value[codes], array) for value, array in zip(values, arrays, strict=True)):
        return codes, values
    return _unique_codes_pairwise(arrays)


def _row_hash(arrays: list[np.ndarray]) -> np.ndarray:
    """A 64-bit hash of each row's float bit patterns (splitmix64-style mixing)."""
    key = np.zeros(arrays[0].size, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for array in arrays:
            key ^= array.view(np.uint64)
            key *= np.uint64(0x9E3779B97F4A7C15)
            key ^= key >> np.uint64(31)
    return key


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return np.array_equal(a, b) or bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))


def _unique_codes_pairwise(arrays: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    codes, uniques = pd.factorize(arrays[0])
    values = [np.asarray(uniques, dtype=float)]
    for column in arrays[1:]:
        inner, inner_uniques = pd.factorize(column)
        codes, pair_uniques = pd.factorize(codes.astype(np.int64) * len(inner_uniques) + inner)
        values = [v[pair_uniques // len(inner_uniques)] for v in values]
        values.append(np.asarray(inner_uniques, dtype=float)[pair_uniques % len(inner_uniques)])
    return codes, values
