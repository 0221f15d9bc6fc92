"""Exports stream (issue 16, point 7): the customer value export is written by DuckDB in
batches under a small memory limit, and no row passes through Python (the CLI and the API
write their files with these writers and this query)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from valuecrm.store import connect
from valuecrm.store.csv_export import write_csv
from valuecrm.store.parquet_export import write_parquet
from valuecrm.views.exports import customer_value_sql

COPIES = 300  # the CDNOW sample's 2,357 customers x 300: 707,100 rows of 50 columns
LIMIT_MB = 150  # DuckDB's memory; a Parquet row group (122,880 rows) is built in memory


class OnlyCounts:
    """A DuckDB connection that lets a statement run but fetches at most one row of it."""

    def __init__(self, con: Any) -> None:
        self.con = con
        self.fetched: list[str] = []

    def execute(self, sql: str, *args: Any) -> OnlyCounts:
        self.result = self.con.execute(sql, *args)
        return self

    def fetchone(self) -> Any:
        self.fetched.append("fetchone")
        return self.result.fetchone()

    def __getattr__(self, name: str) -> Any:  # fetchall, df, arrow ...: the rows in Python
        raise AssertionError(f"the export fetched its rows into Python ({name})")


@pytest.mark.slow
def test_the_value_export_streams_in_batches_under_a_memory_limit(
        sample_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "big.duckdb"
    shutil.copyfile(sample_db, path)
    with connect(path) as database:
        raw = database.raw
        columns = [c for (c, *_) in raw.execute("DESCRIBE customer_value").fetchall()]
        renamed = ", ".join("v.customer_id || '-' || k AS customer_id" if c == "customer_id"
                            else f'v."{c}"' for c in columns)
        raw.execute(f"INSERT INTO customer_value SELECT {renamed} FROM customer_value v, "
                    f"range(1, {COPIES}) r(k) WHERE v.snapshot_id = 1")
        rows = raw.execute("SELECT count(*) FROM customer_value WHERE snapshot_id = 1"
                           ).fetchone()[0]
        raw.execute("CHECKPOINT")  # on disk: the buffer may let the table go
        raw.execute(f"SET memory_limit = '{LIMIT_MB}MB'")
        raw.execute("SET threads = 1")
        query = customer_value_sql(1)
        counting = OnlyCounts(raw)
        written = write_parquet(counting, query, tmp_path / "value.parquet")
        assert written == rows == 2357 * COPIES
        assert counting.fetched == ["fetchone"]  # the count DuckDB reports, nothing else
        parquet = pq.ParquetFile(tmp_path / "value.parquet")
        assert parquet.metadata.num_rows == rows and parquet.num_row_groups > 1  # in batches
        counting = OnlyCounts(raw)
        assert write_csv(counting, query, tmp_path / "value.csv") == rows
        assert counting.fetched == ["fetchone"]
    with (tmp_path / "value.csv").open(encoding="utf-8-sig") as text:
        assert sum(1 for _ in text) == rows + 1
