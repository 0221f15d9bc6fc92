"""Reading CSV and TSV files (gzip too) into a staging table, with their encoding and the line
number of every record (see :mod:`.readers`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from valuecrm.errors import SourceError
from valuecrm.store.ingest.encoding import UTF8, detect_encoding, is_utf8, transcode_to_utf8
from valuecrm.store.ingest.lines import has_inner_blank_lines, map_record_lines
from valuecrm.store.ingest.staged_table import Staged, _compression, literal, quote

if TYPE_CHECKING:
    import duckdb


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
