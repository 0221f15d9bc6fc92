"""What the exports write: the queries of the customers and customer value exports, and a
Parquet writer beside :func:`valuecrm.store.csv_export.write_csv`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from valuecrm.store.snapshots import VALUE_TABLE

__all__ = ["customer_value_sql", "customers_sql", "write_parquet"]


def customers_sql() -> str:
    """Every customer with their profile (personal data included), ordered by id."""
    return "SELECT * FROM customers ORDER BY customer_id"


def customer_value_sql(snapshot_id: int) -> str:
    """The customer value table of one snapshot, ordered by customer id."""
    return (f"SELECT * FROM {VALUE_TABLE} WHERE snapshot_id = {int(snapshot_id)} "
            "ORDER BY customer_id")


def write_parquet(con: Any, query: str, target: str | Path, *,
                  compression: str | None = None) -> int:
    """Write the rows of ``query`` to the Parquet file ``target`` (DuckDB's default compression
    unless ``compression`` is given, e.g. ``"zstd"``); the number of rows written."""
    escaped = str(target).replace("'", "''")
    options = "FORMAT parquet" + (f", COMPRESSION {compression}" if compression else "")
    return int(con.execute(f"COPY ({query}) TO '{escaped}' ({options})").fetchone()[0])
