"""Uplift and Qini curves and their normalised areas: how well a ranking finds the persuadables.

Plain functions of ``(y_true, uplift, treatment)``: the observed outcome (1/0), the predicted
uplift that ranks the customers, and the assignment (1 treated, 0 control). They follow
scikit-uplift 0.5 (``sklift.metrics``) exactly, so their figures compare one to one:

- the Qini curve (Radcliffe 2007): for the top ``n`` by predicted uplift, the treated
  responders minus the control responders scaled to the treated count,
  ``Y_t(n) - Y_c(n) * N_t(n) / N_c(n)``, with one point per distinct uplift (ties count
  together) and a first point at ``(0, 0)``;
- the uplift curve (Devriendt, Guns & Verbeke 2020): ``(Y_t/N_t - Y_c/N_c) * n``;
- the perfect curves rank by the outcome itself (the Qini one with negative effects: treated
  responders first, control responders last);
- the areas (trapezoids) are normalised: ``(area(model) - area(random)) / (area(perfect) -
  area(random))``, the random ranking being the straight line from ``(0, 0)`` to the curve's
  last point. ``qini_auc_score`` is the Qini coefficient that scikit-uplift reports.

Radcliffe, N. J. (2007). Using control groups to target on predicted lift: building and
assessing uplift models. Direct Marketing Analytics Journal, 1, 14-21.
"""

from __future__ import annotations

import numpy as np

from valuecrm.errors import DataError, ParameterError

__all__ = ["perfect_qini_curve", "perfect_uplift_curve", "qini_auc_score", "qini_curve",
           "uplift_auc_score", "uplift_curve"]


def _binary(values: object, name: str, owner: str) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ParameterError.of(name, owner, "a one-dimensional array", f"shape {array.shape}")
    found = set(np.unique(array).tolist())
    if not found <= {0, 1}:
        shown = sorted(found - {0, 1}, key=str)[:5]
        raise ParameterError.of(name, owner, "binary (0/1) values", shown)
    return array.astype(np.int64)


def _inputs(y_true: object, uplift: object | None, treatment: object,
            owner: str) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    y = _binary(y_true, "y_true", owner)
    t = _binary(treatment, "treatment", owner)
    u = None if uplift is None else np.asarray(uplift, dtype=np.float64)
    lengths = {len(y), len(t)} | ({len(u)} if u is not None else set())
    if len(lengths) != 1:
        raise ParameterError(f"y_true, uplift and treatment of {owner} must have the same "
                             f"length. Got lengths {sorted(lengths)}.")
    if u is not None and not np.isfinite(u).all():
        raise ParameterError(f"The uplift given to {owner} has missing or infinite values.",
                             hint="Predict an uplift for every customer before scoring.")
    if not (t == 1).any() or not (t == 0).any():
        raise DataError(f"{owner} needs treated and control customers; the treatment has only "
                        f"{'1' if (t == 1).all() else '0'}s.",
                        hint="Score on data from a test with a control group.")
    return y, u, t


def _cumulative(y: np.ndarray, uplift: np.ndarray,
                t: np.ndarray) -> tuple[np.ndarray, ...]:
    """Counts down the ranking at each distinct uplift: (n, N_t, Y_t, N_c, Y_c)."""
    order = np.argsort(uplift, kind="mergesort")[::-1]
    y, t, u = y[order], t[order], uplift[order]
    ends = np.r_[np.flatnonzero(np.diff(u)), u.size - 1]
    n_t = np.cumsum(t)[ends].astype(np.float64)
    y_t = np.cumsum(y * t)[ends].astype(np.float64)
    y_c = np.cumsum(y * (1 - t))[ends].astype(np.float64)
    n = (ends + 1).astype(np.float64)
    return n, n_t, y_t, n - n_t, y_c


