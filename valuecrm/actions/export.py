"""Export an action list for a campaign tool: CSV or Parquet, by extension.

CSV is written for people by :func:`valuecrm.store.csv_export.write_csv` (UTF-8 with a BOM,
booleans ``true`` / ``false``, ISO dates). A list of every customer is exported from its engine
table (``retention_table``, ``winback_table``, ``next_best_table``, ``up_sell_table``): the engine
writes it to the file (DuckDB's ``COPY``; other Ibis backends stream Arrow batches) and no row
comes to Python (issue 16, point 7)."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

import ibis.expr.types as ir
import pandas as pd

from valuecrm.errors import ParameterError
from valuecrm.store.csv_export import write_frame_csv, write_parquet_csv

FORMATS = {".csv": "CSV", ".parquet": "Parquet"}


def export_list(frame: pd.DataFrame | ir.Table, path: str | Path) -> Path:
    """Write ``frame`` to ``path`` (``.csv`` or ``.parquet``); return the path written.

    ``frame`` is a DataFrame, or an Ibis table (an ordered list in the engine, such as
    ``retention_table(db)``), which the engine streams to the file in its order: the same
    file as its DataFrame's. CSV follows :mod:`valuecrm.store.csv_export`; Parquet keeps the
    column types. The folder must exist; the file appears complete or not at all.
    """
    if not isinstance(frame, pd.DataFrame | ir.Table):
        raise ParameterError.of("frame", "export_list", "a pandas DataFrame or an Ibis table",
                                frame)
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise ParameterError.of("path", "export_list", "a file name ending in .csv or .parquet",
                                str(path))
    if not target.parent.exists():
        raise ParameterError(f"The folder {target.parent} does not exist.",
                             hint="Create it first, or give another --out path.")
    if isinstance(frame, ir.Table):
        _stream(frame, target, suffix)
    elif suffix == ".csv":
        write_frame_csv(frame, target)
    else:
        frame.to_parquet(target, index=False)
    return target


def _stream(table: ir.Table, target: Path, suffix: str) -> None:
    """The engine writes ``table`` to a Parquet file in a temporary folder (a folder of part
    files on Spark); it becomes ``target``, or DuckDB copies it to ``target`` as CSV."""
    import duckdb

    from valuecrm.store.parquet_export import write_parquet

    folder = Path(tempfile.mkdtemp(prefix="valuecrm-export-"))
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.part")
    try:
        written = folder / "list.parquet"
        table.to_parquet(written)
        source = f"{written}/*.parquet" if written.is_dir() else str(written)
        if suffix == ".csv":
            write_parquet_csv(source, target)
            return
        if written.is_dir():  # one file of the parts, in the order of their names
            with duckdb.connect() as con:
                escaped = source.replace("'", "''")
                write_parquet(con, f"SELECT * FROM read_parquet('{escaped}')", partial)
        else:
            shutil.move(written, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
