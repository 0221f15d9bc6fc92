"""A copy of the per-customer tables in customer order, for the lookups of a server.

A 360 view, a customer's page and a search read one customer's rows (``WHERE customer_id =
?``). The base tables keep rows in load order, so each such read scans them all (about 300 ms
over 9.9M orders), and even a table sorted by customer costs DuckDB 0.3 to 1.5 ms per read
(parsing, planning, a row group of 8,192 rows filtered): eleven reads made a 360 view about
6.5 ms of CPU on a million customers, which held a server to some 180 lookups a second.

The copy is Apache Arrow IPC files in a temporary directory, memory-mapped (the operating
system's page cache holds them, not the server's heap), one per table: the rows of known
customers sorted by customer (a customer's rows in stored order), and per table where each
customer's rows start. A read is then a binary search of the customer among the sorted ids
(:mod:`valuecrm.views.sorted_ids`) and a slice: 0.05 to 0.2 ms, and the same rows, in the same
order, as DuckDB reads them from the base table (checked by ``tests/views/test_lookup_copy.py``).
The customers' file also holds the lower-cased id, name and e-mail, from which the search index
(:mod:`valuecrm.views.search_index`) is built, so a search finds exactly what ``contains(
lower(field), q)`` finds.

Nothing of the copy is one Python object per customer, and nothing table-sized sits in the
server's heap: the ids' search keys, where each customer's rows start and the search texts are
``.npy`` and text files of the same directory, memory-mapped, each built one record batch at a
time (:mod:`valuecrm.views.mapped_arrays`).

The copy never belongs to the user's database: loads do not maintain it. It is valid only
while nothing is written: the server drops it (:func:`drop_copies`) when a write starts and
builds a new one (:func:`build_copy`) when the writes are over. While it is ready, an empty
in-memory database is attached under its alias (starting with :data:`PREFIX`), so a cursor
finds out in one catalog query whether its database has one (:func:`lookup_sources`); the
lookups read the base tables otherwise, with the same answers.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import shutil
import tempfile
import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from valuecrm.store import Database
from valuecrm.store.snapshots import Snapshot, list_snapshots, snapshot_by_id
from valuecrm.views.answer_cache import adopt_pin, pin_generation, unpin_generation
from valuecrm.views.copy_files import export, row_starts
from valuecrm.views.search_index import SearchIndex, index_of
from valuecrm.views.sorted_ids import SortedIds, sorted_ids
from valuecrm.views.temp_folders import process_folder

PREFIX = "valuecrm_lookups_"
# tables read one customer at a time, copied whole and sorted by customer
TABLES = ("orders", "customer_value", "interactions", "complaints", "survey_responses",
          "loyalty_ledger", "customer_attributes")
SEARCHED = ("customer_id", "name", "email")  # the customers columns a search may read
logger = logging.getLogger("valuecrm.api")


@dataclass(frozen=True)
class LookupCopy:
    """One write epoch's copy: the customers (every column, and ``{field}_lower`` of each
    :data:`SEARCHED` field) in id order, and per copied table its rows of those customers in
    customer order with, per customer position k, their range ``starts[table][k]`` to
    ``starts[table][k + 1]``. Every part is memory-mapped from the copy's files."""

    ids: SortedIds  # customer ids, ascending (as DuckDB orders them: by UTF-8 bytes)
    customers: pa.Table
    tables: dict[str, pa.Table]
    starts: dict[str, np.ndarray]  # table -> int64, one more than the customers
    present: frozenset[str]  # the per-customer tables (and customers) the database had
    index: SearchIndex | None
    # the snapshots by id, read when the copy was built (none is written while it is ready)
    snapshots: dict[int, Snapshot] = field(default_factory=dict)

    def position(self, customer_id: str) -> int | None:
        """Where ``customer_id`` is among :attr:`ids` (its first row), or None."""
        return self.ids.position(customer_id)

    def rows(self, table: str, customer_id: str,
             columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """The customer's rows of ``table`` (``columns``, all by default), in stored order."""
        k = self.position(customer_id)
        if k is None:
            return []
        start, end = int(self.starts[table][k]), int(self.starts[table][k + 1])
        if start == end:
            return []
        part = self.tables[table].slice(start, end - start)
        return (part.select(list(columns)) if columns else part).to_pylist()

    def profiles(self, positions: Sequence[int], columns: Sequence[str]
                 ) -> list[dict[str, Any]]:
        """The ``columns`` of the customers at ``positions`` (of :attr:`ids`), in that order,
        read run by run of consecutive positions (the matches of a search by a piece of an id
        are neighbours; ``take`` on a memory-mapped table of many batches copies them)."""
        found: list[dict[str, Any]] = []
        run: list[int] = []
        for k in [*(int(p) for p in positions), -1]:  # runs of consecutive positions
            if run and k == run[-1] + 1:
                run.append(k)
                continue
            if len(run) > 2:  # a slice of the run, converted at once
                found += self.customers.slice(run[0], len(run)).select(list(columns)).to_pylist()
            elif run:  # a slice costs more than a few values one by one
                found += self._values(run, columns)
            run = [k]
        return found

    def _values(self, positions: list[int], columns: Sequence[str]) -> list[dict[str, Any]]:
        bounds = np.cumsum([0, *(len(c) for c in self.customers.column(0).chunks)])
        chunk = (np.searchsorted(bounds, positions, side="right") - 1).tolist()
        local = (np.asarray(positions, dtype=np.int64) - bounds[chunk]).tolist()
        found: list[dict[str, Any]] = [{} for _ in chunk]
        for name in columns:
            chunks = self.customers.column(name).chunks
            for row, i, j in zip(found, chunk, local, strict=True):
                row[name] = chunks[i][j].as_py()
        return found


@dataclass(frozen=True)
class Sources:
    """Where one request reads the per-customer tables: the ready copy, or without one the
    base tables. Found once per request (:func:`lookup_sources`) and handed to every read."""

    copy: LookupCopy | None = None

    def rows(self, cursor: Any, table: str, customer_id: str,
             columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """The customer's rows of ``table`` (one of :data:`TABLES`), ``columns`` (all by
        default), in stored order, as DuckDB gives them (NaN kept)."""
        if self.copy is not None and table in self.copy.tables:
            return self.copy.rows(table, customer_id, columns)
        result = cursor.execute(f"SELECT {', '.join(columns) if columns else '*'} FROM "
                                f"{table} WHERE customer_id = ?", [customer_id])
        names = [d[0] for d in result.description]
        return [dict(zip(names, row, strict=True)) for row in result.fetchall()]

    def profile(self, cursor: Any, customer_id: str,
                columns: Sequence[str]) -> dict[str, Any] | None:
        """The customer's ``columns`` of the customers table, or None for an unknown id."""
        if self.copy is not None:
            k = self.copy.position(customer_id)
            return None if k is None else self.copy.profiles([k], columns)[0]
        result = cursor.execute(f"SELECT {', '.join(columns)} FROM customers WHERE "
                                "customer_id = ?", [customer_id])
        found = result.fetchone()
        return None if found is None else dict(zip(columns, found, strict=True))

    def tables(self, cursor: Any) -> set[str]:
        """The tables of the database (a copy knows which per-customer tables it had)."""
        if self.copy is not None:
            return set(self.copy.present)
        return {r[0] for r in cursor.execute("SELECT table_name FROM duckdb_tables() WHERE "
                                             "database_name = current_database()").fetchall()}

    def columns(self, cursor: Any, table: str) -> tuple[str, ...]:
        """The column names of ``table`` (one of :data:`TABLES`)."""
        if self.copy is not None and table in self.copy.tables:
            return tuple(self.copy.tables[table].column_names)
        return tuple(d[0] for d in cursor.execute(
            f"SELECT * FROM {table} LIMIT 0").description)


_lock = threading.Lock()  # between a copy marked ready and the copies dropped
_numbers = itertools.count(1)
_files: dict[str, Path] = {}  # alias -> its temporary directory
_ready: dict[str, LookupCopy] = {}  # alias of a copy ready to read -> the copy
# a request's cursor -> the alias of the copy found ready for its database (one catalog query
# per cursor; checked against _ready, which loses it when the copy is dropped)
_cursor_copies: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


def lookup_sources(cursor: Any) -> Sources:
    """Where this cursor's database reads its per-customer tables now (one catalog query)."""
    found = ready_copy(cursor)
    return Sources(None if found is None else found[1])


def ready_copy(cursor: Any) -> tuple[str, LookupCopy] | None:
    """The alias of the copy that is ready for this cursor's database, and the copy, or
    None."""
    if not _ready:  # no server in this process (a command line): no query
        return None
    known = _cursor_copies.get(cursor)
    if known is not None and known in _ready:
        return known, _ready[known]
    for (alias,) in cursor.execute("SELECT database_name FROM duckdb_databases() WHERE "
                                   "starts_with(database_name, ?)", [PREFIX]).fetchall():
        copy = _ready.get(alias)
        if copy is not None:
            with contextlib.suppress(TypeError):  # a connection that takes no weak reference
                _cursor_copies[cursor] = alias
            return alias, copy
    return None


def adopt_cursor(cursor: Any, alias: str) -> None:
    """``cursor`` (just made) is of the database the copy ``alias`` was built for: its reads
    find the copy, and the kept answers its pinned generation, without a catalog query (the
    server's cursors; while the copy stays ready)."""
    if alias in _ready:
        _cursor_copies[cursor] = alias
        adopt_pin(cursor, alias)


def snapshot_of(database: Any, snapshot_id: int) -> Snapshot:
    """The snapshot ``snapshot_id`` (a :class:`~valuecrm.store.Database` over a DuckDB
    cursor): from the ready copy, shared (never change it), else read
    (:func:`~valuecrm.store.snapshots.snapshot_by_id`)."""
    found = ready_copy(database.raw) if hasattr(database, "raw") else None
    snapshot = found[1].snapshots.get(int(snapshot_id)) if found is not None else None
    return snapshot if snapshot is not None else snapshot_by_id(database, snapshot_id)


def search_index(cursor: Any) -> LookupCopy | None:
    """The ready copy of this cursor's database if it has a search index, else None."""
    found = ready_copy(cursor)
    return found[1] if found is not None and found[1].index is not None else None


def build_copy(cursor: Any, current: Callable[[], bool]) -> str | None:
    """Copy the per-customer tables of this cursor's database into new memory-mapped files
    sorted by customer (rows of one customer in stored order), then mark the copy ready and
    drop the older ones, if ``current()`` still holds (nothing was written meanwhile);
    otherwise discard it. Returns the new copy's alias, or None when discarded. Tables the
    database lacks, or whose column types Arrow gives back otherwise than DuckDB, are not
    copied (their lookups read the base table)."""
    alias = f"{PREFIX}{os.getpid()}_{next(_numbers)}"
    if not room_for_copy(cursor):
        return None
    directory = process_folder("valuecrm-lookups-")  # removes those of crashed servers
    _files[alias] = directory
    try:
        present = {r[0] for r in cursor.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = 'main'").fetchall()}
        if "customers" not in present or not current():
            _detach(cursor, alias)
            return None
        lowered = ", ".join(f"lower({c}) AS {c}_lower" for c in SEARCHED)
        customers = export(cursor, f"SELECT *, {lowered} FROM main.customers WHERE "
                           "customer_id IS NOT NULL ORDER BY customer_id, rowid",
                           directory / "customers.arrow")
        if customers is None or not pa.types.is_string(
                customers.schema.field("customer_id").type):
            _detach(cursor, alias)  # ids of another type: the lookups cast them in DuckDB
            return None
        ids = sorted_ids(customers.column("customer_id"), directory)
        # each customer's position (its first row when an id is stored twice), computed once
        # for every table (a temporary table of this cursor's own connection)
        known = f"temp.main.{alias}_positions"
        cursor.execute(f"CREATE TEMP TABLE {alias}_positions AS SELECT customer_id, min(k) AS k "
                       "FROM (SELECT customer_id, row_number() OVER (ORDER BY customer_id, "
                       "rowid) - 1 AS k FROM main.customers WHERE customer_id IS NOT NULL) "
                       "GROUP BY customer_id")
        tables, starts = {}, {}
        for table in TABLES:
            if table not in present or not current():
                continue
            rows = export(cursor, f"SELECT t.* FROM main.{table} t SEMI JOIN {known} c "
                          "USING (customer_id) ORDER BY t.customer_id, t.rowid",
                          directory / f"{table}.arrow")
            if rows is None:
                continue
            starts[table] = row_starts(cursor, f"SELECT c.k, count(*) AS n FROM main.{table} "
                                       f"JOIN {known} c USING (customer_id) GROUP BY c.k",
                                       len(ids), directory, table)
            if int(starts[table][-1]) != rows.num_rows:  # cannot happen: same rows joined
                raise RuntimeError(f"lookup copy of {table}: {rows.num_rows} rows copied, "
                                   f"{int(starts[table][-1])} counted")
            tables[table] = rows
        cursor.execute(f"DROP TABLE {known}")
        index = index_of(ids, {f: customers.column(f"{f}_lower") for f in SEARCHED},
                         directory=directory)
        snapshots = {s.snapshot_id: s for s in list_snapshots(Database.over_cursor(cursor))}
        copy = LookupCopy(ids, customers, tables, starts,
                          frozenset(t for t in (*TABLES, "customers") if t in present), index,
                          snapshots)
        with _lock:
            if current():
                cursor.execute(f"ATTACH ':memory:' AS \"{alias}\"")
                # nothing is written while the copy is attached: the kept answers' check
                # reads the snapshots once (answer_cache.pin_generation)
                pin_generation(cursor, alias)
                _ready[alias] = copy
                for old in _aliases(cursor):
                    if old != alias:
                        _detach(cursor, old)
                return alias
    except BaseException:
        _detach(cursor, alias)
        raise
    _detach(cursor, alias)
    return None


def room_for_copy(cursor: Any) -> bool:
    """Whether the temporary directory has room for a copy of this cursor's database: its
    files take about 1.5 times the database file (1.6 GB for 1M customers and 9.9M orders,
    uncompressed so that they can be memory-mapped; the ids' keys, the search texts and the
    arrays of row starts add about 0.13 GB per million customers), so twice the file and 1 GB
    are asked free. Without room the server logs it and its lookups read the base tables."""
    found = cursor.execute("SELECT path FROM duckdb_databases() WHERE database_name = "
                           "current_database()").fetchone()
    if not found or not found[0] or not os.path.exists(found[0]):
        return True  # an in-memory database: small
    needed = 2 * os.path.getsize(found[0]) + 2**30
    free = shutil.disk_usage(tempfile.gettempdir()).free
    if free < needed:
        logger.warning("No lookup copy: the temporary directory %s has %.1f GB free, a copy of "
                       "%s needs about %.1f GB; 360 views and searches read the database "
                       "itself (slower). Free some space or set TMPDIR to a larger disk.",
                       tempfile.gettempdir(), free / 2**30, found[0], needed / 2**30)
        return False
    return True


def drop_copies(cursor: Any) -> None:
    """Detach and delete every copy of this cursor's database (something is being written)."""
    with _lock:
        for alias in _aliases(cursor):
            _detach(cursor, alias)


def _aliases(cursor: Any) -> list[str]:
    return [r[0] for r in cursor.execute("SELECT database_name FROM duckdb_databases() WHERE "
                                         "starts_with(database_name, ?)", [PREFIX]).fetchall()]


def _detach(cursor: Any, alias: str) -> None:
    # a request still reading the copy keeps its mapping: the files go when it lets go
    with contextlib.suppress(Exception):  # made by another cursor, or the database is closed
        cursor.execute(f"DROP TABLE IF EXISTS temp.main.{alias}_positions")
    _ready.pop(alias, None)
    unpin_generation(alias)
    with contextlib.suppress(Exception):  # detached already, or the database is closed
        cursor.execute(f'DETACH DATABASE IF EXISTS "{alias}"')
    directory = _files.pop(alias, None)
    if directory is not None:
        shutil.rmtree(directory, ignore_errors=True)
