"""The figures of the dashboard's models page: cumulative tracking and the frequency-recency
matrix, from the snapshot's stored parameters (nothing is fitted here).

Tracking: :func:`valuecrm.analysis.tracking.cumulative_tracking` (Fader, Hardie & Lee 2005,
figure 2), computed once per snapshot and cached.

Frequency-recency matrix (Fader, Hardie & Lee 2005, figure 3): the expected purchases over the
CLV horizon of a customer with T = the whole history, for each repeat frequency and recency,
from the snapshot's own parameters.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pandas as pd

from valuecrm.analysis.tracking import cumulative_tracking as tracking
from valuecrm.store.snapshots import Snapshot
from valuecrm.views.palive import fitted_model

DAYS_PER_MONTH = 365.25 / 12
_lock = threading.Lock()
_cache: dict[tuple[Any, ...], dict[str, Any] | None] = {}


def cumulative_tracking(raw: Any, db_path: Any, snapshot: Snapshot) -> dict[str, Any] | None:
    """Weekly actual and expected cumulative repeat purchases of the calibration customers
    (None without a holdout period or a purchase model), cached per database and snapshot.
    ``raw`` is a DuckDB cursor of the database at ``db_path``."""
    key = (str(db_path), snapshot.snapshot_id, snapshot.created_at)
    with _lock:
        if key not in _cache:
            _cache[key] = tracking(raw, snapshot)
        return _cache[key]


def frequency_recency(snapshot: Snapshot, max_frequency: int) -> dict[str, Any] | None:
    """Expected purchases over the horizon for frequency 0..``max_frequency`` x recency (weeks)
    of a customer whose first purchase opened the history (None without a model)."""
    model = fitted_model(snapshot)
    history = (snapshot.metadata.get("holdout") or {}).get("history_weeks")
    if model is None or not history:
        return None
    big_t = float(history)
    frequencies = np.arange(0, max(int(max_frequency), 1) + 1)
    # whole weeks, never beyond the history (rounding 77.86 up to 78 would put recency > T)
    recencies = np.unique(np.minimum(
        np.linspace(0, big_t, num=min(14, int(big_t) + 1)).round(), big_t))
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
