"""connect_ibis: the user's own tables and column names, read in place on DuckDB and PySpark."""

from __future__ import annotations

import ibis
import pandas as pd
import pytest

import valuecrm
from valuecrm.errors import DatabaseError, ParameterError, SchemaError
from valuecrm.store.external import ExternalDatabase

COLUMNS = {"orders": {"customer_id": "cust", "ordered_at": "txn_ts", "amount": "value"}}


def transactions() -> pd.DataFrame:
    """Orders under the warehouse's names; ``amount`` there is a pre-tax figure to be ignored."""
    return pd.DataFrame({
        "cust": ["a", "a", "a", "b", "c"],
        "txn_ts": pd.to_datetime(["2024-01-01 10:00", "2024-01-01 12:00", "2024-01-08 09:00",
                                  "2024-01-05 00:00", "2024-02-01 00:00"]).astype("datetime64[us]"),
        "value": [10.0, 5.0, 30.0, 7.0, 1.0],
        "amount": [8.0, 4.0, 24.0, 5.6, 0.8],
        "store": ["x", "y", "x", "x", "z"],
    })


def expected_summary() -> pd.DataFrame:
    return pd.DataFrame({"customer_id": ["a", "b"], "frequency": [1, 0], "recency": [7.0, 0.0],
                         "T": [14.0, 10.0], "monetary_value": [30.0, 0.0],
                         "total_spend": [45.0, 7.0]})


def summary_of(db: ExternalDatabase) -> pd.DataFrame:
    expr = valuecrm.rfm_summary(db.table("orders"), observation_end="2024-01-15", freq="D")
    got = db.con.execute(expr)[list(expected_summary().columns)]
    return got.sort_values("customer_id").reset_index(drop=True)


def duckdb_with(table: str, frame: pd.DataFrame) -> ibis.BaseBackend:
    """In-memory DuckDB holding ``frame`` as ``table`` (not con.create_table: ibis 12.0 breaks
    on sqlglot >= 30.18 there)."""
    con = ibis.duckdb.connect()
    con.con.register("frame", frame)
    if "." in table:
        con.raw_sql(f"CREATE SCHEMA {table.split('.')[0]}")
    con.raw_sql(f"CREATE TABLE {table} AS SELECT * FROM frame")
    con.con.unregister("frame")
    return con


def test_reads_a_duckdb_table_in_another_schema_under_other_names() -> None:
    con = duckdb_with("sales.transactions", transactions())
    db = valuecrm.connect_ibis(con, tables={"orders": "sales.transactions"}, columns=COLUMNS)
    orders = db.table("orders")
    assert orders.columns == ("customer_id", "ordered_at", "amount", "store")
    assert orders.amount.sum().to_pyarrow().as_py() == 53.0  # the mapped column, not theirs
    pd.testing.assert_frame_equal(summary_of(db), expected_summary(), check_dtype=False)
    assert valuecrm.rfm_summary(db, observation_end="2024-01-15").count().execute() == 2
    with pytest.raises(DatabaseError, match="read-only"):
        db.ingest("orders", transactions())


@pytest.mark.spark
def test_reads_a_spark_table_in_another_database_under_other_names(spark_session) -> None:
    rows = ", ".join(f"('{r.cust}', TIMESTAMP '{r.txn_ts}', {r.value}D, {r.amount}D, '{r.store}')"
                     for r in transactions().itertuples())
    spark_session.sql("CREATE DATABASE IF NOT EXISTS sales")
    spark_session.sql("CREATE OR REPLACE VIEW sales.transactions AS SELECT * FROM VALUES "
                      f"{rows} AS t(cust, txn_ts, value, amount, store)")  # no files written
    con = ibis.pyspark.connect(spark_session)
    db = valuecrm.connect_ibis(con, tables={"orders": "sales.transactions"},
                               columns=COLUMNS)
    assert db.table("orders").columns == ("customer_id", "ordered_at", "amount", "store")
    pd.testing.assert_frame_equal(summary_of(db), expected_summary(), check_dtype=False)


def test_a_table_without_mapping_keeps_its_own_name() -> None:
    con = duckdb_with("orders", transactions().rename(columns=lambda c: f"{c}_raw"))
    db = valuecrm.connect_ibis(con, columns={"orders": {"customer_id": "cust_raw"}})
    assert db.table("orders").columns[0] == "customer_id"
    assert repr(db).startswith("ExternalDatabase(duckdb")


def test_mistakes_are_named() -> None:
    con = duckdb_with("transactions", transactions())
    with pytest.raises(SchemaError, match="no table 'sales'"):
        valuecrm.connect_ibis(con, tables={"sales": "transactions"})
    with pytest.raises(SchemaError, match="no canonical column 'client'"):
        valuecrm.connect_ibis(con, columns={"orders": {"client": "cust"}})
    with pytest.raises(ParameterError, match="distinct column names"):
        valuecrm.connect_ibis(con, columns={"orders": {"amount": "value", "cost": "value"}})
    with pytest.raises(ParameterError, match="'con' parameter of connect_ibis"):
        valuecrm.connect_ibis("duckdb://crm.duckdb")
    db = valuecrm.connect_ibis(con, tables={"orders": "transactions"},
                               columns={"orders": {"customer_id": "client"}})
    with pytest.raises(SchemaError, match=r"no column 'client'.*Its columns: cust, txn_ts"):
        db.table("orders")
    with pytest.raises(SchemaError, match=r"no table 'warehouse\.missing'"):
        valuecrm.connect_ibis(con, tables={"orders": "warehouse.missing"}).table("orders")


@pytest.mark.spark
def test_a_local_session_it_starts_gets_few_shuffle_partitions(spark_session, monkeypatch
                                                                ) -> None:
    from pyspark.sql import SparkSession

    from valuecrm.store.external import LOCAL_SHUFFLE_PARTITIONS, connect_spark

    key = "spark.sql.shuffle.partitions"
    before = spark_session.conf.get(key)
    try:
        connect_spark("local[2]")  # the test session exists: it keeps its own setting
        assert spark_session.conf.get(key) == before
        connect_spark("local[2]", shuffle_partitions=3)
        assert spark_session.conf.get(key) == "3"
        monkeypatch.setattr(SparkSession, "getActiveSession", staticmethod(lambda: None))
        connect_spark("local[2]")  # as if this call started the session
        assert spark_session.conf.get(key) == str(LOCAL_SHUFFLE_PARTITIONS)
        with pytest.raises(ParameterError, match="shuffle_partitions"):
            connect_spark("local[2]", shuffle_partitions=0)
    finally:
        spark_session.conf.set(key, before)
