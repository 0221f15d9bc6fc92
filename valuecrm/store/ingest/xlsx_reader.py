"""Reading Excel workbooks (.xlsx) into a staging table: one sheet, or every sheet with the
first sheet's columns stacked, each record keeping its sheet row number (see :mod:`.readers`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from valuecrm.errors import SourceError
from valuecrm.store.ingest.staged_table import Staged, quote

if TYPE_CHECKING:
    import duckdb


XLSX_CHUNK_ROWS = 20_000


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
