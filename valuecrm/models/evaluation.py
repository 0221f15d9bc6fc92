"""Which purchase model to trust: calibration/holdout evaluation and model selection.

The method of Fader, Hardie & Lee (2005), "Counting your customers the easy way", Marketing
Science 24(2), section 4: fit on a calibration period, predict each customer's purchases in the
holdout period that follows, and compare with what they did: per customer (MAE, RMSE, bias) and
in aggregate (cumulative repeat purchases period by period over the holdout, "tracking").
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from valuecrm.errors import ConvergenceError, DataError, SchemaError

HOLDOUT_NEEDS = ("frequency", "recency", "T", "frequency_holdout", "duration_holdout")


@dataclass
class HoldoutEvaluation:
    """How well a purchase model predicted the holdout period."""

    model: str
    n_customers: int
    mae: float
    rmse: float
    bias: float
    predicted_total: float
    actual_total: float
    tracking: pd.DataFrame | None = None  # period, actual_cumulative, predicted_cumulative

    @property
    def total_error(self) -> float:
        """Relative error of the total number of holdout purchases."""
        return (self.predicted_total - self.actual_total) / max(self.actual_total, 1e-12)

    def as_row(self) -> dict[str, Any]:
        return {"model": self.model, "mae": self.mae, "rmse": self.rmse, "bias": self.bias,
                "predicted_total": self.predicted_total, "actual_total": self.actual_total,
                "total_error": self.total_error}


def _summary_frame(summary: Any) -> pd.DataFrame:
    frame = summary.to_pandas() if hasattr(summary, "to_pandas") and not isinstance(
        summary, pd.DataFrame) else summary
    missing = [c for c in HOLDOUT_NEEDS if c not in frame.columns]
    if missing:
        raise SchemaError(
            f"A holdout evaluation needs the columns {', '.join(HOLDOUT_NEEDS)}; "
            f"{', '.join(missing)} missing.",
            hint="Build the summary with rfm_summary(orders, calibration_end=..., "
                 "observation_end=...).")
    if frame.empty:
        raise DataError("There are no customers in the calibration period to evaluate on.")
    return frame


def evaluate_holdout(model: Any, summary: Any, *, tracking_periods: int = 0) -> HoldoutEvaluation:
    """Compare a model fitted on the calibration period with the holdout period.

    ``summary`` comes from ``rfm_summary(..., calibration_end=...)``. Per customer, the
    prediction is E[X(duration_holdout) | frequency, recency, T]; the errors are over customers.
    With ``tracking_periods = k`` the aggregate tracking table has the expected cumulative
    purchases at k equally spaced points of the holdout (compare with
    :func:`actual_tracking` from the orders).
    """
    frame = _summary_frame(summary)
    duration = float(frame["duration_holdout"].max())
    grouped = (frame.groupby(["frequency", "recency", "T"], as_index=False)
               .size().rename(columns={"size": "weights"}))
    predicted_grouped = np.asarray(model.expected_purchases(duration, grouped), dtype=float)
    lookup = grouped.assign(predicted=predicted_grouped)
    merged = frame[["frequency", "recency", "T", "frequency_holdout"]].merge(
        lookup[["frequency", "recency", "T", "predicted"]], on=["frequency", "recency", "T"],
        how="left")
    error = merged["predicted"].to_numpy() - merged["frequency_holdout"].to_numpy(dtype=float)
    tracking = None
    if tracking_periods:
        points = np.linspace(duration / tracking_periods, duration, tracking_periods)
        weights = grouped["weights"].to_numpy(dtype=float)
        tracking = pd.DataFrame({
            "time": points,
            "predicted_cumulative": [
                float(weights @ np.asarray(model.expected_purchases(t, grouped), dtype=float))
                for t in points],
        })
    return HoldoutEvaluation(
        model=type(model).__name__,
        n_customers=len(frame),
        mae=float(np.mean(np.abs(error))),
        rmse=float(np.sqrt(np.mean(error**2))),
        bias=float(np.mean(error)),
        predicted_total=float(merged["predicted"].sum()),
        actual_total=float(merged["frequency_holdout"].sum()),
        tracking=tracking,
    )


def default_candidates() -> list[Any]:
    """The purchase models tried by default: BG/NBD, Pareto/NBD and MBG/NBD."""
    from valuecrm.models.beta_geo import BetaGeo
    from valuecrm.models.modified_beta_geo import ModifiedBetaGeo
    from valuecrm.models.pareto_nbd import ParetoNBD

    return [BetaGeo(), ParetoNBD(), ModifiedBetaGeo()]


@dataclass
class ModelSelection:
    """Every candidate's holdout evaluation, ranked, and the best one."""

    ranking: pd.DataFrame
    best_name: str
    reason: str
    models: dict[str, Any] = field(default_factory=dict)
    evaluations: dict[str, HoldoutEvaluation] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)

    @property
    def best(self) -> Any:
        """The best model, fitted on the calibration period."""
        return self.models[self.best_name]