def _from_origin(n: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if n.size == 0 or values[0] != 0 or n[0] != 0:
        return np.r_[0.0, n], np.r_[0.0, values]
    return n, values


def qini_curve(y_true: object, uplift: object,
               treatment: object) -> tuple[np.ndarray, np.ndarray]:
    """Points of the Qini curve: customers targeted, incremental responders (module doc)."""
    y, u, t = _inputs(y_true, uplift, treatment, "qini_curve")
    n, n_t, y_t, n_c, y_c = _cumulative(y, u, t)
    scale = np.divide(n_t, n_c, out=np.zeros_like(n_t), where=n_c != 0)
    return _from_origin(n, y_t - y_c * scale)


def uplift_curve(y_true: object, uplift: object,
                 treatment: object) -> tuple[np.ndarray, np.ndarray]:
    """Points of the uplift curve: customers targeted, (rate treated - rate control) x n."""
    y, u, t = _inputs(y_true, uplift, treatment, "uplift_curve")
    n, n_t, y_t, n_c, y_c = _cumulative(y, u, t)
    rate_t = np.divide(y_t, n_t, out=np.zeros_like(y_t), where=n_t != 0)
    rate_c = np.divide(y_c, n_c, out=np.zeros_like(y_c), where=n_c != 0)
    return _from_origin(n, (rate_t - rate_c) * n)


def perfect_qini_curve(y_true: object, treatment: object,
                       negative_effect: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The best Qini curve the data allow: treated responders first, control responders last
    (``negative_effect=True``), or the triangle without negative effects."""
    y, _, t = _inputs(y_true, None, treatment, "perfect_qini_curve")
    if negative_effect:
        return qini_curve(y, y * t - y * (1 - t), t)
    gain = y[t == 1].sum() - (t == 1).sum() * y[t == 0].sum() / (t == 0).sum()
    return np.array([0.0, gain, float(len(y))]), np.array([0.0, gain, gain])


def perfect_uplift_curve(y_true: object, treatment: object) -> tuple[np.ndarray, np.ndarray]:
    """The best uplift curve the data allow (scikit-uplift's ``perfect_uplift_curve``)."""
    y, _, t = _inputs(y_true, None, treatment, "perfect_uplift_curve")
    control_responders = int(((y == 1) & (t == 0)).sum())
    treated_non_responders = int(((y == 0) & (t == 1)).sum())
    summand = y if control_responders > treated_non_responders else t
    return uplift_curve(y, 2 * (y == t) + summand, t)


def _area(x: np.ndarray, y: np.ndarray) -> float:
    """Trapezoid area under the points ``(x, y)`` (as ``sklearn.metrics.auc``)."""
    return float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2.0))


def _normalised(actual: tuple[np.ndarray, np.ndarray],
                perfect: tuple[np.ndarray, np.ndarray]) -> float:
    x_p, y_p = perfect
    random = _area(np.array([0.0, x_p[-1]]), np.array([0.0, y_p[-1]]))
    best = _area(x_p, y_p) - random
    if best == 0:
        raise DataError("The perfect ranking gains nothing over a random one on these data "
                        "(no responder, or none to separate), so the area cannot be "
                        "normalised.", hint="Score on data with responders in both groups.")
    return (_area(*actual) - random) / best


def qini_auc_score(y_true: object, uplift: object, treatment: object,
                   negative_effect: bool = True) -> float:
    """The Qini coefficient: area between the Qini curve and the random line, over that of the
    perfect curve (scikit-uplift's ``qini_auc_score``; 1 is perfect, 0 random)."""
    if not isinstance(negative_effect, bool):
        raise ParameterError.of("negative_effect", "qini_auc_score", "True or False",
                                negative_effect)
    return _normalised(qini_curve(y_true, uplift, treatment),
                       perfect_qini_curve(y_true, treatment, negative_effect))


def uplift_auc_score(y_true: object, uplift: object, treatment: object) -> float:
    """Normalised area under the uplift curve (scikit-uplift's ``uplift_auc_score``)."""
    return _normalised(uplift_curve(y_true, uplift, treatment),
                       perfect_uplift_curve(y_true, treatment))
