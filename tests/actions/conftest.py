"""A generated base (800 customers, with its truth) analysed at two as-of dates, built once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from tests.helpers.data import GENERATED_EARLIER as EARLIER
from tests.helpers.data import GENERATED_LATER as LATER


@dataclass
class TwoSnapshots:
    path: Path
    truth: pd.DataFrame


@pytest.fixture(scope="session")
def two_snapshots(tmp_path_factory: pytest.TempPathFactory) -> TwoSnapshots:
    """Snapshots 1 (as of 2025-06-30) and 2 (2025-12-31, the last order day) of a generated
    base; BG/NBD without a holdout comparison, to keep the suite fast."""
    from valuecrm import generate
    from valuecrm.analysis import AnalysisConfig, analyze
    from valuecrm.store import connect

    path = tmp_path_factory.mktemp("actions") / "crm.duckdb"
    result = generate(800, db=path, seed=3, start="2023-01-01", end="2025-12-31")
    config = AnalysisConfig(min_selection_customers=10**9)
    with connect(path) as database:
        analyze(database, as_of=EARLIER, config=config)
        analyze(database, as_of=LATER, config=config)
    return TwoSnapshots(path, pd.read_parquet(result.truth_path))
