"""The rejects file of a load in skip mode: ``<input stem>.rejects.csv`` beside the input.

One line per bad input row: the row's original columns as read, then ``line`` (in the input),
``column`` and ``reason`` (several problems on one row are joined with "; "). A row DuckDB could
not parse at all has empty columns and its raw text in the reason. The file is written for
people by :func:`valuecrm.store.csv_export.write_csv` (UTF-8 with a byte-order mark, so that
Excel shows Chinese; booleans ``true`` / ``false``).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from valuecrm.store.csv_export import write_csv
from valuecrm.store.ingest.readers import Staged, quote


def rejects_path(source: Path) -> Path:
    """``sales.rejects.csv`` beside ``sales.csv``, ``sales.csv.gz`` or ``sales.zip``."""
    stem = Path(source.stem).stem if source.suffix.lower() == ".gz" else source.stem
    return source.with_name(f"{stem}.rejects.csv")


def _free_names(taken: list[str], wanted: tuple[str, ...]) -> list[str]:
    names = []
    for name in wanted:
        while name in taken or name in names:
            name = "_" + name
        names.append(name)
    return names


def write_rejects(con: duckdb.DuckDBPyConnection, staged: Staged, bad: str,
                  target: Path) -> Path:
    line, column, reason, sheet = _free_names(staged.columns,
                                              ("line", "column", "reason", "sheet"))
    originals = ", ".join(f"s.{quote(c)}" for c in staged.columns)
    blanks = ", ".join(f"NULL AS {quote(c)}" for c in staged.columns)
    # Stacked Excel sheets: the sheet of each row before its line, rows in workbook order.
    sheets = f"s.__sheet AS {quote(sheet)}, " if staged.sheet_of else ""
    query = (
        f"SELECT {originals}, {sheets}b.line AS {quote(line)}, b.cols AS {quote(column)}, "
        f"b.whys AS {quote(reason)}, b.err_row AS __order FROM (SELECT err_row, min(line) AS "
        f"line, string_agg(col, '; ' ORDER BY pos) AS cols, string_agg(why, '; ' ORDER BY pos)"
        f" AS whys FROM {quote(bad)} WHERE err_row IS NOT NULL GROUP BY err_row) b "
        f"JOIN {quote(staged.table)} s ON s.rowid = b.err_row "
        f"UNION ALL SELECT {blanks}, {'NULL, ' if sheets else ''}line, col, "
        f"why || ': ' || coalesce(val, ''), NULL FROM {quote(bad)} WHERE err_row IS NULL")
    order = "__order" if sheets else quote(line)
    query = f"SELECT * EXCLUDE (__order) FROM ({query}) ORDER BY {order}"
    write_csv(con, query, target)
    return target
