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
a zip archive's member is extracted first (:mod:`.compressed`).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from valuecrm.errors import SourceError
from valuecrm.store.ingest.compressed import extract_member, inner_suffix, is_gzip
from valuecrm.store.ingest.encoding import UTF8, detect_encoding, is_utf8, transcode_to_utf8
from valuecrm.store.ingest.lines import has_inner_blank_lines, map_record_lines

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
XLSX_CHUNK_ROWS = 20_000


def quote(name: str) -> str:
    """``name`` as a DuckDB identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """``text`` as a DuckDB string literal."""
    return "'" + text.replace("'", "''") + "'"


@dataclass
class Staged:
    """A source read into the temporary table ``table`` (all text columns ``columns``)."""

    table: str
    columns: list[str]
    format: str
    encoding: str | None = None
    line_of: Callable[[str], str] = lambda row: f"({row} + 2)"
    # SQL naming the Excel sheet of a record when several sheets are stacked, else None.
    sheet_of: Callable[[str], str] | None = None
    sheets: list[str] = field(default_factory=list)
    label: str | None = None  # how messages name the source, e.g. "'a.csv' in 'sales.zip'"
    malformed: str | None = None  # table of (line, column, value, reason) DuckDB could not parse
    # CSV: sets ``line_of`` and ``malformed`` given the table of problems found; called only
    # by :func:`.validate.locate_problems`, and it does nothing when no row is bad and DuckDB
    # rejected none (a clean file is not walked again for its line numbers).
    number_lines: Callable[[str], None] | None = None
    temp_tables: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


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


def _compression(path: Path) -> str:
    """DuckDB's compression argument for ``path`` (stated, so that ``.GZ`` is read too)."""
    return ", compression = 'gzip'" if is_gzip(path) else ""


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


# -- CSV and TSV ------------------------------------------------------------------------------
def _stage_text(con: duckdb.DuckDBPyConnection, path: Path, name: str, delim: str, kind: str,
                workdir: Path, encoding: str | None) -> Staged:
    chosen = encoding or detect_encoding(path)
    readable = path if is_utf8(chosen) else transcode_to_utf8(path, chosen, workdir / "utf8.csv")
    staged = _read_csv(con, readable, name, delim, kind, chosen)
    if encoding is None and chosen == UTF8 and _has_encoding_errors(con, staged):
        # Valid UTF-8 at the start but not further on: a Chinese Excel export (GB18030).
        for table in [staged.table, *staged.temp_tables]:
            con.execute(f"DROP TABLE IF EXISTS {quote(table)}")
        chosen = "gb18030"
        readable = transcode_to_utf8(path, chosen, workdir / "utf8.csv")
        staged = _read_csv(con, readable, name, delim, kind, chosen)
    if _has_encoding_errors(con, staged):
        raise SourceError(
            f"{path.name!r} is not valid {chosen} text.",
            hint="Give the file's encoding with --encoding (e.g. gb18030, big5, latin-1).")
    return staged


def _has_encoding_errors(con: duckdb.DuckDBPyConnection, staged: Staged) -> bool:
    errors = f"{staged.table}__rejects"
    found = con.execute(
        f"SELECT count(*) FROM {quote(errors)} WHERE error_type = 'INVALID ENCODING'").fetchone()
    return bool(found and found[0])


def _read_csv(con: duckdb.DuckDBPyConnection, path: Path, name: str, delim: str, kind: str,
              encoding: str) -> Staged:
    errors, scans = f"{name}__rejects", f"{name}__scans"
    con.execute(
        f"CREATE TEMP TABLE {quote(name)} AS SELECT * FROM read_csv({literal(str(path))}, "
        f"all_varchar = true, header = true, delim = {literal(delim)}, quote = '\"', "
        f"escape = '\"', store_rejects = true, rejects_table = {literal(errors)}, "
        f"rejects_scan = {literal(scans)}{_compression(path)})")
    columns = [row[0] for row in con.execute(f"DESCRIBE {quote(name)}").fetchall()]
    staged = Staged(name, columns, kind, encoding, temp_tables=[errors, scans])

    def number_lines(problems: str) -> None:
        bad = con.execute(
            f"SELECT EXISTS (SELECT 1 FROM {quote(problems)}) OR EXISTS (SELECT 1 FROM "
            f"{quote(errors)} WHERE error_type <> 'INVALID ENCODING')").fetchone()
        if not (bad and bad[0]):
            return
        if has_inner_blank_lines(path) and _map_lines(con, staged, path, delim, errors):
            return
        _count_lines(con, staged, errors)

    staged.number_lines = number_lines
    return staged


