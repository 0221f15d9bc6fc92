"""Wold's PLS path modelling algorithm on item correlation matrices, for many samples at once.

With standardised items every step of the algorithm is a function of the items' correlation
matrix ``S``: the construct scores ``Y = X W`` have covariances ``W' S W``, the items'
covariances with an inner proxy ``Z = Y E`` are ``S W E``, and the path coefficients are
regressions among construct correlations. So one fit and 5,000 bootstrap resamples run the same
code, the resamples stacked along a leading axis of ``S`` (shape ``(B, p, p)``).

The steps (Wold 1982; Lohmöller 1989, ch. 2; as the R packages plspm and seminr run them):

1. outer weights start at 1 and are scaled so that every construct score has variance 1;
2. inner estimation: the proxy of construct j is ``Z_j = sum_i e_ij Y_i`` over its neighbours,
   with ``e_ij`` the sign of their correlation (centroid), the correlation (factorial), or, in
   the path weighting scheme, the regression coefficient of ``Y_j`` on its predecessors and the
   correlation with its successors;
3. outer estimation: mode A (reflective) ``w_j = cov(X_j, Z_j)``; mode B (formative) the
   regression of ``Z_j`` on the block's items, ``w_j = S_jj^-1 cov(X_j, Z_j)``; rescaled to
   unit score variance;
4. repeat 2-3 until the largest change of an outer weight is below ``tol``; then the path
   coefficients are the least-squares regressions of each endogenous construct on its
   predecessors.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass

import numpy as np

SCHEMES = ("path", "centroid", "factorial")


@dataclass(frozen=True)
class Structure:
    """A model's layout in index form: items ordered by block.

    ``block_of[i]``: the construct of item i; ``adjacency[i, j] = 1`` for a path i -> j;
    ``mode_b[k]``: whether construct k is formative.
    """

    block_of: np.ndarray
    adjacency: np.ndarray
    mode_b: np.ndarray

    @property
    def n_constructs(self) -> int:
        return int(self.adjacency.shape[0])

    @property
    def onehot(self) -> np.ndarray:
        """(p, K): 1 where item i belongs to construct k."""
        onehot = np.zeros((self.block_of.size, self.n_constructs))
        onehot[np.arange(self.block_of.size), self.block_of] = 1.0
        return onehot

    def items_of(self, k: int) -> np.ndarray:
        return np.flatnonzero(self.block_of == k)

    def predecessors(self, k: int) -> np.ndarray:
        return np.flatnonzero(self.adjacency[:, k])


@dataclass
class Estimate:
    """The estimates for B samples (leading axis)."""

    weights: np.ndarray  # (B, p) standardised outer weights
    loadings: np.ndarray  # (B, p) correlation of each item with its own construct
    cross_loadings: np.ndarray  # (B, p, K) correlation of each item with every construct
    construct_correlations: np.ndarray  # (B, K, K)
    paths: np.ndarray  # (B, K, K) coefficient of i -> j at [i, j], 0 where no path
    r_squared: np.ndarray  # (B, K), NaN for exogenous constructs
    n_iter: np.ndarray  # (B,) iterations used
    converged: np.ndarray  # (B,) bool


def _item_score_covariances(S: np.ndarray, weights: np.ndarray, onehot: np.ndarray
                            ) -> np.ndarray:
    """(B, p, K): the covariance of every item with every construct score ``X_k w_k``."""
    return (S * weights[:, None, :]) @ onehot


def _unit_variance(weights: np.ndarray, SW: np.ndarray, structure: Structure,
                   onehot: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rescale each block's weights (and ``SW``) so that its score has variance 1."""
    p = weights.shape[1]
    variance = (weights * SW[:, np.arange(p), structure.block_of]) @ onehot
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = 1.0 / np.sqrt(variance)
    return weights * scale[:, structure.block_of], SW * scale[:, None, :]


def _construct_correlations(SW: np.ndarray, weights: np.ndarray, onehot: np.ndarray
                            ) -> np.ndarray:
    return onehot.T @ (SW * weights[:, :, None])


