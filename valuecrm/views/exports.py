"""What the exports write: the queries of the customers and customer value exports, and a
Parquet writer beside :func:`valuecrm.store.csv_export.write_csv`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["customer_value_sql", "customers_sql", "write_parquet"]


def customers_sql() -> str:
    """Every customer with their profile (personal data included), ordered by id."""
    return "SELECT * FROM customers ORDER BY customer_id"


def customer_value_sql(snapshot_id: int, *, segment: str | None = None,
                       status: str | None = None, tier: str | None = None,
                       search: str | None = None) -> str:
    """The customer value table of one snapshot, its rows filtered as ``valuecrm customers
    export`` filters them (:class:`valuecrm.views.customers.ValueQuery`, which validates the
    names), in stored order: no sort, so DuckDB streams it however many rows there are, and
    the CLI and the API write the same file."""
    from valuecrm.views.customers import ValueQuery

    return ValueQuery(int(snapshot_id), segment, status, tier, search).export_sql()


def write_parquet(con: Any, query: str, target: str | Path, *,
                  compression: str | None = None) -> int:
    """Write the rows of ``query`` to the Parquet file ``target`` (DuckDB's default compression
    unless ``compression`` is given, e.g. ``"zstd"``); the number of rows written."""
    escaped = str(target).replace("'", "''")
    options = "FORMAT parquet" + (f", COMPRESSION {compression}" if compression else "")
    return int(con.execute(f"COPY ({query}) TO '{escaped}' ({options})").fetchone()[0])
