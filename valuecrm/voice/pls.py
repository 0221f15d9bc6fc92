"""PLS path modelling (PLS-PM): satisfaction indices such as ECSI and ACSI from survey answers.

Wold (1982), "Soft modeling: the basic design and some extensions"; Lohmöller (1989), *Latent
Variable Path Modeling with Partial Least Squares*; Tenenhaus, Esposito Vinzi, Chatelin & Lauro
(2005), "PLS path modeling", Computational Statistics & Data Analysis 48, 159-205. The 0-100
indices follow the ACSI convention of Fornell et al. (1996), "The American Customer
Satisfaction Index", Journal of Marketing 60(4). The algorithm itself is in
:mod:`.pls_algorithm`; the reliability measures in :mod:`.reliability`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any, Self

import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController

from valuecrm.errors import ConvergenceError, DataError, NotFittedError, ParameterError
from valuecrm.voice.answers import Answers, Scale, check_not_constant, read_answers
from valuecrm.voice.pls_algorithm import Estimate, construct_indices, estimate, total_effects
from valuecrm.voice.pls_structure import Layout, layout, minimum_respondents
from valuecrm.voice.reliability import htmt, reliability_table

if TYPE_CHECKING:
    from valuecrm.voice.pls_bootstrap import PLSBootstrap


_LARGE = 1_000_000  # answers above which a fit runs on one BLAS thread
_controller: list[ThreadpoolController] = []


def _one_blas_thread(n_answers: int) -> AbstractContextManager[Any]:
    """One BLAS thread on large data: its products are thin (n x 24 by 24 x 7) and threads only
    stall on them (5x the wall time on a busy 2-core machine). Small data skip the limit, whose
    set-up (reading the loaded libraries) costs more than their whole fit."""
    if n_answers < _LARGE:
        return nullcontext()
    if not _controller:
        _controller.append(ThreadpoolController())
    return _controller[0].limit(limits=1, user_api="blas")


def _moments(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Item means, sds (ddof 1) and correlations, in row chunks (no centred copy of the data)."""
    n, p = values.shape
    shift = values[0].copy()  # a row of the data: centres well enough for the sums below
    total, cross = np.zeros(p), np.zeros((p, p))
    for start in range(0, n, 200_000):
        chunk = values[start:start + 200_000] - shift
        total += chunk.sum(axis=0)
        cross += chunk.T @ chunk
    mean_shifted = total / n
    cov = (cross - n * np.outer(mean_shifted, mean_shifted)) / (n - 1)
    sd = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov / np.outer(sd, sd)
    return shift + mean_shifted, sd, corr


