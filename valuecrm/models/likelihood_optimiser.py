"""The maximum-likelihood search of :class:`~valuecrm.models.base.BaseFitter`.

A mixin of the base class (the module docstring of :mod:`valuecrm.models.base` describes
the models it serves): the penalised objective over the log-parameters, its gradient (kept for
the last parameters), the warm start from a subsample of large data, the check of a gamma's
limit (``_gamma_pairs``) and the optimiser's three starts (L-BFGS-B, Nelder-Mead then L-BFGS-B,
every parameter 1), with the error that says what to check when none converges.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.optimize import minimize

from valuecrm.errors import ConvergenceError, DataError
from valuecrm.models._newton import bfgs_polish
from valuecrm.models.finite_differences import central_gradient, hessian_forward_from_gradient
from valuecrm.models.input_columns import Columns

_LOG_BOUND = 25.0  # |log parameter| above this means the parameter ran off to 0 or infinity
_EXTREME = np.log(1e6)  # a converged |log parameter| beyond this triggers another start
_LIMIT = 1e4  # a gamma's shape and rate both beyond this (CV < 1%): its limit, no heterogeneity
_WARM_START_ROWS = 5_000
_LIMIT_CHECK_ROWS = 50_000  # subsample that checks a limit found by the warm start's
_SCRATCH = ("_last_evaluation", "_limit_at", "_short_of_limit", "_cache")  # per-evaluation


class LikelihoodOptimiser:
    """Minimises the penalised negative log-likelihood of a :class:`BaseFitter` subclass."""

    _param_names: tuple[str, ...]
    _fit_columns: tuple[str, ...]
    _warm_start_above: int | None
    _gamma_pairs: tuple[tuple[str, str, str], ...]
    penalizer_coef: float
    tol: float
    max_iter: int

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
