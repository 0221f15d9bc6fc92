"""Customer lists kept as Parquet files while the snapshots stay the same (issue 16, point 7).

A list (retention, win-back, next best products, up-sell) has a row per customer or offer:
hundreds of thousands of rows on a large base. It is computed once in the engine and written by
DuckDB to a file (``COPY``, in the list's order, under DuckDB's memory cap); the interfaces then
read a page of it (``LIMIT``/``OFFSET``), its few totals, or stream it to a CSV or Parquet file,
and no step holds the whole list as Python rows. The files live in the temporary folder, one
folder per database file and state of its snapshots (:func:`valuecrm.views.answer_cache.kept`
keeps the handle); a new folder removes those of the database's old states and of database
files that no longer exist.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import ibis.expr.types as ir

from valuecrm.store.csv_export import midnight_columns
from valuecrm.views._plain import plain
from valuecrm.views.answer_cache import generation, kept

__all__ = ["StoredList", "distinct_count", "filtered_list", "iter_rows", "list_file", "list_pages",
           "list_rows", "store_list", "totals", "value_counts", "write_list"]

PAGE = 10_000  # rows per page when a whole list is read a page at a time
FETCH = 10_000  # rows fetched from DuckDB at once
SOURCE = "database.txt"  # in each folder: the database file its lists come from
_process_folder: list[str] = []


@dataclass(frozen=True)
class StoredList:
    """A list written to ``path``: its ``rows``, ``columns``, the date-time columns that hold
    only midnights (written as dates to CSV) and ``facts`` (small totals of the list, plain
    data; never changed once made)."""

    path: str
    rows: int
    columns: tuple[str, ...]
    midnight_columns: tuple[str, ...] = ()
    facts: dict[str, Any] = field(default_factory=dict)

    def __deepcopy__(self, memo: dict[int, Any]) -> StoredList:
        return self  # a handle: the file does not change


def _literal(path: str | Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _scan(stored: StoredList) -> str:
    return f"read_parquet({_literal(stored.path)})"


def _folder(database: Any) -> Path:
    """The folder of this database file's lists in the current state of its snapshots."""
    state = generation(database)
    if state[0] is None:  # an in-memory database: one folder for the process
        if not _process_folder:
            _process_folder.append(tempfile.mkdtemp(prefix="valuecrm-lists-"))
            atexit.register(shutil.rmtree, _process_folder[0], True)
        return Path(_process_folder[0])
    root = Path(tempfile.gettempdir()) / f"valuecrm-lists-{os.getuid()}"
    base = hashlib.md5(str(state[0]).encode()).hexdigest()[:16]
    here = root / f"{base}-{hashlib.md5(repr(state[1]).encode()).hexdigest()[:16]}"
    if not here.is_dir():
        here.mkdir(parents=True, exist_ok=True)
        (here / SOURCE).write_text(str(state[0]), encoding="utf-8")
        for old in root.iterdir():
            if old != here and old.is_dir() and (old.name.startswith(f"{base}-")
                                                 or _orphan(old)):
                shutil.rmtree(old, ignore_errors=True)
    return here


def _orphan(folder: Path) -> bool:
    """Whether ``folder`` holds the lists of a database file that no longer exists."""
    try:
        return not Path(folder.joinpath(SOURCE).read_text(encoding="utf-8")).exists()
    except OSError:
        return False


def _write(database: Any, target: Path, copy: Callable[[str], None],
           facts: Callable[[StoredList], dict[str, Any]] | None) -> StoredList:
    """Run ``copy(partial_path)`` (it writes the rows), rename the file into place, read its
    row count, columns and ``facts``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.part")  # one per writer
    try:
        copy(str(partial))
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    raw = database.raw
    rows = int(raw.execute(f"SELECT count(*) FROM read_parquet({_literal(target)})")
               .fetchone()[0])
    described = raw.execute(f"DESCRIBE SELECT * FROM read_parquet({_literal(target)})").fetchall()
    columns = tuple(row[0] for row in described)
    midnight = midnight_columns(raw, f"read_parquet({_literal(target)})")
    stored = StoredList(str(target), rows, columns, midnight)
    if facts is None:
        return stored
    return StoredList(stored.path, rows, columns, midnight, plain(facts(stored)))


def _name(name: str, args: tuple[Any, ...], suffix: str = ".parquet") -> str:
    return f"{name}-{hashlib.md5(repr(args).encode()).hexdigest()[:16]}{suffix}"


def list_file(database: Any, name: str, args: tuple[Any, ...], suffix: str) -> Path:
    """Where a file of ``name`` for these ``args`` lives beside the lists of the current
    state of the snapshots (removed with them when the snapshots change)."""
    return _folder(database) / _name(name, args, suffix)


def store_list(database: Any, name: str, build: Callable[[], tuple[ir.Table, dict[str, Any]]],
               *args: Any, facts: Callable[[StoredList], dict[str, Any]] | None = None
               ) -> StoredList:
    """The list ``build()`` makes (an ordered Ibis expression on ``database`` and facts known
    while building it), written once per state of the snapshots for these ``args``; ``facts``
    adds totals read from the file."""

    def compute() -> StoredList:
        target = _folder(database) / _name(name, args)
        made: dict[str, Any] = {}

        def copy(path: str) -> None:
            table, known = build()
            made.update(known)
            database.con.to_parquet(table, path)

        stored = _write(database, target, copy, facts)
        return StoredList(stored.path, stored.rows, stored.columns, stored.midnight_columns,
                          {**plain(made), **stored.facts})

    found = kept(database, f"stored_lists.{name}", compute, *args)
    return found if Path(found.path).exists() else compute()  # removed meanwhile: again


def filtered_list(database: Any, stored: StoredList, conditions: list[str], params: list[Any],
                  top: int | None, *,
                  facts: Callable[[StoredList], dict[str, Any]] | None = None) -> StoredList:
    """The rows of ``stored`` (aliased ``l``) that meet the SQL ``conditions`` (with their
    ``params``), in its order, the first ``top``; written beside it once per state."""
    name = Path(stored.path).stem

    def compute() -> StoredList:
        target = Path(stored.path).with_name(_name(f"{name}-where",
                                                   (conditions, params, top)))
        query = (f"SELECT l.* FROM {_scan(stored)} l WHERE "
                 + " AND ".join(conditions or ["true"])
                 + ("" if top is None else f" LIMIT {int(top)}"))

        def copy(path: str) -> None:
            database.raw.execute(f"COPY ({query}) TO {_literal(path)} (FORMAT parquet)",
                                 params)

        out = _write(database, target, copy, facts)
        return StoredList(out.path, out.rows, out.columns, out.midnight_columns,
                          {**stored.facts, **out.facts})

    found = kept(database, f"stored_lists.{name}.where", compute, tuple(conditions),
                 tuple(params), top)
    return found if Path(found.path).exists() else compute()


def list_rows(database: Any, stored: StoredList, offset: int = 0,
              limit: int | None = None) -> list[dict[str, Any]]:
    """Rows ``offset`` to ``offset + limit`` of ``stored`` (all from ``offset`` without a
    limit: for a small list; :func:`iter_rows` and :func:`list_pages` stream a long one) as
    plain dicts, in the list's order, fetched :data:`FETCH` rows at a time."""
    cursor = database.raw.execute(_page_query(stored, offset, limit))
    return [row for batch in _fetched(cursor, FETCH) for row in batch]