def select_model(summary: Any, candidates: Sequence[Any] | None = None,
                 *, criterion: str = "rmse") -> ModelSelection:
    """Fit every candidate on the calibration period and rank them on the holdout.

    Ranked by holdout ``criterion`` (``"rmse"`` or ``"mae"`` per customer), ties broken by the
    error of the total. A candidate that fails to fit is reported in ``failures`` and left out.
    """
    if criterion not in ("rmse", "mae"):
        from valuecrm.errors import ParameterError

        raise ParameterError.of("criterion", "select_model", "'rmse' or 'mae'", criterion)
    frame = _summary_frame(summary)
    calibration = frame[["frequency", "recency", "T"]]
    models: dict[str, Any] = {}
    evaluations: dict[str, HoldoutEvaluation] = {}
    failures: dict[str, str] = {}
    for model in candidates if candidates is not None else default_candidates():
        name = type(model).__name__
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                model.fit(calibration)
        except (ConvergenceError, DataError) as error:
            failures[name] = error.message
            continue
        models[name] = model
        evaluations[name] = evaluate_holdout(model, frame)
    if not evaluations:
        raise DataError(
            "No purchase model could be fitted: " + "; ".join(
                f"{k}: {v}" for k, v in failures.items()),
            hint="Check that customers have repeat purchases in the calibration period.")
    ranking = pd.DataFrame([e.as_row() for e in evaluations.values()])
    ranking["abs_total_error"] = ranking["total_error"].abs()
    ranking = ranking.sort_values([criterion, "abs_total_error"]).reset_index(drop=True)
    ranking.insert(0, "rank", np.arange(1, len(ranking) + 1))
    ranking["log_likelihood"] = [models[m].log_likelihood_ for m in ranking["model"]]
    ranking["bic"] = [models[m].bic_ for m in ranking["model"]]
    best = str(ranking.loc[0, "model"])
    reason = (f"{best} has the lowest per-customer holdout {criterion.upper()} "
              f"({ranking.loc[0, criterion]:.4f}) of {len(ranking)} models fitted on the "
              f"calibration period; its total holdout purchases are off by "
              f"{ranking.loc[0, 'total_error']:+.1%}.")
    if len(ranking) > 1:
        reason += (f" Next: {ranking.loc[1, 'model']} ({criterion.upper()} "
                   f"{ranking.loc[1, criterion]:.4f}).")
    return ModelSelection(ranking=ranking.drop(columns="abs_total_error"), best_name=best,
                          reason=reason, models=models, evaluations=evaluations,
                          failures=failures)


def actual_tracking(orders: Any, summary_customers: Any, *, calibration_end: Any,
                    observation_end: Any, points: Sequence[float], freq: str = "W",
                    customer_col: str = "customer_id",
                    time_col: str = "ordered_at") -> np.ndarray:
    """Actual cumulative holdout purchases (distinct purchase days) of the calibration customers
    at each time in ``points`` (in units of ``freq`` after ``calibration_end``)."""
    from valuecrm.features.units import time_unit

    unit = time_unit(freq, "actual_tracking")
    frame = orders.to_pandas() if hasattr(orders, "to_pandas") and not isinstance(
        orders, pd.DataFrame) else orders
    start, end = pd.Timestamp(calibration_end), pd.Timestamp(observation_end)
    days = pd.to_datetime(frame[time_col]).dt.floor("D")
    inside = (days > start) & (days <= end) & frame[customer_col].isin(set(summary_customers))
    purchases = pd.DataFrame({"c": frame.loc[inside, customer_col],
                              "d": days[inside]}).drop_duplicates()
    elapsed_days = (purchases["d"] - start).dt.days.to_numpy(dtype=float)
    elapsed = elapsed_days * (24 if unit.hourly else 1) / unit.periods_per_unit
    return np.array([float(np.sum(elapsed <= p + 1e-9)) for p in points])
