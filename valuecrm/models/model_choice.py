"""Which purchase model to use: a holdout comparison that measures its own noise.

A per-customer RMSE ranking alone picks a model on gaps smaller than their noise (on the CDNOW
sample the inner-holdout RMSEs of BG/NBD and MBG/NBD differ by 0.002) and ignores how well the
total is predicted. The rule, applied level by level to the models still tied:

1. **RMSE** per customer on the holdout. The gap of each model to the lowest RMSE gets a 95%
   interval from a paired bootstrap: customers are resampled with replacement (seeded, so the
   choice is reproducible) and every model's statistic is computed on the same resample
   (Efron & Tibshirani 1993, "An Introduction to the Bootstrap", ch. 13 and 16). A model whose
   interval reaches 0 ties with the best.
2. **Total error**, the absolute relative error of the total holdout purchases, compared the
   same way among the tied models.
3. **Cumulative tracking error** (:data:`valuecrm.models.holdout.TRACKING_ERROR`), when the
   purchase times are known, the same way.
4. **BIC** of the calibration fits, lowest wins.

The level that leaves one model decides; the record (:class:`ModelChoice`) keeps every figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from valuecrm.models.holdout import HoldoutData, HoldoutEvaluation, tracking_error

N_BOOTSTRAP = 1000
LEVEL = 0.95
# statistic, what it is (in reasons)
CRITERIA = (("rmse", "per-customer holdout RMSE"),
            ("abs_total_error", "error of the total holdout purchases"),
            ("tracking_error", "cumulative tracking error"))
RULE = ("models whose per-customer holdout RMSE is within noise of the lowest (the 95% interval "
        "of the gap, from a paired bootstrap of customers, reaches 0) tie; ties are broken by "
        "the absolute error of the total holdout purchases, then the cumulative tracking "
        "error (each compared the same way), then the lowest BIC")


def bootstrap_statistics(data: HoldoutData, evaluations: Mapping[str, HoldoutEvaluation],
                         n_bootstrap: int = N_BOOTSTRAP, seed: int = 0
                         ) -> dict[str, dict[str, np.ndarray]]:
    """Per model, each statistic of :data:`CRITERIA` on ``n_bootstrap`` paired resamples of
    the customers (the same resamples for every model; deterministic for a ``seed``)."""
    n = len(data)
    names = list(evaluations)
    # the customers' histories are the same rows for every model: one grouping
    codes = evaluations[names[0]].codes if names else np.zeros(0, dtype=int)
    n_histories = int(codes.max(initial=-1)) + 1
    squared = np.array([(evaluations[m].predicted - data.actual) ** 2 for m in names])
    predicted = np.array([evaluations[m].predicted for m in names])
    curves = [evaluations[m].curve for m in names]
    events = None
    if data.by_point is not None:
        found = data.by_point.tocoo()
        events = (found.row, found.col, found.data, data.by_point.shape[1])
    stats = {s: np.full((len(names), n_bootstrap), np.nan) for s, _ in CRITERIA}
    rng = np.random.default_rng(seed)
    # einsum, not BLAS: these products are small, and threaded BLAS on a busy machine makes
    # each of them wait for its threads
    for b in range(n_bootstrap):
        weights = np.bincount(rng.integers(0, n, size=n), minlength=n).astype(float)
        stats["rmse"][:, b] = np.sqrt(np.einsum("mi,i->m", squared, weights) / n)
        actual_total = max(float(np.einsum("i,i->", data.actual, weights)), 1e-12)
        stats["abs_total_error"][:, b] = np.abs(
            np.einsum("mi,i->m", predicted, weights) / actual_total - 1)
        if events is not None:
            rows, points, counts, n_points = events
            actual = np.cumsum(np.bincount(points, weights=counts * weights[rows],
                                           minlength=n_points))
            per_history = np.bincount(codes, weights=weights, minlength=n_histories)
            for i, curve in enumerate(curves):
                stats["tracking_error"][i, b] = tracking_error(
                    np.einsum("ph,h->p", curve, per_history), actual)
    return {m: {s: stats[s][i] for s, _ in CRITERIA} for i, m in enumerate(names)}


@dataclass
class ModelChoice:
    """The chosen model, the criterion that decided, and the figures of every step."""

    chosen: str
    decided_by: str  # "rmse", "abs_total_error", "tracking_error", "bic" or "only model"
    steps: list[dict[str, Any]] = field(default_factory=list)
    order: list[str] = field(default_factory=list)  # every model, by the rule
    n_bootstrap: int = N_BOOTSTRAP
    seed: int = 0
    level: float = LEVEL

    def as_dict(self) -> dict[str, Any]:
        return {"chosen": self.chosen, "decided_by": self.decided_by, "rule": RULE,
                "method": f"paired bootstrap of customers, {self.n_bootstrap:,} resamples, "
                          f"seed {self.seed}, {self.level:.0%} intervals",
                "n_bootstrap": self.n_bootstrap, "seed": self.seed, "level": self.level,
                "steps": self.steps, "order": self.order}


def choose(point: Mapping[str, Mapping[str, float]],
           resampled: Mapping[str, Mapping[str, np.ndarray]], *,
           n_bootstrap: int = N_BOOTSTRAP, seed: int = 0, level: float = LEVEL) -> ModelChoice:
    """Apply the rule to ``point`` (per model: ``rmse``, ``abs_total_error``,
    ``tracking_error``, ``bic``) with the paired resamples of :func:`bootstrap_statistics`."""
    chosen, decided_by, steps = _one(list(point), point, resampled, level)
    order = [chosen]
    left = [m for m in point if m != chosen]
    while left:
        following = _one(left, point, resampled, level)[0]
        order.append(following)
        left.remove(following)
    return ModelChoice(chosen, decided_by, steps, order, n_bootstrap, seed, level)


def _one(names: Sequence[str], point: Mapping[str, Mapping[str, float]],
         resampled: Mapping[str, Mapping[str, np.ndarray]],
         level: float) -> tuple[str, str, list[dict[str, Any]]]:
    if len(names) == 1:
        return names[0], "only model", []
    steps: list[dict[str, Any]] = []
    tied = list(names)
    tail = (1 - level) / 2 * 100
    for statistic, _ in CRITERIA:
        values = {m: point[m][statistic] for m in tied}
        known = [m for m in tied if values[m] is not None and np.isfinite(values[m])]
        if not known:  # e.g. no tracking error without purchase times: the step is skipped
            continue
        best = min(known, key=lambda m: values[m])
        # a model without this figure (its predictions were not finite) is out
        gaps: dict[str, dict[str, Any]] = {
            m: {"value": None, "gap": None, "lower": None, "upper": None, "tied": False}
            for m in tied if m not in known}
        for m in known:
            diff = resampled[m][statistic] - resampled[best][statistic]
            diff = diff[np.isfinite(diff)]
            gap = values[m] - values[best]
            # no resamples: no noise measured, the figures compare as they are
            low, high = ((np.percentile(diff, tail), np.percentile(diff, 100 - tail))
                         if diff.size else (gap, gap))
            within = m == best or not low > 0
            gaps[m] = {"value": values[m], "gap": gap, "lower": float(low),
                       "upper": float(high), "tied": within}
        tied = [m for m in tied if gaps[m]["tied"]]
        steps.append({"criterion": statistic, "best": best, "models": gaps})
        if len(tied) == 1:
            return tied[0], statistic, steps
    best = min(tied, key=lambda m: point[m]["bic"])
    steps.append({"criterion": "bic", "best": best,
                  "models": {m: {"value": point[m]["bic"]} for m in tied}})
    return best, "bic", steps


def describe(choice: ModelChoice) -> str:
    """The choice and why, in English, with the figures."""
    label = dict(CRITERIA)
    if choice.decided_by == "only model":
        return f"{choice.chosen} is the only model that could be fitted on the calibration period."
    parts = []
    for step in choice.steps:
        criterion, best, models = step["criterion"], step["best"], step["models"]
        if criterion == "bic":
            figures = ", ".join(f"{m} {v['value']:,.1f}" for m, v in models.items())
            parts.append(f"the lowest BIC decided ({figures})")
            continue
        percent = criterion != "rmse"
        shown = (lambda x: f"{x:.1%}") if percent else (lambda x: f"{x:.4f}")
        signed = (lambda x: f"{x * 100:+.1f} points") if percent else (lambda x: f"{x:+.4f}")
        others = []
        for m, v in models.items():
            if m == best:
                continue
            if v["value"] is None:
                others.append(f"{m} has none (its predictions are not finite), out")
                continue
            verdict = "within noise" if v["tied"] else "beyond noise"
            others.append(f"{m} {shown(v['value'])}, gap {signed(v['gap'])}, 95% interval "
                          f"[{signed(v['lower'])}, {signed(v['upper'])}], {verdict}")
        parts.append(f"{label[criterion]}: best {best} {shown(models[best]['value'])}; "
                     + "; ".join(others))
    decided = {"bic": "BIC"}.get(choice.decided_by, label.get(choice.decided_by, ""))
    return (f"{choice.chosen} chosen on the holdout, decided by the {decided} (rule: {RULE}; "
            f"{choice.n_bootstrap:,} paired bootstrap resamples, seed {choice.seed}). "
            + ". ".join(p[0].upper() + p[1:] for p in parts) + ".")