def iter_rows(database: Any, stored: StoredList, offset: int = 0, limit: int | None = None,
              *, size: int = FETCH) -> Iterator[dict[str, Any]]:
    """The rows of :func:`list_rows`, one at a time: one query streamed ``size`` rows at a
    time on a cursor of its own (other queries may run on the database meanwhile), so a
    list of any length is read with one batch in memory."""
    cursor = database.raw.cursor()
    try:
        cursor.execute(_page_query(stored, offset, limit))
        for batch in _fetched(cursor, size):
            yield from batch
    finally:
        cursor.close()


def list_pages(database: Any, stored: StoredList, size: int = PAGE
               ) -> Iterator[list[dict[str, Any]]]:
    """The rows of ``stored`` ``size`` at a time (plain dicts), in the list's order (one
    streamed query, :func:`iter_rows`)."""
    rows = iter_rows(database, stored, size=size)
    while page := list(islice(rows, size)):
        yield page


def _page_query(stored: StoredList, offset: int, limit: int | None) -> str:
    return (f"SELECT * FROM {_scan(stored)}"
            + ("" if limit is None else f" LIMIT {int(limit)}") + f" OFFSET {int(offset)}")


def _fetched(cursor: Any, size: int) -> Iterator[list[dict[str, Any]]]:
    """The rows of the executed ``cursor`` as plain dicts, ``size`` at a time (DuckDB streams
    the result: never the whole of it as Python tuples)."""
    names = [d[0] for d in cursor.description]
    while batch := cursor.fetchmany(size):
        yield [{name: plain(value) for name, value in zip(names, row, strict=True)}
               for row in batch]


def value_counts(database: Any, stored: StoredList, *columns: str) -> list[tuple[Any, ...]]:
    """(values of ``columns``..., rows) per distinct value, most rows first, ties in the order
    each value first appears in the list (as pandas' ``value_counts`` orders them)."""
    names = ", ".join(f'"{c}"' for c in columns)
    found = database.raw.execute(
        f"SELECT {names}, count(*) AS n FROM read_parquet({_literal(stored.path)}, "
        f"file_row_number = true) GROUP BY {names} ORDER BY n DESC, min(file_row_number)"
    ).fetchall()
    return [tuple(row) for row in found]


def totals(database: Any, stored: StoredList, value: str, *by: str) -> list[tuple[Any, ...]]:
    """(values of ``by``..., rows, sum of ``value``) per group of ``by`` (one row, the whole
    list, without ``by``), the largest sum first, ties by the groups' values."""
    names = ", ".join(f'"{c}"' for c in by)
    group = f" GROUP BY {names} ORDER BY total DESC, {names}" if by else ""
    found = database.raw.execute(
        f"SELECT {names + ', ' if by else ''}count(*) AS n, sum(\"{value}\") AS total "
        f"FROM {_scan(stored)}{group}").fetchall()
    return [tuple(row) for row in found]


def distinct_count(database: Any, stored: StoredList, column: str) -> int:
    """The distinct values of ``column`` in ``stored`` (counted by DuckDB)."""
    return int(database.raw.execute(f'SELECT count(DISTINCT "{column}") FROM {_scan(stored)}')
               .fetchone()[0])


def write_list(database: Any, stored: StoredList, target: str | Path) -> int:
    """Stream ``stored`` to ``target`` by its extension: ``.csv`` for people
    (:func:`valuecrm.store.csv_export.write_csv`: UTF-8 with a BOM; date-times holding only
    midnights written as dates) or ``.parquet``; the rows written."""
    from valuecrm.store.csv_export import with_dates, write_csv
    from valuecrm.store.parquet_export import write_parquet

    if str(target).lower().endswith(".csv"):
        return write_csv(database.raw, with_dates(_scan(stored), stored.midnight_columns),
                         target)
    return write_parquet(database.raw, f"SELECT * FROM {_scan(stored)}", target)

