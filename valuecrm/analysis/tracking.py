"""Cumulative tracking of a snapshot's purchase model (Fader, Hardie & Lee 2005, "Counting your
customers the easy way", figure 2).

The snapshot's purchase model is fitted again on the calibration period only (the customers who
bought before the holdout began; above ``FIT_SAMPLE`` of them, the ``FIT_SAMPLE`` of smallest
md5 of the customer id, a sample that is the same on every run, engine and row order); the expected
cumulative repeat purchases of those customers, week by week, are the sum over first-purchase
days of ``expected_purchases_new_customer``, next to the actual ones from the orders, through the
calibration period and the holdout. A purchase is a day with a purchase order
(:mod:`valuecrm.features.purchases`).
Used by the dashboard's models page and the report.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from valuecrm.features.history import purchase_days_sql
from valuecrm.store.snapshots import Snapshot

FIT_SAMPLE = 20_000


def _calibration_end(snapshot: Snapshot) -> pd.Timestamp | None:
    found = (snapshot.metadata.get("holdout") or {}).get("calibration_end")
    return pd.Timestamp(found) if found else None


def cumulative_tracking(raw: Any, snapshot: Snapshot) -> dict[str, Any] | None:
    """Weekly actual and expected cumulative repeat purchases of the customers who bought
    before the holdout began (None without a holdout period or a purchase model).
    ``raw`` is a DuckDB connection or cursor of the database."""
    from valuecrm import models

    end = _calibration_end(snapshot)
    model_class = getattr(models, snapshot.model or "", None)
    if end is None or model_class is None:
        return None
    as_of = pd.Timestamp(snapshot.as_of)
    raw.execute("SET VARIABLE valuecrm_end = ?", [end.date()])
    days = purchase_days_sql(as_of.date())
    calibrated = (
        f"WITH d AS ({days}), c AS (SELECT customer_id, min(day) AS first FROM d GROUP BY 1 "
        "HAVING min(day) <= getvariable('valuecrm_end')), "
        "h AS (SELECT customer_id, count(*) - 1 AS frequency, "
        "date_diff('day', any_value(c.first), max(d.day)) / 7.0 AS recency, "
        "date_diff('day', any_value(c.first), getvariable('valuecrm_end')) / 7.0 AS T, "
        "any_value(c.first) AS first FROM d JOIN c USING (customer_id) "
        "WHERE d.day <= getvariable('valuecrm_end') GROUP BY customer_id)")
    # the customers born each day (for the expected curve), and the fit's sample: the
    # FIT_SAMPLE customers of smallest md5(customer_id), the same on every run and row order
    born_days = raw.execute(f"{calibrated} SELECT first, count(*) AS n, sum(frequency) AS f "
                            "FROM h GROUP BY first ORDER BY first").df()
    sample = raw.execute(f"{calibrated} SELECT frequency, recency, T FROM h "
                         f"ORDER BY md5(customer_id), customer_id LIMIT {FIT_SAMPLE}").df()
    repeats = raw.execute(
        f"WITH d AS ({days}), c AS (SELECT customer_id, min(day) AS first FROM d GROUP BY 1 "
        "HAVING min(day) <= getvariable('valuecrm_end')) "
        "SELECT d.day, count(*) AS n FROM d JOIN c USING (customer_id) WHERE d.day > c.first "
        "GROUP BY 1 ORDER BY 1").df()
    customers = int(born_days["n"].sum()) if len(born_days) else 0
    if customers < 2 or float(born_days["f"].sum()) == 0:
        return None
    try:
        with np.errstate(all="ignore"):
            model = model_class().fit(sample[["frequency", "recency", "T"]])
    except Exception:  # a calibration fit that fails leaves the chart out, not the page
        return None
    start = pd.Timestamp(born_days["first"].min())
    span = (as_of - start).days
    born = np.zeros(span + 1)
    born[(pd.to_datetime(born_days["first"]) - start).dt.days.to_numpy()] = (
        born_days["n"].to_numpy(dtype=float))
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
            "calibration_end": end.date().isoformat(), "customers": customers,
            "model": snapshot.model}
