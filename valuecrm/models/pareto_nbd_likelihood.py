"""The Pareto/NBD likelihood and its exact gradient, for
:class:`~valuecrm.models.pareto_nbd.ParetoNBD`.

The method (Fader & Hardie 2005's expression of Schmittlein, Morrison & Colombo 1987, Euler's
transformation of the 2F1 and the Gauss-Legendre integral of the far regime) is described in
:mod:`valuecrm.models.pareto_nbd`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import digamma, gammaln

from valuecrm.models._dropout_integral import log_dropout_integral
from valuecrm.models._hyp2f1 import SERIES_MAX_Z, log_hyp2f1_1bc


@dataclass(frozen=True)
class Design:
    """A (frequency, recency, T) summary prepared for repeated likelihood evaluations.

    ``F(y)`` is needed at ``(x, t_x)`` and ``(x, T)``: the distinct pairs (``pair_x``,
    ``pair_y``) are kept sorted by y, which sorts the 2F1 argument z for any parameters, and
    ``at_t_x``/``at_T`` say which pair each row uses; ``x_values``/``x_index`` do the same for
    the terms in x alone.
    """

    x: np.ndarray
    t_x: np.ndarray
    big_t: np.ndarray
    pair_x: np.ndarray
    pair_y: np.ndarray
    at_t_x: np.ndarray
    at_T: np.ndarray
    x_values: np.ndarray
    x_index: np.ndarray

    @classmethod
    def of(cls, x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray) -> Design:
        x, t_x, big_t = (np.atleast_1d(np.asarray(v, dtype=float)) for v in (x, t_x, big_t))
        xs, ys = np.concatenate([x, x]), np.concatenate([t_x, big_t])
        order = np.lexsort((xs, ys))
        xs, ys = xs[order], ys[order]
        first = np.ones(xs.size, dtype=bool)
        first[1:] = (xs[1:] != xs[:-1]) | (ys[1:] != ys[:-1])
        pair = np.empty(xs.size, dtype=np.int64)
        pair[order] = np.cumsum(first) - 1
        x_values, x_index = np.unique(x, return_inverse=True)
        return cls(x, t_x, big_t, xs[first], ys[first], pair[: x.size], pair[x.size :],
                   x_values, x_index)


def _log_f(
    params: np.ndarray, x: np.ndarray, y: np.ndarray, gradient: bool
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray, np.ndarray]:
    """``log F(y)`` of the module docstring, its gradient in (r, alpha, s, beta) (shape (4, n)),
    ``log(alpha+y)`` and ``log(beta+y)``.

    After Euler's transformation ``F(y) = (alpha+y)^-(r+x) (beta+y)^-s H(y)`` with
    ``H = 2F1(1, r+x; r+s+x+1; (alpha-beta)/(alpha+y))`` when alpha >= beta, else
    ``H = (alpha+y)/(beta+y) 2F1(1, s+1; r+s+x+1; (beta-alpha)/(beta+y))``.
    """
    r, alpha, s, beta = params
    ay, by = alpha + y, beta + y
    log_ay, log_by = np.log(ay), np.log(by)
    c = r + s + x + 1.0
    z = (alpha - beta) / ay if alpha >= beta else (beta - alpha) / by
    series = np.flatnonzero(z <= SERIES_MAX_Z)  # the others are integrated instead
    log_h, g = np.full(y.size, np.nan), np.zeros((3, y.size)) if gradient else None
    if alpha >= beta:
        log_h[series], g_series = log_hyp2f1_1bc((r + x)[series], c[series], z[series], gradient)
    else:
        log_g, g_series = log_hyp2f1_1bc(s + 1.0, c[series], z[series], gradient)
        log_h[series] = log_ay[series] - log_by[series] + log_g
    value = -(r + x) * log_ay - s * log_by + log_h
    if g is None:
        return value, None, log_ay, log_by
    g[:, series] = g_series
    d_b, d_c, d_z = g
    if alpha >= beta:  # b = r + x
        d_r = d_b + d_c - log_ay
        d_s = d_c - log_by
        d_alpha = d_z * by / ay**2 - (r + x) / ay
        d_beta = -d_z / ay - s / by
    else:  # b = s + 1, plus the factor (alpha+y)/(beta+y)
        d_r = d_c - log_ay
        d_s = d_b + d_c - log_by
        d_alpha = -d_z / by + (1.0 - r - x) / ay
        d_beta = d_z * ay / by**2 - (1.0 + s) / by
    d_f = np.array([d_r, d_alpha, d_s, d_beta])
    d_f[:, z > SERIES_MAX_Z] = 0.0
    return value, d_f, log_ay, log_by


def pareto_nbd_log_likelihood(
    params: np.ndarray, design: Design, gradient: bool = False, weights: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """Per-customer log-likelihood, its gradient in (r, alpha, s, beta) and P(alive).

    ``log L = log C + logaddexp(B1, B2)``, ``log C = ln G(r+x) - ln G(r) + r ln alpha +
    s ln beta``, ``B1 = -(r+x) ln(alpha+T) - s ln(beta+T)``, ``B2 = ln(s/(r+s+x)) + ln A0``;
    P(alive) = exp(B1 - logaddexp(B1, B2)) (Fader & Hardie 2005, eq. 18).
    Returns ``(loglik (n,), gradient (4, n) or None, p_alive (n,))``; with ``weights`` the
    gradient is the weighted sum over rows, shape (4,), summed without per-row arrays.
    """
    r, alpha, s, beta = params
    x, i_t, i_big_t = design.x, design.at_t_x, design.at_T
    log_f, d_f, log_ay, log_by = _log_f(params, design.pair_x, design.pair_y, gradient)
    log_ft = log_f[i_t]
    # A0 = F(t_x) - F(T) >= 0, zero when t_x = T
    ratio = np.exp(np.minimum(log_f[i_big_t] - log_ft, 0.0))
    positive = ratio < 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        log_a0 = np.where(positive, log_ft + np.log1p(-np.where(positive, ratio, 0.0)), -np.inf)
    # where the 2F1 converges slowly, A0 = (r+s+x) I with I integrated directly
    far = np.flatnonzero(_z_at(params, design.t_x) > SERIES_MAX_Z)
    d_log_i = None
    if far.size:
        log_i, d_log_i = log_dropout_integral(params, x[far], design.t_x[far], design.big_t[far],
                                              d_f is not None)
        log_a0[far] = np.log(r + s + x[far]) + log_i
        positive[far], ratio[far] = False, 0.0  # the 2F1 terms do not apply to these rows
    log_ay_t, log_by_t = log_ay[i_big_t], log_by[i_big_t]
    xv, xi = design.x_values, design.x_index
    b1 = -(r + x) * log_ay_t - s * log_by_t
    b2 = np.log(s) - np.log(r + s + xv)[xi] + log_a0
    both = np.logaddexp(b1, b2)
    log_c = (gammaln(r + xv) - gammaln(r))[xi] + (r * np.log(alpha) + s * np.log(beta))
    loglik = log_c + both
    p_alive = np.exp(b1 - both)
    if d_f is None:
        return loglik, None, p_alive
    safe = np.where(positive, 1.0 - ratio, 1.0)
    if far.size:  # d ln A0 = d ln(r+s+x) + d ln I on the integrated rows
        inv_far = 1.0 / (r + s + x[far])
        d_log_i = d_log_i + np.array([inv_far, 0.0 * inv_far, inv_far, 0.0 * inv_far])
    if weights is not None:
        grad = _weighted_gradient(params, design, weights, p_alive, ratio / safe,
                                  np.where(positive, 1.0 / safe, 0.0), d_f, log_ay_t, log_by_t)
        if far.size:
            grad += d_log_i @ (weights[far] * (1.0 - p_alive[far]))
        return loglik, grad, p_alive
    one = np.ones_like(x)
    d_c = np.array([(digamma(r + xv) - digamma(r))[xi] + np.log(alpha), r / alpha * one,
                    np.log(beta) * one, s / beta * one])
    big_t = design.big_t
    d_b1 = np.array([-log_ay_t, -(r + x) / (alpha + big_t), -log_by_t, -s / (beta + big_t)])
    d_a0 = np.where(positive, (d_f[:, i_t] - ratio * d_f[:, i_big_t]) / safe, 0.0)
    if far.size:
        d_a0[:, far] = d_log_i
    inv_a = (1.0 / (r + s + xv))[xi]
    d_b2 = d_a0 + np.array([-inv_a, 0 * one, 1.0 / s - inv_a, 0 * one])
    grad = d_c + p_alive * d_b1 + (1.0 - p_alive) * d_b2
    return loglik, grad, p_alive


def _z_at(params: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The argument of the 2F1 in ``F(y)``: |alpha - beta| / (max(alpha, beta) + y)."""
    _, alpha, _, beta = params
    return abs(alpha - beta) / (max(alpha, beta) + y)


