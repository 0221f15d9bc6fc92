"""How well a purchase model predicted a holdout period: per customer and in aggregate.

The method of Fader, Hardie & Lee (2005), "Counting your customers the easy way", Marketing
Science 24(2), section 4: fit on a calibration period, predict each customer's purchases in the
holdout period that follows, E[X(t) | frequency, recency, T], and compare with what they did:
per customer (MAE, RMSE, bias), the total over customers, and the cumulative purchases at each
tracking point (every unit of time, e.g. week, of the holdout; "tracking", figure 2).

:class:`HoldoutData` holds the customers' calibration summary, their holdout purchases and, when
the purchase times are known, those purchases per tracking interval; :func:`evaluate_model`
scores one fitted model on it. The model choice (:mod:`.model_choice`) and the public
:func:`valuecrm.evaluate_holdout` (:mod:`.evaluation`) both read these figures.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from valuecrm.errors import DataError, SchemaError
from valuecrm.models.histories import distinct_histories

HOLDOUT_NEEDS = ("frequency", "recency", "T", "frequency_holdout", "duration_holdout")
TRACKING_ERROR = ("sum over tracking points of |expected - actual cumulative purchases| / sum "
                  "of actual cumulative purchases")


def tracking_points(duration: float) -> np.ndarray:
    """Tracking times: every whole unit of the holdout (1, 2, ...), and its end."""
    whole = np.arange(1.0, np.floor(duration + 1e-9) + 1.0)
    if whole.size == 0 or whole[-1] < duration - 1e-9:
        whole = np.append(whole, duration)
    return whole


@dataclass
class HoldoutData:
    """Customers of a calibration/holdout split (one row each, in the summary's order).

    ``by_point`` (customers x tracking points, sparse) counts each customer's holdout purchases
    in ``(points[j-1], points[j]]``; None when only the totals are known (no tracking).
    """

    calibration: pd.DataFrame  # frequency, recency, T
    actual: np.ndarray  # holdout purchases per customer
    duration: float
    points: np.ndarray
    by_point: sparse.csr_matrix | None = None
    customer_ids: np.ndarray | None = None

    @classmethod
    def of(cls, summary: Any, purchase_times: pd.DataFrame | None = None) -> HoldoutData:
        """From ``rfm_summary(..., calibration_end=...)`` and, for tracking, the rows of
        :func:`valuecrm.features.holdout.holdout_purchase_times` (customer_id, elapsed)."""
        frame = _summary_frame(summary)
        duration = float(frame["duration_holdout"].max())
        points = tracking_points(duration)
        ids = frame["customer_id"].to_numpy() if "customer_id" in frame else None
        actual = frame["frequency_holdout"].to_numpy(dtype=float)
        by_point = None
        if purchase_times is not None:
            if ids is None:
                raise SchemaError("Tracking needs the summary's customer_id column.",
                                  hint="Keep customer_id in the summary.")
            row = pd.Index(ids).get_indexer(purchase_times["customer_id"].to_numpy())
            inside = row >= 0
            elapsed = purchase_times["elapsed"].to_numpy(dtype=float)[inside]
            column = np.minimum(np.searchsorted(points, elapsed - 1e-9), len(points) - 1)
            by_point = sparse.csr_matrix(
                (np.ones(int(inside.sum())), (row[inside], column)),
                shape=(len(frame), len(points)))
        calibration = frame[["frequency", "recency", "T"]].reset_index(drop=True)
        return cls(calibration, actual, duration, points, by_point, ids)

    def __len__(self) -> int:
        return len(self.actual)

    def subset(self, rows: np.ndarray) -> HoldoutData:
        """The customers at positions ``rows``."""
        return HoldoutData(
            self.calibration.iloc[rows].reset_index(drop=True), self.actual[rows],
            self.duration, self.points,
            None if self.by_point is None else self.by_point[rows],
            None if self.customer_ids is None else self.customer_ids[rows])

    @property
    def actual_cumulative(self) -> np.ndarray | None:
        """Actual cumulative holdout purchases at each tracking point (None without times)."""
        if self.by_point is None:
            return None
        return np.cumsum(np.asarray(self.by_point.sum(axis=0)).ravel())


@dataclass
class HoldoutEvaluation:
    """How well one purchase model, fitted on the calibration period, predicted the holdout."""

    model: str
    n_customers: int
    mae: float
    rmse: float
    bias: float
    predicted_total: float
    actual_total: float
    tracking_error: float  # NaN without purchase times
    predicted: np.ndarray = field(repr=False)  # per customer, over the whole holdout
    curve: np.ndarray = field(repr=False)  # expected cumulative purchases: points x histories
    codes: np.ndarray = field(repr=False)  # each customer's history (column of ``curve``)
    predicted_cumulative: np.ndarray = field(repr=False)  # summed over customers, per point

    @property
    def total_error(self) -> float:
        """Relative error of the total number of holdout purchases."""
        return (self.predicted_total - self.actual_total) / max(self.actual_total, 1e-12)

    def as_row(self) -> dict[str, Any]:
        return {"model": self.model, "mae": self.mae, "rmse": self.rmse, "bias": self.bias,
                "predicted_total": self.predicted_total, "actual_total": self.actual_total,
                "total_error": self.total_error, "tracking_error": self.tracking_error}


def tracking_error(predicted: np.ndarray, actual: np.ndarray) -> np.ndarray:
    """Cumulative tracking error along the last axis (:data:`TRACKING_ERROR`)."""
    return np.abs(predicted - actual).sum(axis=-1) / np.maximum(actual.sum(axis=-1), 1e-12)


def evaluate_model(model: Any, data: HoldoutData) -> HoldoutEvaluation:
    """Score ``model`` (fitted on ``data.calibration``) on the holdout of ``data``."""
    name = type(model).__name__
    codes, histories = distinct_histories(data.calibration, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if hasattr(model, "expected_purchases_curve"):
            curve = np.asarray(model.expected_purchases_curve(list(data.points), histories),
                               dtype=float)
        else:
            frame = histories.to_frame()
            curve = np.vstack([np.asarray(model.expected_purchases(t, frame), dtype=float)
                               for t in data.points])
    curve = curve.reshape(len(data.points), -1)
    predicted = curve[-1][codes]
    error = predicted - data.actual
    cumulative = curve @ np.bincount(codes, minlength=curve.shape[1]).astype(float)
    actual_cumulative = data.actual_cumulative
    track = (float(tracking_error(cumulative, actual_cumulative))
             if actual_cumulative is not None else float("nan"))
    return HoldoutEvaluation(
        model=name, n_customers=len(data), mae=float(np.mean(np.abs(error))),
        rmse=float(np.sqrt(np.mean(error**2))), bias=float(np.mean(error)),
        predicted_total=float(predicted.sum()), actual_total=float(data.actual.sum()),
        tracking_error=track, predicted=predicted, curve=curve, codes=codes,
        predicted_cumulative=cumulative)


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