def solve(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``A x = b`` for a stack of systems (A (B, m, m), b (B, m)); NaN for a singular one (a
    resample in which two constructs or two formative items coincide), not an error for all."""
    try:
        return np.linalg.solve(A, b[:, :, None])[:, :, 0]
    except np.linalg.LinAlgError:
        out = np.full(b.shape, np.nan)
        for i in range(A.shape[0]):
            with suppress(np.linalg.LinAlgError):
                out[i] = np.linalg.solve(A[i], b[i])
        return out


def _regress(R: np.ndarray, predictors: np.ndarray, target: int) -> np.ndarray:
    """Standardised coefficients of ``target`` on ``predictors`` from correlations (B, K, K)."""
    return solve(R[:, predictors[:, None], predictors[None, :]], R[:, predictors, target])


def inner_weights(R: np.ndarray, adjacency: np.ndarray, scheme: str) -> np.ndarray:
    """E with ``E[:, i, j]`` the weight of construct i in the inner proxy of construct j."""
    neighbours = (adjacency + adjacency.T) > 0
    if scheme == "centroid":
        return np.where(neighbours, np.sign(R), 0.0)
    if scheme == "factorial":
        return np.where(neighbours, R, 0.0)
    # path weighting: successors enter with their correlation, predecessors with the
    # coefficients of the regression of j on all its predecessors
    E = np.where(adjacency.T > 0, R, 0.0)
    for j in range(adjacency.shape[0]):
        pred = np.flatnonzero(adjacency[:, j])
        if pred.size:
            E[:, pred, j] = _regress(R, pred, j)
    return E


def estimate(S: np.ndarray, structure: Structure, scheme: str, *, tol: float = 1e-10,
             max_iter: int = 300) -> Estimate:
    """Run the algorithm on B correlation matrices ``S`` (shape (B, p, p)) at once."""
    B, p, _ = S.shape
    onehot = structure.onehot
    formative = [structure.items_of(k) for k in range(structure.n_constructs)
                 if structure.mode_b[k]]
    start = np.ones((B, p))
    weights, SW = _unit_variance(start, _item_score_covariances(S, start, onehot), structure,
                                 onehot)
    n_iter = np.zeros(B, dtype=int)
    active = np.arange(B)
    for iteration in range(1, max_iter + 1):
        Sa, wa, SWa = S[active], weights[active], SW[active]
        R = _construct_correlations(SWa, wa, onehot)
        C = SWa @ inner_weights(R, structure.adjacency, scheme)  # cov(items, inner proxies)
        new = C[:, np.arange(p), structure.block_of]
        for items in formative:
            new[:, items] = solve(Sa[:, items[:, None], items[None, :]], new[:, items])
        new, SWn = _unit_variance(new, _item_score_covariances(Sa, new, onehot), structure,
                                  onehot)
        change = np.abs(new - wa).max(axis=1)
        weights[active], SW[active] = new, SWn
        n_iter[active] = iteration
        active = active[change >= tol]  # NaN (a degenerate sample) stops too
        if active.size == 0:
            break
    converged = np.ones(B, dtype=bool)
    converged[active] = False
    return _final(S, weights, SW, onehot, structure, n_iter, converged)


def _final(S: np.ndarray, weights: np.ndarray, SW: np.ndarray, onehot: np.ndarray,
           structure: Structure, n_iter: np.ndarray, converged: np.ndarray) -> Estimate:
    B = S.shape[0]
    K = structure.n_constructs
    R = _construct_correlations(SW, weights, onehot)
    paths = np.zeros((B, K, K))
    r2 = np.full((B, K), np.nan)
    for j in range(K):
        pred = structure.predecessors(j)
        if pred.size:
            beta = _regress(R, pred, j)
            paths[:, pred, j] = beta
            r2[:, j] = np.einsum("bi,bi->b", beta, R[:, pred, j])
    loadings = SW[:, np.arange(S.shape[1]), structure.block_of]
    return Estimate(weights, loadings, SW, R, paths, r2, n_iter, converged)


def total_effects(paths: np.ndarray) -> np.ndarray:
    """(B, K, K) total effects of i on j: direct plus every indirect route, ``(I - P)^-1 - I``."""
    K = paths.shape[-1]
    eye = np.eye(K)
    return np.linalg.inv(eye - paths) - eye


def correlation_from_moments(mean: np.ndarray, second: np.ndarray, n: float
                             ) -> tuple[np.ndarray, np.ndarray]:
    """Correlation matrices and sds (ddof 1) from weighted means (B, p) and raw second moments
    ``sum_i c_i x_i x_i'`` (B, p, p) of samples of size n."""
    cov = (second - n * mean[:, :, None] * mean[:, None, :]) / (n - 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(np.clip(np.diagonal(cov, axis1=1, axis2=2), 0.0, None))
        corr = cov / sd[:, :, None] / sd[:, None, :]
    return corr, sd


def construct_indices(weights: np.ndarray, sd: np.ndarray, mean: np.ndarray, low: np.ndarray,
                      span: np.ndarray, block_of: np.ndarray, n_constructs: int) -> np.ndarray:
    """0-100 indices (ACSI convention) for B samples: each item rescaled to 0-100 on its scale,
    the unstandardised weights (standardised outer weight / sd of the rescaled item) normalised
    to sum 1 in each block, applied to the rescaled item means. Shapes (B, p) -> (B, K)."""
    unstandardised = weights * span / sd
    onehot = np.zeros((block_of.size, n_constructs))
    onehot[np.arange(block_of.size), block_of] = 1.0
    total = unstandardised @ onehot
    rescaled_mean = (mean - low) / span * 100.0
    with np.errstate(invalid="ignore", divide="ignore"):
        return ((unstandardised * rescaled_mean) @ onehot) / total
