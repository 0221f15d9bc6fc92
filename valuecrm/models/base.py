"""The shared base of the customer value models: maximum likelihood on compressed data.

A model is its parameter names plus one likelihood function (as lifelines' fitters). The base
reads the data (pandas DataFrame, pyarrow Table, Ibis table or a mapping of arrays), groups
identical rows into weights (in the engine for Ibis), checks the columns, maximises the
likelihood over the log-parameters with scipy, and derives standard errors from the Hessian in
the natural parameter space (``covariance_``, ``standard_errors_``), AIC, BIC and ``summary()``
(95% profile-likelihood intervals, which stay inside the parameter space:
:mod:`valuecrm.models.profile_likelihood`; the fit keeps its compressed data for them).
Predictions with ``interval=level`` get delta-method bounds from the same covariance
(:meth:`BaseFitter._with_interval`).

How to write a model (``class ParetoNBD(BaseFitter)``):

``_param_names: ClassVar[tuple[str, ...]]``
    Names of the parameters, in the order of the ``params`` arrays below. All must be > 0
    (the base optimises their logarithms). ``params_`` is a dict in this order.
``_fit_columns: ClassVar[tuple[str, ...]]``
    The columns ``fit`` reads, without ``weights``, e.g. ``("frequency", "recency", "T")``.
    An optional ``weights`` column (number of customers per row) is always accepted.
``_compress: ClassVar[bool] = True``
    Group identical rows and sum their weights before fitting. Set False when a row is not a
    customer (the sBG retention table); ``data["weights"]`` is then all ones.
``_check_fit_data(self, data: Columns) -> None``
    Model-specific checks on the compressed data; raise ``DataError`` saying what is wrong and
    what to do. The base has already checked that every column is present, finite and >= 0,
    and that the weights are > 0 (rows of weight 0 are dropped).
``_initial_params(self, data: Columns) -> np.ndarray``
    A good natural-scale starting point (method of moments or a rule of thumb).
``_negative_log_likelihood(self, params: np.ndarray, data: Columns) -> float``
    Minus the weighted log-likelihood summed over the compressed rows:
    ``-(data["weights"] * loglik_per_row).sum()``, vectorised, numerically stable.
``_negative_log_likelihood_gradient(self, params, data) -> np.ndarray | None``  (optional)
    Its gradient with respect to the natural parameters. Returning None (the default) makes the
    base use central differences.
``_negative_log_likelihood_and_gradient(self, params, data)``  (optional)
    Both at once, ``(value, gradient or None)``, when they share work; the optimiser calls this.
    By default it calls the two methods above.
``_prepare_fit_data(self, data: Columns) -> Columns``  (optional)
    Called once after ``_check_fit_data``; may add precomputed arrays (e.g. the unique values
    of a column and their inverse index) that the likelihood reads. Identity by default.
``_count_customers(self, data: Columns) -> float``  (optional)
    The number of customers, for BIC and ``n_customers_``; the sum of the weights by default.
``_gamma_pairs: ClassVar[tuple[tuple[str, str, str], ...]] = ()``  (optional)
    (shape, rate, what) of each gamma-distributed quantity, e.g. ``("s", "beta", "dropout
    rate")``. When both grow past 1e4 during the fit (a coefficient of variation below 1%),
    the data fit one value shared by every customer (the gamma's limit), where shape and rate
    are not identified: the fit stops at once with a ConvergenceError that says so, instead of
    crawling along the ridge. On large data the subsample of the warm start (below) usually
    finds the limit first; a larger subsample (``_LIMIT_CHECK_ROWS``) then checks it, and the
    full data only judge the step of that fit across the limit (two evaluations): when it
    lowers their objective too, the fit stops there with the error, instead of walking the
    ridge again from the start (16 evaluations of 1M customers).
``_warm_start_above: ClassVar[int | None] = None``  (optional)
    With more distinct rows than this, the optimiser starts from the fit of a random subsample
    of ``_WARM_START_ROWS`` of them (instead of ``_initial_params``), so the full data need few
    evaluations.

``Columns`` is ``dict[str, np.ndarray]``: one float64 array per fit column plus ``weights``.
Predictions read their inputs with ``self._columns(data, names)`` (no grouping) and the fitted
values with ``self._fitted_params()`` (a tuple in ``_param_names`` order; raises NotFittedError).

During a fit the value and gradient at the last parameters are kept, so the convergence
check, the final log-likelihood and the standard errors (forward differences of the gradient)
do not evaluate the optimum again.

The objective is ``-loglik / n_customers + penalizer_coef * sum(params ** 2)`` (the L2 penalty
of the ``lifetimes`` package), so ``penalizer_coef=0`` is plain maximum likelihood.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from valuecrm.errors import DataError, NotFittedError, ParameterError
from valuecrm.models.checks import check_finite_nonnegative
from valuecrm.models.estimate_uncertainty import EstimateUncertainty
from valuecrm.models.input_columns import Columns, column_arrays, grouped_columns
from valuecrm.models.likelihood_optimiser import _SCRATCH, LikelihoodOptimiser

__all__ = ["BaseFitter", "Columns"]


class BaseFitter(LikelihoodOptimiser, EstimateUncertainty):
    """Maximum likelihood fitting, standard errors and summary shared by every model (the
    search: :mod:`~valuecrm.models.likelihood_optimiser`; the uncertainty:
    :mod:`~valuecrm.models.estimate_uncertainty`)."""

    _param_names: ClassVar[tuple[str, ...]] = ()
    _fit_columns: ClassVar[tuple[str, ...]] = ()
    _compress: ClassVar[bool] = True
    _warm_start_above: ClassVar[int | None] = None
    _gamma_pairs: ClassVar[tuple[tuple[str, str, str], ...]] = ()

    def __init__(self, penalizer_coef: float = 0.0, tol: float = 1e-10, max_iter: int = 5000):
        self.penalizer_coef = penalizer_coef
        self.tol = tol
        self.max_iter = max_iter

    # ---------------------------------------------------------------- to override
    def _check_fit_data(self, data: Columns) -> None:
        """Raise DataError when the data cannot identify the model."""

    def _initial_params(self, data: Columns) -> np.ndarray:
        return np.ones(len(self._param_names))

    def _negative_log_likelihood(self, params: np.ndarray, data: Columns) -> float:
        raise NotImplementedError

    def _negative_log_likelihood_gradient(
        self, params: np.ndarray, data: Columns
    ) -> np.ndarray | None:
        return None

    def _negative_log_likelihood_and_gradient(
        self, params: np.ndarray, data: Columns
    ) -> tuple[float, np.ndarray | None]:
        return (
            self._negative_log_likelihood(params, data),
            self._negative_log_likelihood_gradient(params, data),
        )

    def _prepare_fit_data(self, data: Columns) -> Columns:
        return data

    def _count_customers(self, data: Columns) -> float:
        return float(data["weights"].sum())

    # ---------------------------------------------------------------- public API
    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor arguments (scikit-learn convention, so ``sklearn.clone`` works)."""
        return {"penalizer_coef": self.penalizer_coef, "tol": self.tol, "max_iter": self.max_iter}

    def set_params(self, **params: Any) -> Self:
        """Change constructor arguments; checked by the next ``fit``."""
        for name, value in params.items():
            if name not in self.get_params():
                raise ParameterError(
                    f"{type(self).__name__} has no parameter {name!r}; "
                    f"it takes {', '.join(self.get_params())}."
                )
            setattr(self, name, value)
        return self

    def fit(self, data: Any) -> Self:
        """Fit by maximum likelihood on ``data`` (DataFrame, pyarrow Table, Ibis table)."""
        self._check_arguments()
        columns = self._compressed_columns(data)
        self._check_fit_data(columns)
        columns = self._prepare_fit_data(columns)
        n_customers = self._count_customers(columns)
        # One BLAS thread: the dot products here are short, and threads only stall on them
        # (2x the CPU time on 1M customers). Overflow far from the optimum just means "worse".
        try:
            with threadpool_limits(limits=1, user_api="blas"), np.errstate(all="ignore"):
                params = self._optimise(columns, n_customers)
                log_likelihood = -self._value_and_gradient(params, columns)[0]
                covariance = self._covariance(params, columns, n_customers)
                errors = self._standard_errors(params, columns, n_customers, covariance)
        finally:
            for name in _SCRATCH[:3]:
                self.__dict__.pop(name, None)
        self._set_fitted(params, log_likelihood, errors, n_customers, covariance)
        self._fit_data = (columns, n_customers)  # for the profile-likelihood intervals
        return self

    @classmethod
    def from_params(cls, **params: float) -> Self:
        """A fitted model with the given parameters (no data, so no likelihood or errors)."""
        names = cls._param_names
        if set(params) != set(names):
            raise ParameterError(
                f"{cls.__name__}.from_params needs exactly the parameters {', '.join(names)}. "
                f"Got {', '.join(sorted(params)) or 'none'} instead."
            )
        values = np.array([params[name] for name in names], dtype=float)
        for name, value in zip(names, values, strict=True):
            if not (np.isfinite(value) and value > 0):
                raise ParameterError.of(name, cls.__name__, "a positive finite float", value)
        model = cls()
        nan = np.full(len(names), np.nan)
        model._set_fitted(values, np.nan, nan, 0.0)
        return model

    def __repr__(self) -> str:
        if not hasattr(self, "params_"):
            return f"{type(self).__name__}(unfitted)"
        values = ", ".join(f"{k}={v:.4g}" for k, v in self.params_.items())
        return f"{type(self).__name__}({values})"

    # ---------------------------------------------------------------- fitted state
    def _set_fitted(
        self, params: np.ndarray, log_likelihood: float, errors: np.ndarray, n_customers: float,
        covariance: np.ndarray | None = None,
    ) -> None:
        names = self._param_names
        k = len(names)
        self.params_ = {n: float(v) for n, v in zip(names, params, strict=True)}
        self.standard_errors_ = {n: float(e) for n, e in zip(names, errors, strict=True)}
        self.covariance_ = pd.DataFrame(
            np.full((k, k), np.nan) if covariance is None else covariance,
            index=pd.Index(names, name="param"), columns=list(names))
        for name in ("_fit_data", "_profile_cache"):
            self.__dict__.pop(name, None)
        self.log_likelihood_ = float(log_likelihood)
        self.n_customers_ = round(n_customers)
        self.aic_ = 2.0 * k - 2.0 * self.log_likelihood_
        self.bic_ = (
            k * np.log(n_customers) - 2.0 * self.log_likelihood_ if n_customers > 0 else np.nan
        )

    def _fitted_params(self) -> tuple[float, ...]:
        if "params_" not in vars(self):
            raise NotFittedError(self)
        return tuple(self.params_.values())

    # ---------------------------------------------------------------- data
    def _compressed_columns(self, data: Any) -> Columns:
        """The fit columns with identical rows grouped into ``weights``, checked."""
        names = list(self._fit_columns)
        columns = grouped_columns(data, names, type(self).__name__, self._compress)
        keep = columns["weights"] > 0
        if not keep.all():
            columns = {name: values[keep] for name, values in columns.items()}
        if columns["weights"].size == 0:
            raise DataError("There are no customers to fit on: the table is empty.")
        return columns

    def _columns(self, data: Any, names: tuple[str, ...] | list[str]) -> Columns:
        """Columns of ``data`` as float arrays, row for row (for predictions), checked."""
        columns = column_arrays(data, list(names), type(self).__name__)
        check_finite_nonnegative(columns)
        return columns

    def _check_arguments(self) -> None:
        owner = type(self).__name__
        if not (isinstance(self.penalizer_coef, int | float) and self.penalizer_coef >= 0):
            raise ParameterError.of("penalizer_coef", owner, "a float >= 0", self.penalizer_coef)
        if not (isinstance(self.tol, int | float) and self.tol > 0):
            raise ParameterError.of("tol", owner, "a float > 0", self.tol)
        if not (isinstance(self.max_iter, int) and self.max_iter > 0):
            raise ParameterError.of("max_iter", owner, "an int > 0", self.max_iter)
