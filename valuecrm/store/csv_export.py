"""CSV files meant for people: the one writer behind every CSV export.

Action lists (``valuecrm actions ... --out``), the customer and value exports (CLI and API),
the dashboard's downloads and the rejects file of a load all go through :func:`write_csv`, so
they read the same in a spreadsheet:

- UTF-8 starting with a byte-order mark, so that Excel shows Chinese text (other tools skip it);
- a header row, commas, fields quoted when needed (RFC 4180), one line per row;
- booleans spelled ``true`` and ``false`` (lower case, as in JSON), missing values empty;
- dates ``YYYY-MM-DD``, timestamps ``YYYY-MM-DD HH:MM:SS`` (a pandas column holding only
  midnights, such as ``snapshot_date``, is written as dates).

DuckDB formats the values (``COPY ... (FORMAT csv, HEADER)``); the file appears complete or not
at all (written beside the target, then renamed).
"""

from __future__ import annotations

import codecs
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

BOM = codecs.BOM_UTF8
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def write_csv(con: Any, query: str, target: str | Path) -> int:
    """Write the rows of ``query`` (SQL on the DuckDB connection ``con``) to ``target`` as CSV
    for people (see the module docstring); return the number of rows written."""
    target = Path(target)
    partial = target.with_name(f".{target.name}.part")
    finished = target.with_name(f".{target.name}.bom")
    try:
        rows = con.execute(f"COPY ({query}) TO {_literal(partial)} "
                           "(FORMAT csv, HEADER true)").fetchone()
        with finished.open("wb") as out, partial.open("rb") as copied:
            out.write(BOM)
            shutil.copyfileobj(copied, out, 1 << 20)
        os.replace(finished, target)
    finally:
        partial.unlink(missing_ok=True)
        finished.unlink(missing_ok=True)
    return int(rows[0]) if rows else 0


def write_frame_csv(frame: pd.DataFrame, target: str | Path) -> int:
    """Write a pandas frame to ``target`` with :func:`write_csv`; return the rows written."""
    import duckdb

    shown = frame.copy()
    for name in shown.columns:
        column = shown[name]
        if (pd.api.types.is_datetime64_any_dtype(column) and column.dt.tz is None
                and (column.dropna() == column.dropna().dt.normalize()).all()):
            shown[name] = column.dt.date
    con = duckdb.connect()
    try:
        con.register("frame", shown)
        return write_csv(con, "SELECT * FROM frame", target)
    finally:
        con.close()


def midnight_columns(con: Any, relation: str) -> tuple[str, ...]:
    """The time-zone-naive date-time columns of ``relation`` (what follows ``FROM``, e.g.
    ``read_parquet('...')``) holding only midnights (none without rows): those a CSV for
    people writes as dates."""
    described = con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()
    stamps = [str(row[0]) for row in described
              if str(row[1]).startswith("TIMESTAMP") and "TIME ZONE" not in str(row[1])]
    if not stamps:
        return ()
    checks = ", ".join(f"bool_and({_quoted(c)} IS NULL OR {_quoted(c)} = "
                       f"date_trunc('day', {_quoted(c)}))" for c in stamps)
    found = con.execute(f"SELECT {checks} FROM {relation}").fetchone()
    return tuple(c for c, only in zip(stamps, found, strict=True) if only)


def with_dates(relation: str, midnight: tuple[str, ...]) -> str:
    """A query of every column of ``relation``, the ``midnight`` columns as dates."""
    dates = ", ".join(f"CAST({_quoted(c)} AS DATE) AS {_quoted(c)}" for c in midnight)
    return f"SELECT * {f'REPLACE ({dates}) ' if dates else ''}FROM {relation}"


def write_parquet_csv(parquet: str | Path, target: str | Path) -> int:
    """Write the Parquet file ``parquet`` to ``target`` with :func:`write_csv`, date-times
    holding only midnights (time zone naive) written as dates, as :func:`write_frame_csv`
    writes a frame's; DuckDB streams the rows (nothing is held in Python). The rows
    written."""
    import duckdb

    scan = f"read_parquet({_literal(Path(parquet))})"
    con = duckdb.connect()
    try:
        return write_csv(con, with_dates(scan, midnight_columns(con, scan)), target)
    finally:
        con.close()


def frame_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The bytes :func:`write_frame_csv` would write (for a download)."""
    with tempfile.TemporaryDirectory(prefix="valuecrm-csv-") as folder:
        path = Path(folder) / "export.csv"
        write_frame_csv(frame, path)
        return path.read_bytes()
