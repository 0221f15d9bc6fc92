"""Profile-likelihood intervals for the parameters of a model fitted by maximum likelihood.

The ``level`` interval of a parameter theta_j is the set of values psi whose profile deviance
``D(psi) = 2 (l(theta_hat) - max_{theta: theta_j = psi} l(theta))`` is at most the
chi-squared(1) quantile ``z^2`` (the likelihood-ratio test inverted; Venzon, D. J. &
Moolgavkar, S. H. (1988), "A method for computing profile-likelihood-based confidence
intervals", Applied Statistics 37(1), 87-94). Unlike the Wald interval it follows the shape of
the likelihood: for Pareto/NBD's beta, whose estimate is strongly correlated with s and has a
long right tail, the Wald interval (even on the log scale) is too wide below the estimate and
covers 97.2-97.5% for a nominal 95% in simulation, every miss above; the profile interval
covers 95.9%, 1.8% below and 2.3% above (``bench/coverage.py``, 1,000 replicates). It does
not depend on the parameterisation and stays inside the parameter's domain.

Computation (in the log-parameters eta, where the models are fitted): each bound is the root of
``r(psi) - (-/+ z)``, r the signed root of the deviance, from the log-scale Wald bound by
inverse quadratic interpolation of psi in r through the points evaluated so far, kept inside
the bracket once the root is passed (r is close to linear in psi: two to four evaluations
usually bring the deviance within 0.02 of ``z^2``). Each evaluation of the
profile maximises the likelihood over the other parameters, warm-started where the last
evaluation ended shifted along the regression of the other estimates on eta_j
(``S[-j, j] / S[j, j]``, S the covariance of eta), by quasi-Newton steps from the Hessian
of the fit (:func:`valuecrm.models._newton.bfgs_polish`), with L-BFGS-B as a fallback. When the
deviance stays below ``z^2`` up to 1e-4 (or 1e4) times the estimate, or up to theta_j = 1e-6
(or 1e6), the data do not bound the parameter in any useful sense and the bound is 0 (or inf):
the fit itself takes an estimate beyond 1e6 as a plateau and a gamma's shape and rate beyond
1e4 as its limit, and further out along such a ridge (Pareto/NBD's s and beta growing together
towards one dropout rate for all) the likelihood cannot be evaluated reliably.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.optimize import minimize

from valuecrm.models._newton import bfgs_polish

ValueAndGradient = Callable[[np.ndarray], tuple[float, np.ndarray]]

_EDGE = np.log(1e6)  # a bound beyond 1e-6 or 1e6 is 0 or inf (as the fit: a plateau there)
_REACH = np.log(1e4)  # ... and one beyond 1e4 times (or 1e-4 times) the estimate
_DEVIANCE_TOL = 0.02  # |D(psi) - z^2| at a bound (moves it by < 1% of its standard error)
_MAX_STEPS = 40

__all__ = ["profile_bounds"]


class _Profile:
    """The profile deviance of coordinate ``j`` of a per-customer objective (value and gradient
    in the log-parameters) scaled by ``n``, warm-started from its last evaluation."""

    def __init__(self, objective: ValueAndGradient, eta_hat: np.ndarray, minimum: float,
                 hessian: np.ndarray, covariance: np.ndarray, n: float, j: int, tol: float):
        self.objective, self.eta_hat, self.minimum, self.n, self.j = (
            objective, eta_hat, minimum, n, j)
        self.others = np.flatnonzero(np.arange(eta_hat.size) != j)
        self.inner_hessian = hessian[np.ix_(self.others, self.others)]
        variance = covariance[j, j]
        self.slope = (covariance[self.others, j] / variance if variance > 0
                      else np.zeros(self.others.size))
        self.last = (eta_hat[j], eta_hat[self.others].copy())
        self.tol = tol

    def _full(self, psi: float, rest: np.ndarray) -> np.ndarray:
        eta = np.empty(self.eta_hat.size)
        eta[self.j], eta[self.others] = psi, rest
        return eta

    def deviance(self, psi: float) -> float:
        """``D(psi)`` (>= 0; inf where the likelihood cannot be evaluated)."""
        if self.others.size == 0:
            value = self.objective(self._full(psi, self.others))[0]
            return max(0.0, 2.0 * self.n * (value - self.minimum))

        def inner(rest: np.ndarray) -> tuple[float, np.ndarray]:
            value, gradient = self.objective(self._full(psi, rest))
            return value, gradient[self.others]

        # from the last evaluation, or from the estimate when that is better (a failed inner
        # fit along a flat ridge must not be carried on), shifted along the regression
        last_psi, last_rest = self.last
        starts = [last_rest + self.slope * (psi - last_psi),
                  self.eta_hat[self.others] + self.slope * (psi - self.eta_hat[self.j])]
        values = [self.objective(self._full(psi, np.clip(x, -_EDGE, _EDGE)))[0] for x in starts]
        start = np.clip(starts[int(np.nanargmin(np.where(np.isfinite(values), values, np.inf)))],
                        -_EDGE, _EDGE)
        rest = bfgs_polish(inner, start, self.inner_hessian, self.tol)
        if rest is None:
            result = minimize(inner, start, jac=True, method="L-BFGS-B",
                              bounds=[(-_EDGE, _EDGE)] * start.size,
                              options={"maxiter": 2000, "ftol": self.tol * 1e-3,
                                       "gtol": self.tol})
            rest = result.x
        value = self.objective(self._full(psi, rest))[0]
        if not np.isfinite(value):
            return np.inf
        self.last = (psi, rest)
        return max(0.0, 2.0 * self.n * (value - self.minimum))

    def signed_root(self, psi: float) -> float:
        deviance = self.deviance(psi)
        return float(np.sign(psi - self.eta_hat[self.j]) * np.sqrt(deviance))


def _guess(points: list[tuple[float, float]], target: float) -> float:
    """The psi where r reaches ``target``, by inverse quadratic interpolation of psi in r
    through the three points (psi, r) nearest the target (a secant with two)."""
    near = sorted(points, key=lambda p: abs(p[1] - target))[:3]
    psi, r = np.array([p[0] for p in near]), np.array([p[1] for p in near])
    if len(near) == 3 and len(set(r)) == 3:
        weights = [np.prod([(target - r[m]) / (r[i] - r[m]) for m in range(3) if m != i])
                   for i in range(3)]
        return float(np.dot(weights, psi))
    (p0, r0), (p1, r1) = near[:2]
    return p1 + (target - r1) * (p1 - p0) / (r1 - r0) if r1 != r0 else np.nan


def _bound(profile: _Profile, side: float, z: float, se: float) -> float:
    """The log-parameter where the signed root reaches ``side * z`` (side -1 or +1): from the
    Wald bound, by inverse quadratic interpolation of the points evaluated so far (the estimate
    at r = 0 included), kept inside the bracket once the root is passed (bisection when the
    guess falls outside it); before that, straight to the edge when the guess is more than
    three times as far from the estimate as the last point (a flat profile).
    ``side * inf`` when the edge is reached short of the bound, NaN when the search fails."""
    centre = profile.eta_hat[profile.j]
    target = side * z
    step = z * se if np.isfinite(se) and se > 0 else 1.0
    points = [(centre, 0.0)]
    short, past, r_past = centre, None, np.nan  # the nearest points short of and past it
    widths: list[float] = []
    low_edge, high_edge = max(-_EDGE, centre - _REACH), min(_EDGE, centre + _REACH)
    edge = high_edge if side > 0 else low_edge
    psi = float(np.clip(centre + side * step, low_edge, high_edge))
    for _ in range(_MAX_STEPS):
        r = profile.signed_root(psi)
        if np.isfinite(r) and abs(r * r - z * z) < _DEVIANCE_TOL:
            return psi
        if np.isfinite(r) and side * (r - target) < 0:
            short = psi
            points.append((psi, r))
            if psi == edge:
                return side * np.inf
        else:
            past, r_past = psi, r
            if np.isfinite(r):
                points.append((psi, r))
        if past is not None:
            widths.append(abs(past - short))
            if widths[-1] < 1e-6:  # collapsed: a root only where the likelihood was evaluated
                return past if np.isfinite(r_past) and abs(r_past - target) < 0.5 else np.nan
        guess = _guess(points, target)
        low, high = sorted((short, past if past is not None else centre))
        if past is None:  # beyond the last point short of the bound: the guess when it is
            # at most 3x as far from the estimate, else (a flat profile) straight to the edge
            far = centre + side * 3.0 * abs(short - centre)
            ahead = np.isfinite(guess) and side * (guess - short) > 0
            guess = guess if ahead and side * (far - guess) > 0 else edge
        elif (not (np.isfinite(guess) and low < guess < high)
              or (len(widths) > 2 and widths[-1] > 0.5 * widths[-3])):
            guess = (low + high) / 2.0  # bisection when interpolation stalls
        psi = float(np.clip(guess, low_edge, high_edge))
    return np.nan


def profile_bounds(objective: ValueAndGradient, eta_hat: np.ndarray, covariance: np.ndarray,
                   n: float, z: float, tol: float = 1e-5) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper profile-likelihood bounds of every parameter, on the natural scale.

    ``objective(eta)`` is the fit's per-customer objective and its gradient in the
    log-parameters eta, minimised at ``eta_hat``; ``covariance`` the covariance of eta
    (inverse Hessian of ``n * objective``); ``z`` the normal quantile of the level (the
    deviance threshold is ``z^2``); ``tol`` the largest per-customer gradient of an inner fit
    (1e-5: the deviance is then exact to about 1e-4, far inside the 0.02 to which a bound is
    found, and each inner fit takes a few quasi-Newton steps). A bound is 0 or inf when the
    likelihood does not exclude the domain's edge, NaN when the search fails.
    """
    eta_hat = np.asarray(eta_hat, dtype=float)
    minimum = float(objective(eta_hat)[0])
    try:
        hessian = np.linalg.inv(covariance) / n
    except np.linalg.LinAlgError:
        hessian = np.full(covariance.shape, np.nan)
    lower, upper = np.full(eta_hat.size, np.nan), np.full(eta_hat.size, np.nan)
    for j in range(eta_hat.size):
        se = float(np.sqrt(covariance[j, j])) if covariance[j, j] > 0 else np.nan
        for side, out in ((-1.0, lower), (1.0, upper)):
            profile = _Profile(objective, eta_hat, minimum, hessian, covariance, n, j, tol)
            try:
                out[j] = np.exp(_bound(profile, side, z, se))
            except (ArithmeticError, ValueError, np.linalg.LinAlgError):
                out[j] = np.nan  # the search failed: no bound rather than a wrong one
    return lower, upper
