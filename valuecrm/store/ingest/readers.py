"""Reading a source into a DuckDB staging table of text columns.

Every reader creates a temporary table whose columns are the source's columns, all VARCHAR,
in source order (its ``rowid`` is the record's position), and says how a position maps to a line
of the file: header = line 1, so record ``r`` (0-based) is usually on line ``r + 2``. For CSV the
count also follows quoted fields that span lines and rows DuckDB could not parse (those become
"malformed row" problems). DuckDB skips blank lines between records; when a file has some, the
line numbers come from a walk of the file instead (``lines.py``). A CSV's line numbers are
worked out only when a row is bad or malformed (``Staged.number_lines``): a clean file, gzip
too, is read once, by DuckDB.
Parquet and DataFrame rows are numbered the same way (as if written to CSV with a header), Excel
rows keep their sheet row number (and name their sheet when several are stacked), JSON lines
their line number. Gzip files (``.csv.gz``, ``.tsv.gz``, ``.jsonl.gz``) are read as a stream and
a zip archive's member is extracted first (:mod:`.compressed`). CSV and TSV are read by
:mod:`.csv_reader`, Excel by :mod:`.xlsx_reader`; the staging table is :mod:`.staged_table`'s
:class:`Staged`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from valuecrm.errors import SourceError
from valuecrm.store.ingest.compressed import extract_member, inner_suffix
from valuecrm.store.ingest.csv_reader import _stage_text
from valuecrm.store.ingest.encoding import UTF8
from valuecrm.store.ingest.staged_table import Staged, _compression, literal, quote
from valuecrm.store.ingest.xlsx_reader import _stage_xlsx

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

FORMATS = {
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".parquet": "parquet", ".pq": "parquet",
    ".xlsx": "xlsx", ".xlsm": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".gz": "gzip", ".zip": "zip",
}
# What a gzip file may hold (DuckDB streams these); other formats are compressed already.
GZIP_FORMATS = ("csv", "tsv", "jsonl")


def stage(con: duckdb.DuckDBPyConnection, source: Any, name: str, workdir: Path,
          encoding: str | None = None, sheet: str | None = None,
          member: str | None = None) -> Staged:
    """Read ``source`` (a path or a DataFrame) into the temporary table ``name``; ``sheet``
    names an Excel sheet (default: every sheet with the first one's columns), ``member`` the
    file to read in a zip archive (default: its only one)."""
    import pandas as pd

    if isinstance(source, pd.DataFrame):
        return _stage_dataframe(con, source, name)
    path = Path(source).expanduser()
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        hint = ("Open it in Excel and save it as .xlsx or 'CSV UTF-8'." if path.suffix.lower()
                == ".xls" else "Rename it if it is one of these, or convert it.")
        raise SourceError(
            f"valuecrm cannot read {path.suffix or 'extension-less'} files ({path.name!r}): "
            f"it reads {', '.join(sorted(FORMATS))} (.gz: a compressed .csv, .tsv or .jsonl).",
            hint=hint)
    if not path.exists():
        raise SourceError(f"The file {str(path)!r} does not exist.",
                          hint="Check the path and the current folder.")
    if not path.is_file():
        raise SourceError(f"{str(path)!r} is a folder, not a file.", hint="Give a file path.")
    if path.stat().st_size == 0:
        raise SourceError(f"The file {path.name!r} is empty (0 bytes).",
                          hint="Export it again: a file needs at least a header line.")
    if member is not None and kind != "zip":
        raise SourceError(f"--member names a file inside a zip archive; {path.name!r} is not "
                          "one.", hint="Leave --member out, or give the .zip file.")
    if kind == "zip":
        return _stage_member(con, path, name, workdir, encoding, sheet, member)
    if kind == "gzip":
        kind = FORMATS.get(inner_suffix(path), "")
        if kind not in GZIP_FORMATS:
            raise SourceError(
                f"valuecrm reads gzip-compressed .csv, .tsv and .jsonl files; {path.name!r} is "
                "not one of these.", hint="Decompress it first (e.g. gunzip), or name it "
                "like sales.csv.gz if it is a compressed CSV.")
    try:
        if kind in ("csv", "tsv"):
            return _stage_text(con, path, name, "," if kind == "csv" else "\t", kind, workdir,
                               encoding)
        if kind == "parquet":
            return _stage_query(con, name, f"read_parquet({literal(str(path))})", "parquet")
        if kind == "xlsx":
            return _stage_xlsx(con, path, name, sheet)
        return _stage_jsonl(con, path, name)
    except SourceError:
        raise
    except Exception as exc:  # duckdb, openpyxl, zipfile and gzip errors on a file not right
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SourceError(f"{path.name!r} cannot be read as {kind}: {first}",
                          hint="Check that the file is complete and of the type its name says."
                          ) from None


def _stage_member(con: duckdb.DuckDBPyConnection, path: Path, name: str, workdir: Path,
                  encoding: str | None, sheet: str | None, member: str | None) -> Staged:
    """Stage one file of the zip archive ``path``; messages name it and the archive."""
    folder = workdir / "member"
    folder.mkdir(exist_ok=True)
    extracted, chosen = extract_member(path, member, folder)
    try:
        staged = stage(con, extracted, name, workdir, encoding=encoding, sheet=sheet)
    except SourceError as error:
        raise SourceError(f"In the zip archive {path.name!r}: {error.message}",
                          hint=error.hint) from None
    staged.label = f"{chosen!r} in {path.name!r}"
    return staged


# -- Parquet, JSON lines, DataFrames ----------------------------------------------------------
def _stage_query(con: duckdb.DuckDBPyConnection, name: str, relation: str, kind: str,
                 first_line: int = 2) -> Staged:
    columns = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()]
    casts = ", ".join(f"CAST({quote(c)} AS VARCHAR) AS {quote(c)}" for c in columns)
    con.execute(f"CREATE TEMP TABLE {quote(name)} AS SELECT {casts or '1 AS _'} FROM {relation}")
    return Staged(name, columns, kind, line_of=lambda row: f"({row} + {first_line})")


def _stage_dataframe(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, name: str) -> Staged:
    frame = frame.reset_index(drop=True)
    frame.columns = [str(c) for c in frame.columns]
    view = f"{name}__frame"
    con.register(view, frame)
    try:
        return _stage_query(con, name, quote(view), "dataframe")
    finally:
        con.unregister(view)


def _stage_jsonl(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> Staged:
    objects = f"{name}__objects"
    con.execute(f"CREATE TEMP TABLE {quote(objects)} AS SELECT json FROM "
                f"read_json_objects({literal(str(path))}, format = 'auto'{_compression(path)})")
    keys = [row[0] for row in con.execute(
        f"SELECT k FROM (SELECT unnest(json_keys(json)) AS k, rowid AS r FROM {quote(objects)}) "
        f"GROUP BY k ORDER BY min(r)").fetchall()]
    fields = ", ".join(f"json ->> {literal(k)} AS {quote(k)}" for k in keys) or "NULL AS _"
    con.execute(f"CREATE TEMP TABLE {quote(name)} AS SELECT {fields} FROM {quote(objects)}")
    con.execute(f"DROP TABLE {quote(objects)}")
    return Staged(name, keys, "jsonl", UTF8, line_of=lambda row: f"({row} + 1)")


def workdir() -> tempfile.TemporaryDirectory[str]:
    """A temporary folder for transcoded copies."""
    return tempfile.TemporaryDirectory(prefix="valuecrm-ingest-")
