"""Per-customer summaries as ``analyze`` hands them to the models, shared by the tests of
scoring in chunks and of the summary kept in the engine."""

from __future__ import annotations

import pandas as pd

from valuecrm.datasets import load_cdnow_summary


def daily_summary() -> pd.DataFrame:
    """The CDNOW sample as ``analyze`` passes it to the models: times in days."""
    cdnow = load_cdnow_summary()
    x = cdnow["frequency"].to_numpy(dtype=float)
    spend = cdnow["monetary_value"].to_numpy(dtype=float)
    return pd.DataFrame({
        "frequency": x, "recency": cdnow["recency"].to_numpy() * 7.0,
        "T": cdnow["T"].to_numpy() * 7.0, "monetary_value": spend, "n_purchases": x + 1.0,
        "total_spend": spend * (x + 1.0) + 15.0,
    })