def _weighted_gradient(
    params: np.ndarray, design: Design, w: np.ndarray, p_alive: np.ndarray,
    ratio_over: np.ndarray, inv_gap: np.ndarray, d_f: np.ndarray,
    log_ay_t: np.ndarray, log_by_t: np.ndarray,
) -> np.ndarray:
    """``sum_i w_i d log L_i``: d log C + P(alive) d B1 + (1 - P(alive)) d B2, where
    ``d ln A0 = (dF(t_x) - q dF(T)) / (1 - q)``, q = F(T)/F(t_x), is summed per (x, y) pair."""
    r, alpha, s, beta = params
    xv, xi = design.x_values, design.x_index
    p, q = w * p_alive, w * (1.0 - p_alive)
    total, q_total = w.sum(), q.sum()
    w_x = np.bincount(xi, weights=w, minlength=xv.size)
    q_x_over_a = np.bincount(xi, weights=q, minlength=xv.size) @ (1.0 / (r + s + xv))
    n_pairs = design.pair_x.size
    on_pairs = np.bincount(design.at_t_x, weights=q * inv_gap, minlength=n_pairs)
    on_pairs -= np.bincount(design.at_T, weights=q * ratio_over, minlength=n_pairs)
    d_a0 = d_f @ on_pairs
    return np.array([
        w_x @ (digamma(r + xv) - digamma(r)) + total * np.log(alpha) - p @ log_ay_t
        + d_a0[0] - q_x_over_a,
        total * r / alpha - p @ ((r + design.x) / (alpha + design.big_t)) + d_a0[1],
        total * np.log(beta) - p @ log_by_t + d_a0[2] + q_total / s - q_x_over_a,
        total * s / beta - s * (p @ (1.0 / (beta + design.big_t))) + d_a0[3],
    ])
