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

import warnings
from collections.abc import Callable
from typing import Any, ClassVar, Self

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from threadpoolctl import threadpool_limits

from valuecrm.errors import ConvergenceError, DataError, NotFittedError, ParameterError
from valuecrm.models._newton import bfgs_polish
from valuecrm.models.checks import check_finite_nonnegative
from valuecrm.models.finite_differences import (
    central_gradient,
    hessian_forward_from_gradient,
    hessian_from_function,
    hessian_from_gradient,
)
from valuecrm.models.input_columns import Columns, column_arrays, grouped_columns
from valuecrm.models.profile_likelihood import profile_bounds
from valuecrm.models.uncertainty import (
    Scale,
    check_level,
    delta_method_variance,
    log_covariance,
    parameter_interval_method,
    prediction_interval,
    z_value,
)

_LOG_BOUND = 25.0  # |log parameter| above this means the parameter ran off to 0 or infinity
_EXTREME = np.log(1e6)  # a converged |log parameter| beyond this triggers another start
_LIMIT = 1e4  # a gamma's shape and rate both beyond this (CV < 1%): its limit, no heterogeneity
_WARM_START_ROWS = 5_000
_LIMIT_CHECK_ROWS = 50_000  # subsample that checks a limit found by the warm start's
_SCRATCH = ("_last_evaluation", "_limit_at", "_short_of_limit", "_cache")  # per-evaluation


