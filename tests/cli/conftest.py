"""The CDNOW sample (2,357 customers, Fader, Hardie & Lee 2005) in a real DuckDB file, analysed
twice with BG/NBD alone (fast), and a way to run the ``valuecrm`` entry point in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.analysis.conftest import insert

AS_OF = "1998-06-30"
EARLIER = "1997-12-31"


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Snapshot 1 as of 1998-06-30 and snapshot 2 as of 1997-12-31 (read it, don't write it)."""
    from valuecrm.analysis import AnalysisConfig, analyze
    from valuecrm.datasets import load_cdnow
    from valuecrm.demo import cdnow_tables
    from valuecrm.store import connect

    path = tmp_path_factory.mktemp("cli") / "sample.duckdb"
    customers, orders = cdnow_tables(load_cdnow(sample=True).drop(columns="master_customer_id"))
    config = AnalysisConfig(candidates=("BetaGeo",))
    with connect(path) as database:
        insert(database, "customers", customers)
        insert(database, "orders", orders)
        analyze(database, as_of=AS_OF, config=config)
        analyze(database, as_of=EARLIER, config=config)
    return path


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    """A database made by 'valuecrm init': every table, no row, no snapshot."""
    from valuecrm.store import connect

    path = tmp_path / "empty.duckdb"
    connect(path).close()
    return path


@pytest.fixture
def one_customer_db(tmp_path: Path) -> Path:
    """One customer with three orders, analysed (too few customers for a purchase model)."""
    from tests.analysis.conftest import small_database
    from valuecrm.analysis import analyze

    path = tmp_path / "one.duckdb"
    rows = [("solo", "2024-01-05", 20.0), ("solo", "2024-03-01", 35.5),
            ("solo", "2024-06-30", 12.25)]
    with small_database(path, rows) as database:
        analyze(database)
    return path
