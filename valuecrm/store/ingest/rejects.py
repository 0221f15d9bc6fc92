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
    return source.with_name(f"{source.stem}.rejects.csv")


def _free_names(taken: list[str], wanted: tuple[str, ...]) -> list[str]:
    names = []
    for name in wanted:
        while name in taken or name in names:
            name = "_" + name
        names.append(name)
    return names


def write_rejects(con: duckdb.DuckDBPyConnection, staged: Staged, bad: str,
                  target: Path) -> Path:
    line, column, reason = _free_names(staged.columns, ("line", "column", "reason"))
    originals = ", ".join(f"s.{quote(c)}" for c in staged.columns)
    blanks = ", ".join(f"NULL AS {quote(c)}" for c in staged.columns)
    query = (
        f"SELECT {originals}, b.line AS {quote(line)}, b.cols AS {quote(column)}, "
        f"b.whys AS {quote(reason)} FROM (SELECT err_row, min(line) AS line, "
        f"string_agg(col, '; ' ORDER BY pos) AS cols, string_agg(why, '; ' ORDER BY pos) AS whys"
        f" FROM {quote(bad)} WHERE err_row IS NOT NULL GROUP BY err_row) b "
        f"JOIN {quote(staged.table)} s ON s.rowid = b.err_row "
        f"UNION ALL SELECT {blanks}, line, col, why || ': ' || coalesce(val, '') "
        f"FROM {quote(bad)} WHERE err_row IS NULL ORDER BY {quote(line)}")
    write_csv(con, query, target)
    return target