def _map_lines(con: duckdb.DuckDBPyConnection, staged: Staged, path: Path, delim: str,
               errors: str) -> bool:
    """Line numbers from a walk of the file (it has blank lines); False if the walk disagrees."""
    lines, name = f"{staged.table}__lines", staged.table
    map_record_lines(con, path, delim, UTF8, errors, lines)
    staged.temp_tables += [lines, f"{lines}__reject"]
    if _count(con, lines) != _count(con, name):
        return False
    staged.line_of = lambda row: f"(SELECT line FROM {quote(lines)} WHERE r = {row})"
    malformed = f"{name}__malformed"
    con.execute(
        f"CREATE TEMP TABLE {quote(malformed)} AS SELECT coalesce(m.line, e.line) AS line, "
        f"coalesce(any_value(e.column_name), '') AS \"column\", "
        f"trim(any_value(e.csv_line), chr(10) || chr(13)) AS value, "
        f"'malformed row: ' || any_value(e.error_message) AS reason FROM {quote(errors)} e "
        f"LEFT JOIN {quote(lines + '__reject')} m ON m.duckdb_line = e.line "
        f"WHERE e.error_type <> 'INVALID ENCODING' GROUP BY e.line, m.line")
    staged.temp_tables.append(malformed)
    staged.malformed = malformed
    return True


def _count_lines(con: duckdb.DuckDBPyConnection, staged: Staged, errors: str) -> None:
    """Set ``staged.line_of`` and ``staged.malformed`` from quoted newlines and DuckDB rejects."""
    name = staged.table
    newlines, shifts, malformed = f"{name}__nl", f"{name}__shift", f"{name}__malformed"
    has_newline = " OR ".join(f"contains({quote(c)}, chr(10))" for c in staged.columns)
    count = " + ".join(f"coalesce(length({quote(c)}) - length(replace({quote(c)}, chr(10), '')),"
                       " 0)" for c in staged.columns)
    con.execute(f"CREATE TEMP TABLE {quote(newlines)} AS SELECT rowid AS r, {count} AS n "
                f"FROM {quote(name)} WHERE {has_newline or 'false'}")
    # Reject j (0-based, in line order) on DuckDB line L sits before staged record L - 2 - j.
    con.execute(
        f"CREATE TEMP TABLE {quote(shifts)} AS SELECT line, line - 2 - (row_number() OVER "
        f"(ORDER BY line) - 1) AS q, column_name, csv_line, error_message FROM (SELECT "
        f"line, any_value(column_name) AS column_name, any_value(csv_line) AS csv_line, "
        f"any_value(error_message) AS error_message FROM {quote(errors)} "
        f"WHERE error_type <> 'INVALID ENCODING' GROUP BY line)")
    staged.temp_tables += [newlines, shifts, malformed]
    has_nl = _count(con, newlines) > 0
    has_shift = _count(con, shifts) > 0

    def before(row: str) -> str:
        return (f"coalesce((SELECT sum(n) FROM {quote(newlines)} WHERE r < {row}), 0)"
                if has_nl else "0")

    def line_of(row: str) -> str:
        shift = (f" + (SELECT count(*) FROM {quote(shifts)} WHERE q <= {row})"
                 if has_shift else "")
        return f"({row} + 2{shift} + {before(row)})"

    staged.line_of = line_of
    con.execute(
        f"CREATE TEMP TABLE {quote(malformed)} AS SELECT line + {before('s.q')} AS line, "
        f"coalesce(column_name, '') AS \"column\", csv_line AS value, "
        f"'malformed row: ' || error_message AS reason FROM {quote(shifts)} s")
    staged.malformed = malformed


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM {quote(table)}").fetchone()[0])


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


# -- Excel ------------------------------------------------------------------------------------
def _cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None


