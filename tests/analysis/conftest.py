"""Analysed databases for the analysis tests: CDNOW at two dates and a generated base."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from tests.helpers.analysed import AnalysedDatabases
from tests.helpers.data import CDNOW_AS_OF, CDNOW_EARLIER
from valuecrm.store import connect
from valuecrm.store.schema import TABLES


@pytest.fixture(scope="session")
def cdnow_path(analysed_db: AnalysedDatabases) -> Path:
    """CDNOW with two snapshots: as of 1998-06-30 (id 1) and 1997-12-31 (id 2)."""
    return analysed_db("cdnow", CDNOW_AS_OF, CDNOW_EARLIER, candidates=None)


@pytest.fixture(scope="session")
def cdnow_rows(cdnow_path: Path) -> pd.DataFrame:
    from valuecrm.analysis import read_snapshot

    with connect(cdnow_path, read_only=True) as database:
        return read_snapshot(database, CDNOW_AS_OF).to_pandas()


@dataclass
class Synthetic:
    path: Path
    truth: pd.DataFrame
    rows: pd.DataFrame


SYNTHETIC_CUSTOMERS = 10_000


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Synthetic:
    """A generated base of 10,000 customers with its truth, analysed as of its last order.

    Large enough for stable precision and recall of the planted labels; the purchase models
    compared are the BG/NBD pair (model choice is tested elsewhere), so it takes seconds.
    """
    from valuecrm.analysis import AnalysisConfig, analyze, read_snapshot
    from valuecrm.synthetic import generate

    folder = tmp_path_factory.mktemp("synthetic")
    result = generate(SYNTHETIC_CUSTOMERS, out=folder / "files", seed=5)
    path = folder / "synthetic.duckdb"
    with connect(path) as database:
        for name in TABLES:  # reference order
            database.raw.execute(f"INSERT INTO \"{name}\" BY NAME SELECT * FROM "
                                 f"read_parquet('{result.paths[name]}')")
        analyze(database, config=AnalysisConfig(candidates=("BetaGeo", "ModifiedBetaGeo")))
        rows = read_snapshot(database).to_pandas()
    return Synthetic(path, pd.read_parquet(result.truth_path), rows)