class BaseFitter:
    """Maximum likelihood fitting, standard errors and summary shared by every model."""

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

    def parameter_covariance(self, data: Any) -> np.ndarray:
        """Covariance of the estimates (rows and columns in ``params_`` order) on ``data``: the
        inverse Hessian of the negative log-likelihood at ``params_``.

        The Hessian is taken by central differences of the analytic gradient (of the
        likelihood itself when the model has no gradient), without the penalty. ``data`` is
        read as ``fit`` reads it. On the data of the fit, without a penalty, this is
        ``covariance_`` (kept by ``fit``, whose diagonal gives ``standard_errors_``). Raises numpy's
        ``LinAlgError`` when the Hessian is singular; entries that are not finite, or a matrix
        that is not positive definite, mean the data do not identify the parameters there.
        """
        theta = np.array(self._fitted_params(), dtype=float)
        columns = self._prepare_fit_data(self._compressed_columns(data))
        with np.errstate(all="ignore"):
            if self._negative_log_likelihood_gradient(theta, columns) is not None:
                hessian = hessian_from_gradient(
                    lambda p: self._negative_log_likelihood_gradient(p, columns), theta)
            else:
                hessian = hessian_from_function(
                    lambda p: self._negative_log_likelihood(p, columns), theta)
            return np.linalg.inv(hessian)

    def summary(self, level: float = 0.95) -> pd.DataFrame:
        """One row per parameter: param, estimate, se, lower, upper.

        The bounds are the ``level`` profile-likelihood interval (the values the likelihood-
        ratio test at 1 - ``level`` does not reject; Venzon & Moolgavkar 1988,
        :mod:`valuecrm.models.profile_likelihood`), computed on the data of the fit: inside
        (0, inf), inf when the likelihood does not bound a parameter, NaN for a model made by
        ``from_params`` (no data). ``attrs["method"]`` says so in words.
        """
        self._fitted_params()
        level = check_level(level, f"{type(self).__name__}.summary", "level")
        estimates = np.array(list(self.params_.values()))
        errors = np.array(list(self.standard_errors_.values()))
        lower, upper = self._profile_intervals(level)
        frame = pd.DataFrame({"param": list(self.params_), "estimate": estimates, "se": errors,
                              "lower": lower, "upper": upper})
        frame.attrs["method"] = parameter_interval_method(level)
        return frame

    @property
    def confidence_intervals_(self) -> pd.DataFrame:
        """The 95% intervals of ``summary()``, indexed by parameter: lower, upper."""
        summary = self.summary()
        return pd.DataFrame({"lower": summary["lower"].to_numpy(),
                             "upper": summary["upper"].to_numpy()},
                            index=pd.Index(summary["param"], name="param"))

    def _profile_intervals(self, level: float) -> tuple[np.ndarray, np.ndarray]:
        """Profile-likelihood bounds at ``level`` on the data of the fit (kept per level)."""
        cache = self.__dict__.setdefault("_profile_cache", {})
        if level in cache:
            return cache[level]
        fitted = self.__dict__.get("_fit_data")
        k = len(self._param_names)
        if fitted is None:
            return np.full(k, np.nan), np.full(k, np.nan)
        columns, n = fitted
        theta = np.array(self._fitted_params(), dtype=float)
        covariance = self.covariance_.to_numpy() / np.outer(theta, theta)
        try:
            with threadpool_limits(limits=1, user_api="blas"), np.errstate(all="ignore"):
                bounds = profile_bounds(
                    lambda eta: self._objective_and_gradient(eta, columns, n),
                    np.log(theta), covariance, n, z_value(level))
        finally:
            for name in _SCRATCH:
                self.__dict__.pop(name, None)
        cache[level] = bounds
        return bounds

    def _with_interval(self, name: str, values: np.ndarray,
                       evaluate: Callable[[Any], np.ndarray], interval: float | None,
                       scale: Scale) -> np.ndarray | pd.DataFrame:
        """``values`` (a prediction at the estimate) alone when ``interval`` is None; else a
        DataFrame of ``name``, ``name_lower`` and ``name_upper``: the delta method on the
        ``scale`` (log or logit) with the covariance of the fit
        (:mod:`valuecrm.models.uncertainty`), ``evaluate(model)`` giving the prediction of
        another parameter value. ``attrs["method"]`` says how."""
        if interval is None:
            return values
        owner = type(self).__name__
        level = check_level(interval, f"{owner}.{name}")
        if not np.all(np.isfinite(self.covariance_.to_numpy())):
            raise ParameterError(
                f"{owner} has no covariance of its estimates (it was made by from_params, or "
                "the fit's Hessian was singular), so its predictions have no interval.",
                hint=f"Fit {owner} on data to get intervals, or leave interval=None.")
        covariance, _ = log_covariance(self)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            variance = delta_method_variance(self, evaluate, values, covariance, scale)
        lower, upper = prediction_interval(values, variance, level, scale)
        frame = pd.DataFrame({name: values, f"{name}_lower": lower, f"{name}_upper": upper})
        frame.attrs["method"] = (f"delta method on the {scale} scale, {level:.0%} interval, "
                                 "from the covariance of the estimates (parameter "
                                 "uncertainty only)")
        return frame

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

    # ---------------------------------------------------------------- optimisation
    def _objective(self, log_params: np.ndarray, data: Columns, n: float) -> float:
        params = np.exp(log_params)
        value = self._negative_log_likelihood(params, data) / n
        value += self.penalizer_coef * float(np.sum(params**2))
        return float(value) if np.isfinite(value) else np.inf

    def _value_and_gradient(
        self, params: np.ndarray, data: Columns
    ) -> tuple[float, np.ndarray | None]:
        """``_negative_log_likelihood_and_gradient``, remembered for the last parameters."""
        key = (id(data), params.tobytes())
        last = self.__dict__.get("_last_evaluation")
        if last is None or last[0] != key:
            last = (key, self._negative_log_likelihood_and_gradient(params, data))
            self.__dict__["_last_evaluation"] = last
        return last[1]

    def _objective_and_gradient(
        self, log_params: np.ndarray, data: Columns, n: float
    ) -> tuple[float, np.ndarray]:
        params = np.exp(log_params)
        value, gradient = self._value_and_gradient(params, data)
        if gradient is None:
            gradient = central_gradient(lambda t: self._objective(t, data, n), log_params)
        else:
            gradient = gradient * params / n + 2.0 * self.penalizer_coef * params**2
        value = value / n + self.penalizer_coef * float(np.sum(params**2))
        return (float(value) if np.isfinite(value) else np.inf), gradient

    def _warm_start(self, data: Columns) -> tuple[np.ndarray, np.ndarray] | None:
        """The log-parameters fitted on a random subsample of the distinct rows (weights kept)
        and the Hessian of its objective there; None when the data are small or the subsample
        cannot be fitted."""
        above = self._warm_start_above
        w = data["weights"]
        if above is None or w.size <= above:
            return None
        sample = self._subsample(data, _WARM_START_ROWS, seed=0)
        model = type(self)(penalizer_coef=self.penalizer_coef, tol=1e-6)
        try:
            model._check_fit_data(sample)
            sample = model._prepare_fit_data(sample)
            n = float(sample["weights"].sum())
            theta = np.log(model._optimise(sample, n))
            gradient = model._objective_and_gradient(theta, sample, n)[1]
            hessian = hessian_forward_from_gradient(
                lambda t: model._objective_and_gradient(t, sample, n)[1], theta, gradient)
        except (ConvergenceError, DataError):
            if "_limit_at" in model.__dict__:  # the subsample reached a gamma's limit
                self._check_limit(data)
            return None
        finally:
            model.__dict__.pop("_last_evaluation", None)
        return theta, hessian

    def _subsample(self, data: Columns, size: int, seed: int) -> Columns:
        """``size`` distinct rows drawn at random (seeded), weights kept."""
        rows = np.random.default_rng(seed).choice(data["weights"].size, size, replace=False)
        rows.sort()
        return {name: data[name][rows] for name in (*self._fit_columns, "weights")}

    def _check_limit(self, data: Columns) -> None:
        """Raise the limit error of a larger subsample's fit when the full data agree with it.

        Called when the warm start's subsample reached a gamma's limit, on data of more than
        four times ``_LIMIT_CHECK_ROWS`` distinct rows (on fewer, the full fit finds out at a
        moderate cost). A fit on ``_LIMIT_CHECK_ROWS`` of them that reaches the limit too
        stops after the step that crossed it; the full data then judge that step (from the
        last point short of the limit to the first past it): when it lowers their objective,
        an optimiser on the full data would take it too, and the error is raised. Otherwise
        (the larger subsample does not reach the limit, or the full data reject the step)
        this returns and the full data are fitted as usual.
        """
        w = data["weights"]
        if w.size <= 4 * _LIMIT_CHECK_ROWS:
            return
        sample = self._subsample(data, _LIMIT_CHECK_ROWS, seed=1)
        model = type(self)(penalizer_coef=self.penalizer_coef, tol=1e-6)
        model._warm_start_above = None  # its own warm start would find the limit again
        try:
            model._check_fit_data(sample)
            sample = model._prepare_fit_data(sample)
            model._optimise(sample, float(sample["weights"].sum()))
            return
        except DataError:
            return
        except ConvergenceError as error:
            short = model.__dict__.get("_short_of_limit")
            past = model.__dict__.get("_limit_at")
            if short is None or past is None:
                return
            limit = error
        finally:
            model.__dict__.pop("_last_evaluation", None)
        n = float(w.sum())
        before, after = self._objective(short, data, n), self._objective(past, data, n)
        if np.isfinite(after) and after < before:
            raise limit

    def _optimise(self, data: Columns, n: float) -> np.ndarray:
        def objective(theta: np.ndarray) -> float:
            return self._objective(theta, data, n)

        def objective_and_gradient(theta: np.ndarray) -> tuple[float, np.ndarray]:
            return self._objective_and_gradient(theta, data, n)

        def gradient(theta: np.ndarray) -> np.ndarray:
            return objective_and_gradient(theta)[1]

        warm = self._warm_start(data)
        if warm is None:
            start = np.log(np.clip(self._initial_params(data), 1e-6, 1e6))
        else:  # Newton steps with the subsample's Hessian usually finish the job
            start = np.clip(warm[0], -_LOG_BOUND, _LOG_BOUND)
            theta = bfgs_polish(objective_and_gradient, start, warm[1], self.tol)
            if (theta is not None and self._converged(theta, gradient)
                    and np.all(np.abs(theta) < _EXTREME)):
                return np.exp(theta)
        bounds = [(-_LOG_BOUND, _LOG_BOUND)] * start.size
        options = {"maxiter": self.max_iter}

        def stop_at_limit(intermediate_result: Any) -> None:
            """After each iteration: the error when a gamma passed its limit (kept, with the
            last point short of the limit, in ``_limit_at`` and ``_short_of_limit``)."""
            theta = np.array(intermediate_result.x, dtype=float)
            error = self._limit_reached(theta)
            if error is not None:
                self.__dict__["_limit_at"] = theta
                raise error
            self.__dict__["_short_of_limit"] = theta

        def quasi_newton(theta: np.ndarray) -> Any:
            self.__dict__["_short_of_limit"] = theta
            return minimize(objective_and_gradient, theta, jac=True, method="L-BFGS-B",
                            bounds=bounds, callback=stop_at_limit,
                            options={**options, "ftol": self.tol * 1e-3, "gtol": self.tol})

        best = None
        for attempt in range(3):
            if attempt == 0:
                result = quasi_newton(start)
            elif attempt == 1:  # derivative-free search from the best point, then polish
                theta = best.x if best is not None and np.isfinite(best.fun) else start
                simplex = minimize(objective, theta, method="Nelder-Mead", callback=stop_at_limit,
                                   options={"maxiter": min(200 * start.size, self.max_iter),
                                            "xatol": 1e-8,
                                            "fatol": 1e-12, "adaptive": True})
                result = quasi_newton(np.clip(simplex.x, -_LOG_BOUND, _LOG_BOUND))
            else:  # another start: every parameter 1
                result = quasi_newton(np.zeros_like(start))
            if best is None or (np.isfinite(result.fun) and result.fun < best.fun):
                best = result
            # a parameter beyond 1e6 or below 1e-6 often means a plateau: try the next start
            if self._converged(best.x, gradient) and np.all(np.abs(best.x) < _EXTREME):
                return np.exp(best.x)
        if self._converged(best.x, gradient):
            return np.exp(best.x)
        raise self._convergence_error(best)

    def _limit_reached(self, theta: np.ndarray) -> ConvergenceError | None:
        """The error for a gamma whose shape and rate both passed 1e4 (``_gamma_pairs``)."""
        values = dict(zip(self._param_names, np.exp(theta), strict=True))
        for shape, rate, what in self._gamma_pairs:
            if min(values[shape], values[rate]) > _LIMIT:
                mean = values[shape] / values[rate]
                return ConvergenceError(
                    f"{type(self).__name__} did not converge: {shape} and {rate} grow together "
                    f"without bound ({shape}={values[shape]:.3g}, {rate}={values[rate]:.3g}, "
                    f"mean {what} {shape}/{rate}={mean:.4g}). The data fit customers who all "
                    f"share one {what}, the limit of the model where {shape} and {rate} are not "
                    "identified.",
                    hint=f"The data identify the mean {what} {shape}/{rate} above. For finite "
                    "estimates fit with a penalty (penalizer_coef > 0, which shrinks every "
                    "parameter toward 0), or compare with another model (e.g. BetaGeo).",
                )
        return None

    def _converged(self, theta: np.ndarray, gradient: Any) -> bool:
        if not np.all(np.isfinite(theta)) or np.any(np.abs(theta) >= _LOG_BOUND - 1e-3):
            return False
        g = gradient(theta)
        return bool(np.all(np.isfinite(g)) and np.max(np.abs(g)) < max(1e-5, 100 * self.tol))

    def _convergence_error(self, result: Any) -> ConvergenceError:
        name = type(self).__name__
        where = ""
        if result is not None and np.all(np.isfinite(result.x)):
            values = ", ".join(
                f"{p}={np.exp(t):.4g}" for p, t in zip(self._param_names, result.x, strict=True)
            )
            where = f" It stopped at {values} ({result.message})."
        return ConvergenceError(
            f"{name} did not converge.{where}",
            hint=(
                "Check that: the columns hold the summary the model expects, all in one time "
                "unit (e.g. weeks); there are enough customers with repeat purchases; the "
                "values are not all identical; no parameter runs off to 0 or infinity (a sign "
                "the data cannot identify it). Try penalizer_coef=0.001 or a larger max_iter."
            ),
        )

    def _covariance(self, params: np.ndarray, data: Columns, n: float) -> np.ndarray:
        """The inverse Hessian of the penalised -loglik at ``params`` (NaN when singular).

        The Hessian comes from central differences of the analytic gradient (one more gradient
        per parameter than forward differences, a small part of a fit). Inverting it multiplies
        its relative error by its condition number, 3e5 for Pareto/NBD on 60,000 customers:
        forward differences (error ~ sqrt(eps) = 1.5e-8) then gave standard errors that moved
        by 1e-4 between two estimates 1e-7 apart; central ones (error ~ eps ** (2/3) = 4e-11)
        agree to 1e-6.
        """

        def total(p: np.ndarray) -> float:
            if np.any(p <= 0):
                return np.inf
            return self._negative_log_likelihood(p, data) + n * self.penalizer_coef * np.sum(p**2)

        at_estimate = self._value_and_gradient(params, data)[1]
        if at_estimate is not None:
            hessian = hessian_from_gradient(
                lambda p: self._negative_log_likelihood_gradient(p, data)
                + 2.0 * n * self.penalizer_coef * p,
                params,
            )
        else:
            hessian = hessian_from_function(total, params)
        try:
            return np.linalg.inv(hessian)
        except np.linalg.LinAlgError:
            return np.full((params.size, params.size), np.nan)

    def _standard_errors(self, params: np.ndarray, data: Columns, n: float,
                         covariance: np.ndarray | None = None) -> np.ndarray:
        """Square roots of the diagonal of ``covariance`` (by default ``_covariance``); NaN,
        with a warning, where it is not positive."""
        if covariance is None:
            covariance = self._covariance(params, data, n)
        variances = np.diag(covariance)
        if not np.all(np.isfinite(variances) & (variances > 0)):
            warnings.warn(
                f"{type(self).__name__}: the Hessian is not positive definite at the estimate, "
                "so some standard errors are NaN; the estimate may sit on a flat ridge.",
                RuntimeWarning,
                stacklevel=3,
            )
            variances = np.where(variances > 0, variances, np.nan)
        return np.sqrt(variances)
