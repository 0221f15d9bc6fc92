"""Parquet files for tools: the writer behind every Parquet export, beside
:func:`valuecrm.store.csv_export.write_csv` (DuckDB writes the file; the columns keep their
types)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["write_parquet"]


def write_parquet(con: Any, query: str, target: str | Path, *,
                  compression: str | None = None) -> int:
    """Write the rows of ``query`` to the Parquet file ``target`` (DuckDB's default compression
    unless ``compression`` is given, e.g. ``"zstd"``); the number of rows written."""
    escaped = str(target).replace("'", "''")
    options = "FORMAT parquet" + (f", COMPRESSION {compression}" if compression else "")
    return int(con.execute(f"COPY ({query}) TO '{escaped}' ({options})").fetchone()[0])
