"""Turning numpy columns into Arrow tables of the canonical schema, and writing them chunk by chunk.

Each table gets one Parquet file (one row group per chunk, written with
:class:`pyarrow.parquet.ParquetWriter`) or one CSV file (header once, rows appended), so memory
holds one chunk at a time.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from valuecrm.store.schema import TABLES

ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "money": pa.float64(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us"),
    "boolean": pa.bool_(),
}
FORMATS = ("parquet", "csv")


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of canonical table ``table`` (names and types of schema.py)."""
    return pa.schema([pa.field(c.name, ARROW_TYPES[c.type], nullable=not c.required)
                      for c in TABLES[table].columns])


def format_ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """``prefix`` + zero-padded ``numbers`` as an Arrow string array, without a Python loop."""
    digits = pc.cast(pa.array(np.asarray(numbers, dtype=np.int64)), pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(digits, width, "0"), "")


class TimeAxis:
    """Converts days from the window start to Arrow timestamps (whole seconds, no time zone)."""

    def __init__(self, start: date):
        self.start_us = int(np.datetime64(start.isoformat(), "us").astype(np.int64))

    def __call__(self, day: np.ndarray) -> pa.Array:
        day = np.asarray(day, dtype=np.float64)
        finite = np.isfinite(day)
        seconds = np.floor(np.where(finite, day, 0.0) * 86400.0).astype(np.int64)
        us = self.start_us + seconds * 1_000_000
        return pa.array(us, type=pa.int64(), mask=~finite).cast(pa.timestamp("us"))


def to_arrow(table: str, columns: dict[str, Any]) -> pa.Table:
    """An Arrow table of canonical ``table`` from ``columns`` (missing columns are null)."""
    schema = arrow_schema(table)
    length = None
    for value in columns.values():
        length = len(value)
        break
    arrays = []
    for f in schema:
        value = columns.get(f.name)
        if value is None:
            arrays.append(pa.nulls(length or 0, type=f.type))
        elif isinstance(value, pa.Array | pa.ChunkedArray):
            arrays.append(value.cast(f.type))
        elif f.type == pa.string():
            arrays.append(pa.array(np.asarray(value, dtype=object), type=f.type,
                                   from_pandas=True))
        else:
            value = np.asarray(value)
            mask = np.isnan(value) if value.dtype.kind == "f" else None
            if pa.types.is_integer(f.type) and value.dtype.kind == "f":
                value = np.where(mask, 0, np.round(value)).astype(np.int64)
            arrays.append(pa.array(value, type=f.type, mask=mask))
    return pa.Table.from_arrays(arrays, schema=schema)


def _dictionary_columns(table: str) -> list[str]:
    """String columns with repeated values (dictionary encoding only slows unique ones)."""
    spec = TABLES[table]
    unique = {*spec.key, "name", "email", "phone"} if len(spec.key) == 1 else {"response_id"}
    return [c.name for c in spec.columns if c.type == "string" and c.name not in unique]


class TableWriter:
    """Appends chunks of every canonical table to ``folder/<table>.<format>``."""

    def __init__(self, folder: Path, fmt: str = "parquet"):
        self.folder = folder
        self.fmt = fmt
        self.paths = {name: folder / f"{name}.{fmt}" for name in TABLES}
        self.counts = dict.fromkeys(TABLES, 0)
        self._writers: dict[str, Any] = {}

    def write(self, table: str, data: pa.Table) -> None:
        writer = self._writers.get(table)
        if writer is None:
            path = self.paths[table]
            if self.fmt == "parquet":
                writer = pq.ParquetWriter(path, data.schema, compression="zstd",
                                          use_dictionary=_dictionary_columns(table))
            else:
                writer = pacsv.CSVWriter(path, data.schema)
            self._writers[table] = writer
        writer.write_table(data)
        self.counts[table] += data.num_rows

    def close(self) -> None:
        """Closes every file; a table that never got rows is written empty, with its header."""
        for name in TABLES:
            if name not in self._writers:
                self.write(name, arrow_schema(name).empty_table())
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()
