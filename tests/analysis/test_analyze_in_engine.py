"""``analyze`` on tables in another Ibis engine (``connect_ibis``): every table-sized step runs
there, the snapshot is written into that engine (or streamed into a DuckDB file with
``write_to``), and the customer value table equals the one computed on DuckDB."""

from __future__ import annotations

import json
from pathlib import Path

import ibis
import numpy as np
import pandas as pd
import pytest

import valuecrm
from tests.helpers.cli import run
from valuecrm.store.snapshots import VALUE_COLUMNS

FLOATS = [c for c, kind in VALUE_COLUMNS.items() if kind == "DOUBLE"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame, Path]:
    """A generated base analysed on DuckDB: its path, its value table, and its tables as
    Parquet files (nulls kept) for other engines to read."""
    folder = tmp_path_factory.mktemp("engine")
    path = folder / "crm.duckdb"
    valuecrm.generate(150, db=path, seed=11)
    with valuecrm.connect(path) as db:
        snapshot = valuecrm.analyze(db)
        rows = valuecrm.read_snapshot(db, snapshot.snapshot_id).to_pandas()
        files = folder / "tables"
        files.mkdir()
        for name in valuecrm.store.TABLES:
            db.raw.execute(f"COPY \"{name}\" TO '{files / name}.parquet' (FORMAT parquet)")
    return path, rows.set_index("customer_id").sort_index(), files


def assert_same_rows(expected: pd.DataFrame, got: pd.DataFrame) -> None:
    got = got.set_index("customer_id").sort_index()
    assert list(got.index) == list(expected.index)
    for column in expected.columns:
        if column == "snapshot_id":
            continue
        want, have = expected[column], got[column]
        if column in FLOATS:
            assert np.allclose(have.astype(float), want.astype(float), rtol=1e-6, atol=1e-9,
                               equal_nan=True), column
        else:
            assert have.astype(str).tolist() == want.astype(str).tolist(), column


def external(con: ibis.BaseBackend, files: Path) -> valuecrm.store.external.ExternalDatabase:
    for name in valuecrm.store.TABLES:
        con.create_table(name, con.read_parquet(str(files / f"{name}.parquet")), overwrite=True)
    return valuecrm.connect_ibis(con)


def test_in_another_duckdb_engine_the_snapshot_is_written_there(generated, tmp_path):
    """The engine path (no DuckDB connection of valuecrm's own) on an Ibis DuckDB backend:
    equal rows, and a second run of the same day replaces the snapshot and keeps its id."""
    _, expected, files = generated
    con = ibis.duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    db = external(con, files)
    first = valuecrm.analyze(db)
    assert "customer_value" in con.list_tables() and "snapshots" in con.list_tables()
    assert_same_rows(expected, valuecrm.read_snapshot(db, first.snapshot_id).to_pandas())
    earlier = valuecrm.analyze(db, as_of=first.as_of - pd.Timedelta(days=60))
    again = valuecrm.analyze(db, as_of=first.as_of)
    assert (again.snapshot_id, earlier.snapshot_id) == (first.snapshot_id, 2)
    assert [s.snapshot_id for s in valuecrm.list_snapshots(db)] == [2, 1]  # by as-of date
    table = con.table("customer_value")
    counts = table.group_by("snapshot_id").agg(n=table.count()).to_pandas()
    assert dict(zip(counts.snapshot_id, counts.n, strict=True))[1] == len(expected)
    assert_same_rows(expected, valuecrm.read_snapshot(db, first.snapshot_id).to_pandas())
    assert not [t for t in con.list_tables() if t.startswith("_valuecrm")]  # nothing left over


def assert_same_mining(path: Path, db: valuecrm.store.external.ExternalDatabase) -> None:
    """Acquisition (by first category and by signup cohort), the profile and the referral
    value of ``db`` equal those of the DuckDB file at ``path``."""
    def mined(database: object) -> list[pd.DataFrame]:
        return [valuecrm.acquisition(database, by="first_category").table,
                valuecrm.acquisition(database, by="signup_cohort").table,
                valuecrm.profile(database, by="signup_channel").table,
                valuecrm.referral_value(database).table]

    with valuecrm.connect(path, read_only=True) as local:
        want = mined(local)
    for got, expected in zip(mined(db), want, strict=True):
        assert len(expected) > 1
        pd.testing.assert_frame_equal(got, expected, check_dtype=False)


@pytest.mark.spark
@pytest.mark.slow
def test_on_spark_analyze_equals_duckdb(generated, spark_session, tmp_path, monkeypatch,
                                       capsys):
    """On PySpark: the value table written into Spark, and the same analysis run from the
    command line (``--spark``) and streamed into a DuckDB file (``--write-to``), both equal
    DuckDB's for every customer; and the data mining on it (acquisition, profile, referral
    value) equals DuckDB's."""
    path, expected, files = generated
    con = ibis.pyspark.connect(spark_session)
    spark_session.sql("CREATE DATABASE IF NOT EXISTS valuecrm_engine_test")
    spark_session.catalog.setCurrentDatabase("valuecrm_engine_test")
    try:
        db = external(con, files)
        snapshot = valuecrm.analyze(db)
        assert_same_rows(expected, valuecrm.read_snapshot(db, snapshot.snapshot_id).to_pandas())
        assert_same_mining(path, db)
        target = tmp_path / "snapshots.duckdb"
        result = run(monkeypatch, capsys, "analyze", "--spark", "local[2]", "--spark-database",
                     "valuecrm_engine_test", "--write-to", str(target), "--json")
        assert result.code == 0, result.err
        copied = json.loads(result.out)
        with valuecrm.connect(target) as local:
            assert_same_rows(expected,
                             valuecrm.read_snapshot(local, copied["snapshot_id"]).to_pandas())
    finally:
        spark_session.catalog.setCurrentDatabase("default")
        spark_session.sql("DROP DATABASE valuecrm_engine_test CASCADE")
