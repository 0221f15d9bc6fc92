"""Databases for the analysis tests, loaded straight into DuckDB (the validating ingestion is
tested in tests/store; here it would only make the suite slower)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from valuecrm.store import Database, connect
from valuecrm.store.schema import TABLES

CDNOW_AS_OF = "1998-06-30"
CDNOW_EARLIER = "1997-12-31"


def insert(database: Database, table: str, frame: pd.DataFrame) -> None:
    """Append ``frame`` to a canonical table (columns by name; missing ones stay null)."""
    database.raw.register("_frame", frame)
    try:
        database.raw.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM _frame')
    finally:
        database.raw.unregister("_frame")


def orders_frame(rows: list[tuple[str, str, float]], **extra: list) -> pd.DataFrame:
    """Orders from (customer_id, day, amount) rows, with order ids in row order."""
    frame = pd.DataFrame(rows, columns=["customer_id", "ordered_at", "amount"])
    frame["ordered_at"] = pd.to_datetime(frame["ordered_at"])
    frame.insert(0, "order_id", [f"o{i}" for i in range(len(frame))])
    for name, values in extra.items():
        frame[name] = values
    return frame


def small_database(path: Path, rows: list[tuple[str, str, float]], **extra: list) -> Database:
    database = connect(path)
    orders = orders_frame(rows, **extra)
    insert(database, "customers", pd.DataFrame({"customer_id": sorted(set(orders.customer_id))}))
    insert(database, "orders", orders)
    return database


@pytest.fixture(scope="session")
def cdnow_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """CDNOW with two snapshots: as of 1998-06-30 (id 1) and 1997-12-31 (id 2)."""
    from valuecrm.analysis import analyze
    from valuecrm.datasets import load_cdnow
    from valuecrm.demo import cdnow_tables

    path = tmp_path_factory.mktemp("cdnow") / "cdnow.duckdb"
    customers, orders = cdnow_tables(load_cdnow())
    with connect(path) as database:
        insert(database, "customers", customers)
        insert(database, "orders", orders)
        analyze(database, as_of=CDNOW_AS_OF)
        analyze(database, as_of=CDNOW_EARLIER)
    return path


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
