"""``log 2F1(1, b; c; z)`` for ``0 <= z < 1``, ``0 < b < c``, with its derivatives, vectorised.

This is the form every Gauss hypergeometric term of the Pareto/NBD likelihood takes after
Euler's transformation ``2F1(a, b; c; z) = (1-z)^(c-a-b) 2F1(c-a, c-b; c; z)`` (Fader & Hardie
2005, "A note on deriving the Pareto/NBD model and related expressions"). Its power series
``sum_n (b)_n / (c)_n z^n`` has positive terms, each smaller than the one before, and sums to
between 1 and 1/(1-z): no overflow and no cancellation however large b and c get (naive
``scipy.special.hyp2f1(r+s+x, r+x; r+s+x+1; z)`` overflows near x = 200).

- ``z <= 0.9``: the series, derivatives carried along each term (forward mode). Rows are worked
  on sorted by z, so each step is a slice (a view) of the rows that still need terms.
- ``z > 0.9``: Gauss's continued fraction (an S-fraction, much faster than the series near 1),
  modified Lentz algorithm, central differences for the derivatives.
"""

from __future__ import annotations

import numpy as np

SERIES_MAX_Z = 0.9
_MAX_TERMS = 20_000
_TOL = 1e-17
_CHUNK = 8_192  # rows per block of the series: its ~10 arrays stay in the CPU cache


def _series_thresholds(tol: float = _TOL, max_terms: int = 2_000) -> np.ndarray:
    """``thresholds[n]``: the largest z for which n steps of the series reach ``tol``.

    After n steps the tail is below ``z^(n+1) / (1-z)`` (each term is at most z times the one
    before), the derivatives' tails below about ``(n+2) z^(n+1) / (1-z)^2``.
    """
    n = np.arange(max_terms + 1, dtype=float)
    low, high = np.zeros_like(n), np.ones_like(n)
    for _ in range(60):  # bisection on (n+2) z^(n+1) <= tol (1-z)^2, increasing in z
        mid = (low + high) / 2
        ok = np.log(n + 2) + (n + 1) * np.log(mid) <= np.log(tol) + 2 * np.log1p(-mid)
        low, high = np.where(ok, mid, low), np.where(ok, high, mid)
    low[0] = 0.0  # every row takes the first step (it carries d/dz at z = 0)
    return low


_THRESHOLDS = _series_thresholds()


def log_hyp2f1_1bc(
    b: np.ndarray, c: np.ndarray, z: np.ndarray, gradient: bool = False
) -> tuple[np.ndarray, np.ndarray | None]:
    """``log 2F1(1, b; c; z)`` elementwise, and with ``gradient`` its partial derivatives in
    ``b``, ``c`` and ``z`` (shape ``(3, n)``). Inputs broadcast to 1-d arrays."""
    b, c, z = (np.array(v, dtype=float).ravel() for v in np.broadcast_arrays(b, c, z))
    if z.size > 1 and np.any(z[1:] > z[:-1]):  # work on rows sorted by decreasing z
        order = np.argsort(-z, kind="stable")
        value, grad = log_hyp2f1_1bc(b[order], c[order], z[order], gradient)
        inverse = np.empty_like(order)
        inverse[order] = np.arange(order.size)
        return value[inverse], None if grad is None else grad[:, inverse]
    value = np.empty(b.size)
    grad = np.empty((3, b.size)) if gradient else None
    n_high = int(np.searchsorted(-z, -SERIES_MAX_Z, side="left"))  # rows with z > 0.9 lead
    for start in range(n_high, z.size, _CHUNK):  # blocks that stay in the CPU cache
        low = slice(start, min(start + _CHUNK, z.size))
        value[low], g = _series(b[low], c[low], z[low], gradient)
        if grad is not None:
            grad[:, low] = g
    if n_high:
        high = slice(0, n_high)
        bh, ch, zh = b[high], c[high], z[high]
        value[high] = _continued_fraction(bh, ch, zh)
        if grad is not None:
            for i, h in enumerate((1e-5 * bh, 1e-5 * ch, 1e-4 * (1.0 - zh))):
                up, down = [bh, ch, zh], [bh, ch, zh]
                up[i], down[i] = up[i] + h, up[i] - h
                grad[i, high] = (_continued_fraction(*up) - _continued_fraction(*down)) / (2 * h)
    return value, grad


def _series(
    b: np.ndarray, c: np.ndarray, z: np.ndarray, gradient: bool
) -> tuple[np.ndarray, np.ndarray]:
    """The series (rows sorted by decreasing z) and d/db, d/dc, d/dz of its log."""
    n_rows = b.size
    steps = int(np.searchsorted(_THRESHOLDS, z[0], side="left")) if n_rows else 0
    active = np.searchsorted(-z, -_THRESHOLDS[: max(steps, 1)], side="left")  # rows with z > thr
    active[0] = n_rows
    term = np.ones(n_rows)
    total = np.ones(n_rows)
    d_term = np.zeros((3, n_rows))
    d_total = np.zeros((3, n_rows))
    for n, k in enumerate(active.tolist()):
        if k == 0:
            break
        bk, ck, zk, tk = b[:k], c[:k], z[:k], term[:k]
        inv = 1.0 / (ck + n)
        ratio = (bk + n) * inv
        if gradient:
            d0, d1, d2 = d_term[0, :k], d_term[1, :k], d_term[2, :k]
            t_inv = tk * inv
            d0 *= ratio
            d0 += t_inv
            d0 *= zk
            d1 -= t_inv
            d1 *= ratio
            d1 *= zk
            d2 *= zk
            d2 += tk
            d2 *= ratio
            d_total[:, :k] += d_term[:, :k]
        ratio *= zk
        tk *= ratio
        total[:k] += tk
    return np.log(total), d_total / total


def _continued_fraction(b: np.ndarray, c: np.ndarray, z: np.ndarray) -> np.ndarray:
    """``log 2F1(1, b; c; z)`` by Gauss's continued fraction (an S-fraction for 0 < z < 1).

    ``2F1(1, b; c; z) = 1 / (1 - k1 z / (1 - k2 z / (1 - ...)))`` with, for ``c0 = c - 1``,
    ``k(2n+1) = (c0+n)(b+n) / ((c0+2n)(c0+2n+1))`` and ``k(2n) = n(c0-b+n) / ((c0+2n-1)(c0+2n))``.
    """
    tiny = 1e-300
    c0 = c - 1.0
    rows = np.arange(b.size)
    out = np.empty(b.size)
    f = np.ones(b.size)
    big_c = np.ones(b.size)
    big_d = np.zeros(b.size)
    for m in range(1, _MAX_TERMS + 1):
        n = m // 2
        if m % 2:
            k = (c0 + n) * (b + n) / ((c0 + 2 * n) * (c0 + 2 * n + 1))
        else:
            k = n * (c0 - b + n) / ((c0 + 2 * n - 1) * (c0 + 2 * n))
        a_m = -k * z
        big_d = 1.0 + a_m * big_d
        big_d = 1.0 / np.where(np.abs(big_d) < tiny, tiny, big_d)
        big_c = 1.0 + a_m / big_c
        big_c = np.where(np.abs(big_c) < tiny, tiny, big_c)
        delta = big_c * big_d
        f = f * delta
        done = np.abs(delta - 1.0) <= 2e-16
        if m == _MAX_TERMS:
            done[:] = True
        if done.any():
            out[rows[done]] = -np.log(f[done])
            keep = ~done
            if not keep.any():
                break
            rows, b, c0, z = rows[keep], b[keep], c0[keep], z[keep]
            f, big_c, big_d = f[keep], big_c[keep], big_d[keep]
    return out
