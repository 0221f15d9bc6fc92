"""The Pareto/NBD dropout integral by Gauss-Legendre quadrature on a logarithmic time scale.

The part of the Pareto/NBD likelihood for a customer who dropped out between her last
purchase t_x and the end of observation T is, up to constants (Fader & Hardie 2005, "A note
on deriving the Pareto/NBD model and related expressions", eq. 8),

``I = int_{t_x}^{T} (alpha+tau)^-(r+x) (beta+tau)^-(s+1) dtau``.

Its closed form in Gauss hypergeometric functions needs hundreds of terms when one of alpha,
beta is much larger than the other plus t_x (the 2F1 argument z tends to 1): exactly where
the fit wanders when the data look like a constant dropout rate (s and beta growing together,
the homogeneous limit). There the integral is computed directly: the integrand is log-convex
and decreasing, falling at the rate ``k = (r+x)/(alpha+t_x) + (s+1)/(beta+t_x)`` at t_x, so
``tau = t_x + (exp(u) - 1) / k`` turns it into a smooth function of u on
``[0, log(1 + k (T - t_x))]`` (exponential decay near t_x and power-law tails both become
gentle), integrated by Gauss-Legendre. Its poles lie at least pi away from the real u axis
or left of 0 by log(1 / (1 - p)) for p = r + x < 1, so 48 nodes give about 1e-14 relative
accuracy across the parameter space (checked against adaptive quadrature in the tests).
Everything is in logs; the gradient differentiates under the integral sign with the same
nodes.
"""

from __future__ import annotations

import numpy as np

N_NODES = 48
_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(N_NODES)
_CHUNK = 8_192  # rows per block: (rows, nodes) arrays of a few MB


def log_dropout_integral(
    params: np.ndarray, x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray, gradient: bool
) -> tuple[np.ndarray, np.ndarray | None]:
    """``log I`` per row (``-inf`` when t_x = T) and, with ``gradient``, its partial
    derivatives in (r, alpha, s, beta), shape (4, n)."""
    n = x.size
    value = np.empty(n)
    grad = np.empty((4, n)) if gradient else None
    for start in range(0, n, _CHUNK):
        rows = slice(start, min(start + _CHUNK, n))
        value[rows], g = _block(params, x[rows], t_x[rows], big_t[rows], gradient)
        if grad is not None:
            grad[:, rows] = g
    return value, grad


def _block(
    params: np.ndarray, x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray, gradient: bool
) -> tuple[np.ndarray, np.ndarray | None]:
    r, alpha, s, beta = params
    p, q = r + x, s + 1.0
    a_t, b_t = alpha + t_x, beta + t_x
    rate = p / a_t + q / b_t
    span = np.log1p((big_t - t_x) * rate)  # the u interval [0, span]
    u = span[:, None] * ((_NODES + 1.0) / 2.0)
    gap = np.expm1(u) / rate[:, None]  # tau - t_x at the nodes
    a_tau, b_tau = a_t[:, None] + gap, b_t[:, None] + gap  # alpha + tau, beta + tau
    # np.log, not np.log1p of gap / (alpha + t_x): twice as fast, and its absolute error
    # (~1e-16 near t_x) is below what the sum of the terms resolves
    log_a, log_b = np.log(a_tau), np.log(b_tau)
    log_a_t, log_b_t = np.log(a_t), np.log(b_t)
    # log of integrand * dtau/du, relative to the integrand at t_x
    log_terms = u - p[:, None] * (log_a - log_a_t[:, None]) - q * (log_b - log_b_t[:, None])
    top = np.max(log_terms, axis=1)
    terms = np.exp(log_terms - top[:, None]) * _WEIGHTS
    total = terms.sum(axis=1)
    with np.errstate(divide="ignore"):
        value = (-p * log_a_t - q * log_b_t - np.log(rate) + np.log(span / 2.0)
                 + top + np.log(total))
    if not gradient:
        return value, None
    share = terms / np.where(total > 0, total, 1.0)[:, None]  # quadrature weights of the mean
    grad = np.array([
        -np.sum(share * log_a, axis=1),
        -p * np.sum(share / a_tau, axis=1),
        -np.sum(share * log_b, axis=1),
        -q * np.sum(share / b_tau, axis=1),
    ])
    return value, np.where(span > 0, grad, 0.0)
