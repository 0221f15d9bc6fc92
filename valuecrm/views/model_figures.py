"""The figures of the dashboard's models page: cumulative tracking, the frequency-recency
matrix and the record of the model choice, from the snapshot (nothing is fitted here).

Model choice: the record ``analyze`` stored (:mod:`valuecrm.models.model_choice`), one row per
step of the rule and model still compared.

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


PERCENT_CRITERIA = ("abs_total_error", "tracking_error")


def model_choice(snapshot: Snapshot) -> dict[str, Any] | None:
    """How the snapshot's purchase model was chosen: the deciding criterion, the bootstrap
    settings, and per step of the rule each model's value, gap to the best, the 95% interval of
    the gap and whether it tied (None when no holdout comparison was made)."""
    record = snapshot.metadata.get("model_choice") or {}
    if not record.get("steps") and record.get("decided_by") != "only model":
        return None
    rows = []
    for step in record.get("steps") or []:
        for model, figures in step["models"].items():
            rows.append({"criterion": step["criterion"], "model": model,
                         "best": model == step["best"],
                         "percent": step["criterion"] in PERCENT_CRITERIA,
                         "value": figures.get("value"), "gap": figures.get("gap"),
                         "lower": figures.get("lower"), "upper": figures.get("upper"),
                         "tied": figures.get("tied")})
    return {"chosen": record.get("chosen"), "decided_by": record.get("decided_by"),
            "n_bootstrap": record.get("n_bootstrap"), "seed": record.get("seed"),
            "level": record.get("level"), "rows": rows, "customers": record.get("customers"),
            "tracking": record.get("tracking")}


def model_ranking_lines(snapshot: Snapshot) -> list[str]:
    """The holdout comparison of the snapshot, one line per model in the rule's order (for the
    command line)."""
    lines = []
    for row in snapshot.metadata.get("model_ranking") or []:
        shown = {key: "–" if row.get(key) is None else format(row[key], form)
                 for key, form in (("rmse", ".4f"), ("rmse_gap", "+.4f"),
                                   ("rmse_gap_lower", "+.4f"), ("rmse_gap_upper", "+.4f"),
                                   ("total_error", "+.1%"), ("tracking_error", ".1%"),
                                   ("bic", ",.1f"))}
        gap = (f" (gap to the lowest {shown['rmse_gap']}, 95% interval "
               f"[{shown['rmse_gap_lower']}, {shown['rmse_gap_upper']}])"
               if row.get("rmse_gap") else " (the lowest)")
        chosen = " (chosen)" if row.get("chosen") else ""
        lines.append(f"  {row.get('rank')}. {row['model']}{chosen}: RMSE {shown['rmse']}{gap}, "
                     f"total error {shown['total_error']}, tracking error "
                     f"{shown['tracking_error']}, BIC {shown['bic']}")
    return lines


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
