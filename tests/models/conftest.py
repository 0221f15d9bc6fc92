"""Data for the model tests: the bundled CDNOW summary and donations panel, renamed."""

from __future__ import annotations

import pandas as pd
import pytest

from valuecrm.datasets import load_cdnow_summary, load_donations


@pytest.fixture(scope="session")
def cdnow() -> pd.DataFrame:
    """The CDNOW sample summary (2,357 customers, weeks) with valuecrm's column names."""
    return load_cdnow_summary()


@pytest.fixture(scope="session")
def cdnow_repeat_buyers(cdnow: pd.DataFrame) -> pd.DataFrame:
    """The 946 repeat buyers of the CDNOW sample, for the Gamma-Gamma model."""
    return cdnow[cdnow["frequency"] > 0].reset_index(drop=True)


@pytest.fixture(scope="session")
def donations() -> pd.DataFrame:
    """The donations panel with ``periods`` renamed ``n_periods``."""
    return load_donations().rename(columns={"periods": "n_periods"})