def _header(values: tuple[Any, ...]) -> list[str]:
    """The column names of a sheet's first row ("column3" for an empty cell among them)."""
    cells = [_cell_text(v) for v in values]
    while cells and cells[-1] is None:
        cells.pop()
    return [c if c is not None else f"column{i + 1}" for i, c in enumerate(cells)]


def _same_columns(left: list[str], right: list[str]) -> bool:
    """Whether two headers name the same columns (in any order, ignoring case and spaces)."""
    def norm(names: list[str]) -> list[str]:
        return sorted("".join(n.split()).lower() for n in names)
    return norm(left) == norm(right)


def _stage_xlsx(con: duckdb.DuckDBPyConnection, path: Path, name: str,
                sheet: str | None) -> Staged:
    """The sheet ``sheet``, or every sheet whose columns are the first sheet's, stacked in
    workbook order (sheets with no header are passed over; others are named in a warning)."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise SourceError(f"{path.name!r} has no sheet {sheet!r}.",
                              hint="Sheets: " + ", ".join(book.sheetnames) + ".")
        columns: list[str] = []
        stacked: list[str] = []
        warnings: list[str] = []
        for title in [sheet] if sheet is not None else book.sheetnames:
            rows = enumerate(book[title].iter_rows(values_only=True), start=1)
            header = _header(next(rows, (1, ()))[1])
            if not header:
                continue
            if not stacked:
                columns = header
                con.execute(f"CREATE TEMP TABLE {quote(name)} (__line BIGINT, __sheet VARCHAR, "
                            + ", ".join(f"{quote(c)} VARCHAR" for c in columns) + ")")
            elif not _same_columns(header, columns):
                warnings.append(
                    f"Sheet {title!r} of {path.name!r} was not loaded: its columns ("
                    f"{', '.join(header)}) are not those of sheet {stacked[0]!r}. Load it alone "
                    f"with --sheet {title!r} if it holds data.")
                continue
            _insert_sheet(con, name, title, columns, header, rows)
            stacked.append(title)
    finally:
        book.close()
    if not stacked:
        raise SourceError(f"The first row of {path.name!r}"
                          + (f" (sheet {sheet!r})" if sheet else "") + " is empty: it should "
                          "hold the column names.", hint="Put the column names in row 1.")
    staged = Staged(name, columns, "xlsx", sheets=stacked, warnings=warnings,
                    line_of=lambda row: f"(SELECT __line FROM {quote(name)} WHERE rowid = {row})")
    if len(stacked) > 1:
        staged.sheet_of = lambda row: f"(SELECT __sheet FROM {quote(name)} WHERE rowid = {row})"
    return staged


def _insert_sheet(con: duckdb.DuckDBPyConnection, name: str, title: str, columns: list[str],
                  header: list[str], rows: Iterator[tuple[int, tuple[Any, ...]]]) -> None:
    """Append the rows of one sheet (columns ``header``) to the staging table, in blocks."""
    import pyarrow as pa

    keys = ["".join(h.split()).lower() for h in header]
    order = [keys.index("".join(c.split()).lower()) for c in columns]
    schema = pa.schema([("__line", pa.int64()), ("__sheet", pa.string())]
                       + [(c, pa.string()) for c in columns])
    chunk: list[list[Any]] = []

    def flush() -> None:
        if chunk:
            batch = pa.Table.from_pylist(
                [dict(zip(schema.names, row, strict=True)) for row in chunk], schema=schema)
            con.register(f"{name}__batch", batch)
            con.execute(f"INSERT INTO {quote(name)} SELECT * FROM {quote(name + '__batch')}")
            con.unregister(f"{name}__batch")
            chunk.clear()

    for number, values in rows:
        cells = [_cell_text(v) for v in values] + [None] * len(header)
        picked = [cells[i] for i in order]
        if any(v is not None for v in picked):
            chunk.append([number, title, *picked])
        if len(chunk) >= XLSX_CHUNK_ROWS:
            flush()
    flush()


def workdir() -> tempfile.TemporaryDirectory[str]:
    """A temporary folder for transcoded copies."""
    return tempfile.TemporaryDirectory(prefix="valuecrm-ingest-")