class PLSPathModel:
    """A PLS path model: constructs measured by survey items, linked by paths.

    Parameters
    ----------
    blocks
        construct -> its items (columns of the data), e.g. ``{"Image": ["IMAG1", "IMAG2"]}``.
    paths
        (source, target) pairs of the structural model, e.g. ``[("Image", "Satisfaction")]``.
    scheme
        The inner weighting scheme: ``"path"`` (path weighting, the default, as SmartPLS and
        seminr), ``"centroid"`` or ``"factorial"``.
    modes
        construct -> ``"A"`` (reflective, the default) or ``"B"`` (formative).
    scale
        The answers' scale, ``(low, high)`` for every item or a mapping item -> pair; by default
        the smallest of 1-5, 1-7, 1-10, 0-10 holding the answers (see :mod:`.answers`). It
        fixes the 0-100 indices and the check of every answer.
    missing
        ``"drop"`` (leave out respondents with a missing answer) or ``"mean"`` (item mean).
    tol, max_iter
        Stop when the largest change of an outer weight is below ``tol``.

    Learned attributes: ``path_coefficients_`` (DataFrame source, target, coefficient),
    ``r_squared_`` (Series by endogenous construct), ``loadings_`` and ``weights_`` (Series by
    item), ``cross_loadings_`` (items x constructs), ``scores_`` (standardised construct
    scores, one row per respondent), ``indices_`` (0-100 by construct), ``index_scores_``
    (each respondent's 0-100 score), ``total_effects_`` (DataFrame source, target,
    total_effect), ``construct_correlations_``, ``reliability_`` (alpha, rho_a, rho_c, ave),
    ``htmt_``, ``n_respondents_``, ``n_dropped_``, ``n_iter_``.
    """

    def __init__(self, blocks: Mapping[str, Sequence[str]], paths: Iterable[Sequence[str]],
                 scheme: str = "path", modes: Mapping[str, str] | None = None,
                 scale: Scale | Mapping[str, Scale] | None = None, missing: str = "drop",
                 tol: float = 1e-10, max_iter: int = 300) -> None:
        self.blocks = blocks
        self.paths = paths
        self.scheme = scheme
        self.modes = modes
        self.scale = scale
        self.missing = missing
        self.tol = tol
        self.max_iter = max_iter

    # ------------------------------------------------------------------------------ fitting
    def _layout(self) -> Layout:
        owner = type(self).__name__
        if not (isinstance(self.tol, float | int) and self.tol > 0):
            raise ParameterError.of("tol", owner, "a float > 0", self.tol)
        if not (isinstance(self.max_iter, int) and self.max_iter > 0):
            raise ParameterError.of("max_iter", owner, "an int > 0", self.max_iter)
        return layout(self.blocks, list(self.paths), self.scheme, self.modes, owner)

    def fit(self, data: Any) -> Self:
        """Estimate the model on survey answers, one row per respondent (pandas DataFrame)."""
        spec = self._layout()
        answers = read_answers(data, spec.items, scale=self.scale, missing=self.missing,
                               owner="The model")
        need = minimum_respondents(spec)
        n = answers.values.shape[0]
        if n < need:
            dropped = (f" ({answers.n_dropped} more were left out for missing answers)"
                       if answers.n_dropped else "")
            raise DataError(
                f"The model has {n} respondents{dropped}; it needs at least {need} (ten times "
                "the largest number of arrows pointing at one construct).",
                hint="Collect more answers, or simplify the model.", respondents=n, needed=need)
        with _one_blas_thread(answers.values.size):
            mean, sd, corr = _moments(answers.values)
            check_not_constant(answers, sd, spec.construct_of)
            result = estimate(corr[None], spec.structure, self.scheme, tol=self.tol,
                              max_iter=self.max_iter)
        if not (result.converged[0] and np.isfinite(result.weights).all()
                and np.isfinite(result.paths).all()):
            raise ConvergenceError(
                f"The PLS algorithm did not converge in {self.max_iter} iterations (scheme "
                f"{self.scheme!r}).",
                hint="Check for items that are (nearly) copies of each other, try another "
                     "scheme, or raise max_iter.")
        self._spec, self._answers, self._mean, self._sd, self._corr = spec, answers, mean, sd, corr
        self._estimate = result
        self.__dict__.pop("bootstrap_", None)  # of an earlier fit
        with _one_blas_thread(answers.values.size):
            self._set_learned(spec, answers, result, mean, sd, corr)
        return self

    def _set_learned(self, spec: Layout, answers: Answers, result: Estimate, mean: np.ndarray,
                     sd: np.ndarray, corr: np.ndarray) -> None:
        names, items = list(spec.constructs), list(spec.items)
        index = {c: k for k, c in enumerate(names)}
        self.path_coefficients_ = pd.DataFrame(
            [(a, b, float(result.paths[0, index[a], index[b]])) for a, b in spec.paths],
            columns=["source", "target", "coefficient"])
        endogenous = [c for c in names if spec.structure.predecessors(index[c]).size]
        self.r_squared_ = pd.Series({c: float(result.r_squared[0, index[c]]) for c in endogenous},
                                    name="r_squared")
        self.weights_ = pd.Series(result.weights[0], index=items, name="weight")
        self.loadings_ = pd.Series(result.loadings[0], index=items, name="loading")
        self.cross_loadings_ = pd.DataFrame(result.cross_loadings[0], index=items, columns=names)
        self.construct_correlations_ = pd.DataFrame(result.construct_correlations[0],
                                                    index=names, columns=names)
        effects = total_effects(result.paths)[0]
        self.total_effects_ = pd.DataFrame(
            [(a, b, float(effects[i, j])) for i, a in enumerate(names) for j, b in enumerate(names)
             if abs(effects[i, j]) > 0],
            columns=["source", "target", "total_effect"])
        W = result.weights[0][:, None] * spec.structure.onehot / sd[:, None]
        self.scores_ = pd.DataFrame(answers.values @ W - mean @ W, index=answers.index,
                                    columns=names)
        low, span = self._scale_arrays()
        self.indices_ = pd.Series(
            construct_indices(result.weights, sd[None], mean[None], low, span,
                              spec.structure.block_of, len(names))[0], index=names, name="index")
        unstandardised = result.weights[0] * span / sd
        U = unstandardised[:, None] * spec.structure.onehot
        U = U / U.sum(axis=0, keepdims=True)
        U = U * (100.0 / span)[:, None]  # each item rescaled to 0-100 on its scale
        self.index_scores_ = pd.DataFrame(answers.values @ U - low @ U, index=answers.index,
                                          columns=names)
        self.reliability_ = reliability_table(corr, result.weights[0], result.loadings[0], spec)
        self.htmt_ = htmt(corr, spec)
        self.n_respondents_ = int(answers.values.shape[0])
        self.n_dropped_ = answers.n_dropped
        self.n_iter_ = int(result.n_iter[0])
        self.scales_ = dict(answers.scales)

    def _scale_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        scales = [self._answers.scales[item] for item in self._spec.items]
        low = np.array([s[0] for s in scales], dtype=float)
        return low, np.array([s[1] for s in scales], dtype=float) - low

    def _check_fitted(self) -> None:
        if not hasattr(self, "_estimate"):
            raise NotFittedError(self)

    # ------------------------------------------------------------------------------ results
    def bootstrap(self, n: int = 5000, seed: int | None = None, level: float = 0.95,
                  resamples: np.ndarray | None = None) -> PLSBootstrap:
        """Resample respondents ``n`` times and re-estimate: standard errors, t values and
        percentile intervals for paths, total effects, loadings and indices (see
        :mod:`.pls_bootstrap`; ``resamples`` gives the rows of each resample instead of
        drawing them). Also kept as ``bootstrap_``."""
        from valuecrm.voice.pls_bootstrap import bootstrap_model

        self._check_fitted()
        self.bootstrap_ = bootstrap_model(self, n=n, seed=seed, level=level,
                                          resamples=resamples)
        return self.bootstrap_

    def ipma(self, target: str, *, importance_cut: float | None = None,
             performance_cut: float | None = None) -> pd.DataFrame:
        """The importance-performance map of ``target`` (:func:`.ipma.importance_performance`)."""
        from valuecrm.voice.ipma import importance_performance

        self._check_fitted()
        return importance_performance(self, target, importance_cut=importance_cut,
                                      performance_cut=performance_cut)

    def summary(self) -> dict[str, pd.DataFrame | pd.Series]:
        """The estimates as data frames, by name."""
        self._check_fitted()
        return {"paths": self.path_coefficients_, "r_squared": self.r_squared_,
                "loadings": self.loadings_, "weights": self.weights_, "indices": self.indices_,
                "total_effects": self.total_effects_, "reliability": self.reliability_,
                "htmt": self.htmt_}
