"""Key drivers for plain surveys: which items matter for overall satisfaction or NPS.

The relative importance of each item is its Shapley value in the decomposition of the R^2 of
the linear regression of the outcome on all items: the average, over every order of entering
the items, of the R^2 the item adds when it enters (Lindeman, Merenda & Gold 1980, "LMG";
Grömping 2006, "Relative importance for linear regression in R", Journal of Statistical
Software 17(1)). It equals Budescu's (1993) general dominance weight, and the importances sum
to the model's R^2. Computed exactly from the correlation matrix over all 2^p subsets of items
(p <= 15). ``share`` is the importance over R^2 (in %); ``beta`` the standardised coefficient
of the full regression, for reference. Respondents with a missing answer are left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from math import factorial
from typing import Any

import numpy as np
import pandas as pd

from valuecrm.errors import DataError, ParameterError
from valuecrm.voice.answers import Scale, check_not_constant, read_answers
from valuecrm.voice.ipma import quadrant
from valuecrm.voice.pls_algorithm import solve

MAX_ITEMS = 15
_CHUNK_CELLS = 20_000_000  # resamples x respondents x items of one bootstrap chunk


def _r_squared_of_subsets(corr: np.ndarray) -> np.ndarray:
    """R^2 of the outcome (last variable) on every subset of the p predictors (bit masks), for
    a stack of correlation matrices (B, p + 1, p + 1) -> (B, 2^p)."""
    p = corr.shape[-1] - 1
    r2 = np.zeros((corr.shape[0], 2**p))
    for mask in range(1, 2**p):
        idx = np.array([i for i in range(p) if mask >> i & 1])
        rxx, rxy = corr[:, idx[:, None], idx[None, :]], corr[:, idx, p]
        beta = solve(rxx, rxy)
        r2[:, mask] = np.einsum("bi,bi->b", rxy, beta)
    return r2


def shapley_r_squared(corr: np.ndarray) -> np.ndarray:
    """The Shapley value of each predictor in the R^2 (outcome last in ``corr``); ``corr`` may
    be one matrix (-> (p,)) or a stack (B, p + 1, p + 1) (-> (B, p))."""
    stacked = corr.ndim == 3
    corr = corr if stacked else corr[None]
    p = corr.shape[-1] - 1
    r2 = _r_squared_of_subsets(corr)
    weight = np.array([factorial(k) * factorial(p - k - 1) / factorial(p) for k in range(p)])
    masks = np.arange(2**p)
    sizes = np.array([bin(m).count("1") for m in masks])
    value = np.zeros((corr.shape[0], p))
    for i in range(p):
        without = masks[(masks >> i & 1) == 0]
        value[:, i] = (r2[:, without | (1 << i)] - r2[:, without]) @ weight[sizes[without]]
    return value if stacked else value[0]


def _bootstrap(values: np.ndarray, resamples: int, seed: int | None, level: float
               ) -> tuple[np.ndarray, np.ndarray]:
    """Percentile intervals of the Shapley importances over respondents resampled with
    replacement (resamples with a constant column are left out)."""
    rng = np.random.default_rng(seed)
    n = values.shape[0]
    chunk = max(1, min(500, _CHUNK_CELLS // values.size))  # bounds the memory of a chunk
    draws = []
    for start in range(0, resamples, chunk):
        rows = rng.integers(0, n, size=(min(chunk, resamples - start), n))
        sample = values[rows]  # (b, n, q)
        centred = sample - sample.mean(axis=1, keepdims=True)
        cov = np.einsum("bni,bnj->bij", centred, centred)
        sd = np.sqrt(np.einsum("bii->bi", cov))
        ok = (sd > 0).all(axis=1)
        corr = cov[ok] / sd[ok][:, :, None] / sd[ok][:, None, :]
        draws.append(shapley_r_squared(corr))
    every = np.concatenate(draws)
    tail = (1 - level) / 2 * 100
    lower, upper = np.nanpercentile(every, [tail, 100 - tail], axis=0)
    return lower, upper


def driver_importance(data: Any, outcome: str, items: Sequence[str], *,
                      scale: Scale | Mapping[str, Scale] | None = None,
                      outcome_scale: Scale | None = None,
                      importance_cut: float | None = None,
                      performance_cut: float | None = None, bootstrap: int = 0,
                      seed: int | None = None, level: float = 0.95) -> pd.DataFrame:
    """A driver table: per item its Shapley importance in R^2, share, standardised beta,
    performance (mean answer on 0-100) and IPMA quadrant (cuts: the items' means unless given).
    ``outcome`` is the overall satisfaction or recommendation (NPS) column; its scale is read
    on its own (``outcome_scale``, or inferred from its answers alone, e.g. 0-10 for a
    recommendation beside 1-5 items), the items' from ``scale`` (see :mod:`.answers`). With
    ``bootstrap`` > 0, percentile intervals of the importances (``lower``, ``upper``) over that
    many resamples of respondents."""
    items = list(items)
    if not items or len(items) > MAX_ITEMS:
        raise ParameterError.of("items", "driver_importance", f"1 to {MAX_ITEMS} columns",
                                len(items))
    if outcome in items:
        raise ParameterError(f"The outcome {outcome!r} is also among the driver items.")
    own = read_answers(data, [outcome], scale=outcome_scale, owner="The driver table")
    per_item = {i: (scale.get(i) if isinstance(scale, Mapping) else scale) for i in items}
    answers = read_answers(data, [*items, outcome], scale={**per_item,
                                                           outcome: own.scales[outcome]},
                           missing="drop", owner="The driver table")
    n = answers.values.shape[0]
    if n < len(items) + 2:
        raise DataError(f"The driver table has {n} complete answers for {len(items)} items; it "
                        f"needs at least {len(items) + 2}.", respondents=n)
    check_not_constant(answers, answers.values.std(axis=0), {})
    corr = np.corrcoef(answers.values, rowvar=False)
    importance = shapley_r_squared(corr)
    beta = np.linalg.lstsq(corr[:-1, :-1], corr[:-1, -1], rcond=None)[0]
    low = np.array([answers.scales[i][0] for i in items])
    high = np.array([answers.scales[i][1] for i in items])
    performance = (answers.values[:, :-1].mean(axis=0) - low) / (high - low) * 100
    total = importance.sum()
    out = pd.DataFrame({"item": items, "importance": importance,
                        "share": 100 * importance / total if total > 0 else np.nan,
                        "beta": beta, "performance": performance})
    if bootstrap:
        if not (isinstance(bootstrap, int) and bootstrap >= 2):
            raise ParameterError.of("bootstrap", "driver_importance", "an int >= 2 (or 0)",
                                    bootstrap)
        out["lower"], out["upper"] = _bootstrap(answers.values, bootstrap, seed, level)
    icut = float(importance.mean()) if importance_cut is None else importance_cut
    pcut = float(performance.mean()) if performance_cut is None else performance_cut
    out["quadrant"] = quadrant(importance, performance, icut, pcut)
    out.attrs.update(outcome=outcome, r_squared=float(total), n=n, importance_cut=icut,
                     performance_cut=pcut,
                     method="Shapley (LMG) decomposition of R^2 of the linear regression of "
                            f"{outcome} on the items (Grömping 2006); performance = mean answer "
                            "rescaled to 0-100.")
    return out.sort_values("importance", ascending=False, ignore_index=True)
