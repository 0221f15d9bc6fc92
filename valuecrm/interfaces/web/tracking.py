"""The models page's cumulative tracking and frequency-recency charts.

Tracking (Fader, Hardie & Lee 2005, "Counting your customers the easy way", figure 2): the
snapshot's purchase model is fitted again on the calibration period only (the customers who
bought before the holdout began, a seeded sample of at most ``FIT_SAMPLE``); the expected
cumulative repeat purchases of those customers, week by week, are the sum over first-purchase
days of ``expected_purchases_new_customer``, next to the actual ones from the orders, through the
calibration period and the holdout. Computed once per snapshot and cached.

Frequency-recency matrix (Fader, Hardie & Lee 2005, figure 3): the expected purchases over the
CLV horizon of a customer with T = the whole history, for each repeat frequency and recency,
from the snapshot's own parameters.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pandas as pd

from valuecrm.analysis.snapshots import Snapshot
from valuecrm.interfaces.web.palive import PURCHASE, fitted_model

FIT_SAMPLE = 20_000
DAYS_PER_MONTH = 365.25 / 12
_lock = threading.Lock()
_cache: dict[tuple[Any, ...], dict[str, Any] | None] = {}


def _calibration_end(snapshot: Snapshot) -> pd.Timestamp | None:
    found = (snapshot.metadata.get("holdout") or {}).get("calibration_end")
    return pd.Timestamp(found) if found else None


def cumulative_tracking(raw: Any, db_path: Any, snapshot: Snapshot) -> dict[str, Any] | None:
    """Weekly actual and expected cumulative repeat purchases of the calibration customers
    (None without a holdout period or a purchase model), cached per database and snapshot.
    ``raw`` is a DuckDB cursor of the database at ``db_path``."""
    key = (str(db_path), snapshot.snapshot_id, snapshot.created_at)
    with _lock:
        if key not in _cache:
            _cache[key] = _tracking(raw, snapshot)
        return _cache[key]


def _tracking(raw: Any, snapshot: Snapshot) -> dict[str, Any] | None:
    from valuecrm import models

    end = _calibration_end(snapshot)
    model_class = getattr(models, snapshot.model or "", None)
    if end is None or model_class is None:
        return None
    as_of = pd.Timestamp(snapshot.as_of)
    raw.execute("SET VARIABLE valuecrm_end = ?", [end.date()])
    raw.execute("SET VARIABLE valuecrm_as_of = ?", [as_of.date()])
    days = (f"SELECT DISTINCT customer_id, CAST(ordered_at AS DATE) AS day FROM orders "
            f"WHERE {PURCHASE} AND CAST(ordered_at AS DATE) <= getvariable('valuecrm_as_of')")
    calibration = raw.execute(
        f"WITH d AS ({days}), c AS (SELECT customer_id, min(day) AS first FROM d GROUP BY 1 "
        "HAVING min(day) <= getvariable('valuecrm_end')) "
        "SELECT count(*) - 1 AS frequency, "
        "date_diff('day', any_value(c.first), max(d.day)) / 7.0 AS recency, "
        "date_diff('day', any_value(c.first), getvariable('valuecrm_end')) / 7.0 AS T, "
        "any_value(c.first) AS first FROM d JOIN c USING (customer_id) "
        "WHERE d.day <= getvariable('valuecrm_end') GROUP BY customer_id").df()
    repeats = raw.execute(
        f"WITH d AS ({days}), c AS (SELECT customer_id, min(day) AS first FROM d GROUP BY 1 "
        "HAVING min(day) <= getvariable('valuecrm_end')) "
        "SELECT d.day, count(*) AS n FROM d JOIN c USING (customer_id) WHERE d.day > c.first "
        "GROUP BY 1 ORDER BY 1").df()
    if len(calibration) < 2 or float(calibration["frequency"].sum()) == 0:
        return None
    sample = calibration
    if len(sample) > FIT_SAMPLE:
        sample = sample.sample(FIT_SAMPLE, random_state=0)
    try:
        with np.errstate(all="ignore"):
            model = model_class().fit(sample[["frequency", "recency", "T"]])
    except Exception:  # a calibration fit that fails leaves the chart out, not the page
        return None
    start = pd.Timestamp(calibration["first"].min())
    span = (as_of - start).days
    first_offsets = (pd.to_datetime(calibration["first"]) - start).dt.days.to_numpy()
    born = np.bincount(first_offsets, minlength=span + 1).astype(float)
    with np.errstate(all="ignore"):
        expected_by_age = np.asarray(model.expected_purchases_new_customer(
            np.arange(span + 1) / 7.0), dtype=float)
    expected = np.convolve(born, np.nan_to_num(expected_by_age))[:span + 1]
    actual_daily = np.zeros(span + 1)
    if len(repeats):
        offsets = (pd.to_datetime(repeats["day"]) - start).dt.days.to_numpy()
        np.add.at(actual_daily, offsets, repeats["n"].to_numpy(dtype=float))
    actual = np.cumsum(actual_daily)
    weeks = np.unique(np.append(np.arange(0, span + 1, 7), span))
    return {"dates": [(start + pd.Timedelta(days=int(d))).date().isoformat() for d in weeks],
            "actual": [float(actual[d]) for d in weeks],
            "expected": [round(float(expected[d]), 2) for d in weeks],
            "calibration_end": end.date().isoformat(), "customers": len(calibration),
            "model": snapshot.model}


def frequency_recency(snapshot: Snapshot, max_frequency: int) -> dict[str, Any] | None:
    """Expected purchases over the horizon for frequency 0..``max_frequency`` x recency (weeks)
    of a customer whose first purchase opened the history (None without a model)."""
    model = fitted_model(snapshot)
    history = (snapshot.metadata.get("holdout") or {}).get("history_weeks")
    if model is None or not history:
        return None
    big_t = float(history)
    frequencies = np.arange(0, max(int(max_frequency), 1) + 1)
    recencies = np.unique(np.linspace(0, big_t, num=min(14, int(big_t) + 1)).round())
    grid = pd.DataFrame([(f, r, big_t) for f in frequencies for r in recencies],
                        columns=["frequency", "recency", "T"])
    grid.loc[grid["frequency"] == 0, "recency"] = 0.0
    horizon = float(snapshot.config.get("horizon_months", 12)) * DAYS_PER_MONTH / 7.0
    with np.errstate(all="ignore"):
        values = np.asarray(model.expected_purchases(horizon, grid), dtype=float)
    z = values.reshape(len(frequencies), len(recencies))
    return {"frequencies": [int(f) for f in frequencies],
            "recency_weeks": [float(r) for r in recencies],
            "expected": [[None if not np.isfinite(v) else round(float(v), 3) for v in row]
                         for row in z],
            "horizon_months": float(snapshot.config.get("horizon_months", 12))}
