"""The rejects file of a load in skip mode: ``<input stem>.rejects.csv`` beside the input.

One line per bad input row: the row's original columns as read, then ``line`` (in the input),
``column`` and ``reason`` (several problems on one row are joined with "; "). A row DuckDB could
not parse at all has empty columns and its raw text in the reason. The file is UTF-8; it starts
with a byte-order mark when the input was not plain UTF-8 (so that Excel opens it correctly).
"""

from __future__ import annotations

import codecs
import os
import shutil
from pathlib import Path

import duckdb

from valuecrm.store.ingest.readers import Staged, literal, quote


def rejects_path(source: Path) -> Path:
    return source.with_name(f"{source.stem}.rejects.csv")


def _free_names(taken: list[str], wanted: tuple[str, ...]) -> list[str]:
    names = []
    for name in wanted:
        while name in taken or name in names:
            name = "_" + name
        names.append(name)
    return names


def write_rejects(con: duckdb.DuckDBPyConnection, staged: Staged, bad: str, target: Path,
                  bom: bool) -> Path:
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
    partial = target.with_name(target.name + ".part")
    con.execute(f"COPY ({query}) TO {literal(str(partial))} (FORMAT csv, HEADER true)")
    if bom:
        with_bom = target.with_name(target.name + ".bom")
        with with_bom.open("wb") as out, partial.open("rb") as copied:
            out.write(codecs.BOM_UTF8)
            shutil.copyfileobj(copied, out, 1 << 20)
        partial.unlink()
        partial = with_bom
    os.replace(partial, target)
    return target
