"""Line numbers of CSV records when the file has blank lines between records.

DuckDB skips blank lines without saying where they were, so its record positions no longer map
to the lines a user sees in an editor. Files with blank lines are rare, so the fast path
(``csv_reader._count_lines``) assumes none; :func:`has_inner_blank_lines` checks that with a C-speed
byte search, and only when it finds one does :func:`map_record_lines` walk the file with Python's
``csv`` module (which follows quoted fields across lines and reports physical line numbers).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from valuecrm.store.ingest.compressed import is_gzip, open_binary

if TYPE_CHECKING:
    import duckdb

CHUNK_BYTES = 1 << 24
BLANK_LINE_MARKS = (b"\n\n", b"\n\r\n")
RECORDS_PER_BATCH = 1 << 20  # record lines held in Python before they are written


def has_inner_blank_lines(path: Path) -> bool:
    """Whether ``path`` has an empty line before its last record (trailing ones don't matter)."""
    if is_gzip(path):
        return _has_inner_blank_lines_stream(path)
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - 4096))
        tail = handle.read()
        content_end = size - (len(tail) - len(tail.rstrip(b"\r\n")))
        handle.seek(0)
        carried, offset = b"", 0
        while offset < content_end:
            chunk = handle.read(min(CHUNK_BYTES, content_end - offset))
            if not chunk:
                break
            window = carried + chunk
            if any(mark in window for mark in BLANK_LINE_MARKS):
                return True
            carried, offset = window[-2:], offset + len(chunk)
    return False


def _has_inner_blank_lines_stream(path: Path) -> bool:
    """:func:`has_inner_blank_lines` for a compressed file, in one pass (it cannot seek to its
    end): a blank line counts once text follows it."""
    carried, pending = b"", False
    with open_binary(path) as handle:
        while chunk := handle.read(CHUNK_BYTES):
            if pending and chunk.strip(b"\r\n"):
                return True
            window = carried + chunk
            marks = [window.find(mark) for mark in BLANK_LINE_MARKS]
            found = [at for at in marks if at >= 0]
            if found:
                if window[min(found):].strip(b"\r\n"):
                    return True
                pending = True
            carried = window[-2:]
    return False


def map_record_lines(con: duckdb.DuckDBPyConnection, path: Path, delim: str, encoding: str,
                     rejects: str, table: str) -> None:
    """Create ``table`` (r, line): the physical line of each staged record ``r`` (0-based).

    Also fills ``{table}__reject`` (duckdb_line, line): DuckDB's reject line numbers count
    records and blank lines but not the newlines inside quoted fields; this maps them to the
    physical line where the record starts. The lines are written ``RECORDS_PER_BATCH`` records
    at a time, and the staged records (those DuckDB did not reject) numbered in the engine.
    """
    import pyarrow as pa

    mapping = f"{table}__reject"
    con.execute(f'CREATE TEMP TABLE "{mapping}" (duckdb_line BIGINT, line BIGINT)')
    logical_of_record: list[int] = []
    physical_of_record: list[int] = []

    def write() -> None:
        batch = pa.table({"duckdb_line": pa.array(logical_of_record, pa.int64()),
                          "line": pa.array(physical_of_record, pa.int64())})
        con.register(f"{mapping}__arrow", batch)
        try:
            con.execute(f'INSERT INTO "{mapping}" SELECT * FROM "{mapping}__arrow"')
        finally:
            con.unregister(f"{mapping}__arrow")
        logical_of_record.clear()
        physical_of_record.clear()

    with io.TextIOWrapper(open_binary(path), encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delim, quotechar='"', doublequote=True)
        next(reader, None)  # the header
        logical, previous_end = 1, reader.line_num
        for fields in reader:
            logical += 1
            if fields:
                logical_of_record.append(logical)
                physical_of_record.append(previous_end + 1)
                if len(logical_of_record) >= RECORDS_PER_BATCH:
                    write()
            previous_end = reader.line_num
    if logical_of_record:
        write()
    con.execute(
        f'CREATE TEMP TABLE "{table}" AS SELECT row_number() OVER (ORDER BY duckdb_line) - 1 '
        f'AS r, line FROM "{mapping}" WHERE duckdb_line NOT IN (SELECT DISTINCT line FROM '
        f'"{rejects}" WHERE error_type <> \'INVALID ENCODING\' AND line IS NOT NULL)')
