"""The mobi ECSI survey (tests/data/mobi, GPL-3, see its NOTICE.md) and its fitted model."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

MOBI = Path(__file__).resolve().parent.parent / "data" / "mobi" / "mobi.csv"


@pytest.fixture(scope="session")
def mobi() -> pd.DataFrame:
    return pd.read_csv(MOBI)


@pytest.fixture(scope="session")
def ecsi(mobi):
    from valuecrm.voice import ECSI

    return ECSI.model().fit(mobi)
