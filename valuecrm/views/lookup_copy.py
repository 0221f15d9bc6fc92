"""A copy of the per-customer tables stored in customer order, for the lookups of a server.

A 360 view, a customer's page and a search read one customer's rows (``WHERE customer_id =
?``). The base tables keep rows in load order, so each such read scans them all (about 300 ms
over 9.9M orders). In a copy sorted by customer the same read takes a millisecond or two:
DuckDB keeps the smallest and largest value of each column per row group (zone maps) and
skips every group that cannot hold the customer. The copy also holds the lower-cased id, name
and e-mail of every customer, so a search does not lower-case a million names each time.

The copy is a DuckDB file in a temporary directory, attached to the server's database under an
alias starting with :data:`PREFIX`, never a table of the user's database: loads do not have to
maintain it. It is valid only while nothing is written: the server drops it
(:func:`drop_copies`) when a write starts and builds a new one (:func:`build_copy`) when the
writes are over. The lookups read it when it is ready (:func:`lookup_table`) and the base
tables otherwise, with the same SQL, so the answers are the same.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from valuecrm.views.answer_cache import pin_generation, unpin_generation
from valuecrm.views.search_index import SearchIndex, build_index
from valuecrm.views.temp_folders import process_folder

PREFIX = "valuecrm_lookups_"
# tables read one customer at a time, copied whole and sorted by customer
TABLES = ("orders", "customer_value", "interactions", "complaints", "survey_responses",
          "loyalty_ledger", "customer_attributes")
SEARCH_TABLE = "customer_search"
SEARCHED = ("customer_id", "name", "email")  # the customers columns a search may read
# rows per row group of a copy: DuckDB's zone maps skip whole groups, so a customer's read
# scans one group of this many rows (its default, 122,880, costs several times more per read)
ROW_GROUP_SIZE = 8192

_lock = threading.Lock()  # between a copy marked ready and the copies dropped
_numbers = itertools.count(1)
_files: dict[str, Path] = {}  # alias -> its temporary directory
_ready: dict[str, frozenset[str]] = {}  # alias of a copy ready to read -> its tables
_indexes: dict[str, SearchIndex] = {}  # alias -> the search index built with it
_columns: dict[tuple[str, str], tuple[str, ...]] = {}  # (alias, table) -> its column names


@dataclass(frozen=True)
class Sources:
    """Where one request reads the per-customer tables: the ready copy (``alias``, holding
    ``copied``) or, without one, the base tables. Found once per request
    (:func:`lookup_sources`) and handed to every read of it."""

    alias: str | None
    copied: frozenset[str] = frozenset()

    def table(self, table: str) -> str:
        """The name to read ``table`` (one of :data:`TABLES`) by customer from."""
        return f'"{self.alias}".main.{table}' if table in self.copied else table

    @property
    def profiles(self) -> str:
        """The customers table to read one customer's profile columns from (the copy's is
        stored in id order)."""
        return self.table(SEARCH_TABLE) if SEARCH_TABLE in self.copied else "customers"

    def tables(self, cursor: Any) -> set[str]:
        """The tables of the database (a copy holds every per-customer table it has)."""
        if self.alias is not None:
            return set(self.copied)
        return {r[0] for r in cursor.execute("SELECT table_name FROM duckdb_tables() WHERE "
                                             "database_name = current_database()").fetchall()}

    def columns(self, cursor: Any, table: str) -> tuple[str, ...]:
        """The column names of ``table`` (one of :data:`TABLES`) as :meth:`table` reads it
        (kept per copy: a copy never changes)."""
        key = (self.alias or "", table)
        if self.alias is not None and table in self.copied and key in _columns:
            return _columns[key]
        found = tuple(d[0] for d in cursor.execute(
            f"SELECT * FROM {self.table(table)} LIMIT 0").description)
        if self.alias is not None and table in self.copied:
            _columns[key] = found
        return found


def lookup_sources(cursor: Any) -> Sources:
    """Where this cursor's database reads its per-customer tables now (one catalog query)."""
    found = ready_copy(cursor)
    return Sources(None) if found is None else Sources(found[0], found[1])


def ready_copy(cursor: Any) -> tuple[str, frozenset[str]] | None:
    """The alias of the copy that is ready on this cursor's database and the tables it holds,
    or None."""
    for (alias,) in cursor.execute("SELECT database_name FROM duckdb_databases() WHERE "
                                   "starts_with(database_name, ?)", [PREFIX]).fetchall():
        tables = _ready.get(alias)
        if tables is not None:
            return alias, tables
    return None


def lookup_table(cursor: Any, table: str) -> str:
    """The name to read ``table`` (one of :data:`TABLES`) by customer from: the ready copy's,
    or the base table when there is no copy."""
    return lookup_tables(cursor)[table]


def lookup_tables(cursor: Any) -> dict[str, str]:
    """:func:`lookup_table` of every table of :data:`TABLES` (one catalog query)."""
    sources = lookup_sources(cursor)
    return {t: sources.table(t) for t in TABLES}


def search_source(cursor: Any, fields: tuple[str, ...]) -> tuple[str, dict[str, str]]:
    """Where to search ``fields`` (customers columns): the table and, per field, the SQL of its
    lower-cased value (the copy's stored column, or ``lower(field)`` on the customers)."""
    found = ready_copy(cursor)
    if found is not None and SEARCH_TABLE in found[1] and set(fields) <= set(SEARCHED):
        return f'"{found[0]}".main.{SEARCH_TABLE}', {f: f"{f}_lower" for f in fields}
    return "customers", {f: f"lower({f})" for f in fields}


def search_index(cursor: Any) -> tuple[str, SearchIndex] | None:
    """The ready copy's customer table (profile columns in id order) and its search index,
    or None."""
    found = ready_copy(cursor)
    index = _indexes.get(found[0]) if found is not None else None
    return (f'"{found[0]}".main.{SEARCH_TABLE}', index) if index is not None else None


def build_copy(cursor: Any, current: Callable[[], bool]) -> str | None:
    """Copy the per-customer tables of this cursor's database into a new file sorted by
    customer (rows of one customer in stored order), then mark it ready and drop the older
    copies, if ``current()`` still holds (nothing was written meanwhile); otherwise discard it.
    Returns the new copy's alias, or None when discarded. Tables the database lacks are not
    copied (their lookups read the base table)."""
    alias = f"{PREFIX}{os.getpid()}_{next(_numbers)}"
    directory = process_folder("valuecrm-lookups-")  # removes those of crashed servers
    _files[alias] = directory
    cursor.execute(f"ATTACH '{directory / 'lookups.duckdb'}' AS \"{alias}\" "
                   f"(ROW_GROUP_SIZE {ROW_GROUP_SIZE})")
    try:
        present = {r[0] for r in cursor.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = 'main'").fetchall()}
        copied = set()
        for table in TABLES:
            if table in present and current():
                copied.add(table)
                cursor.execute(f'CREATE TABLE "{alias}".main.{table} AS SELECT * FROM '
                               f"main.{table} ORDER BY customer_id, rowid")
        if "customers" in present and current():
            lowered = ", ".join(f"lower({c}) AS {c}_lower" for c in SEARCHED)
            cursor.execute(f'CREATE TABLE "{alias}".main.{SEARCH_TABLE} AS SELECT *, '
                           f"{lowered} FROM main.customers ORDER BY customer_id")
            copied.add(SEARCH_TABLE)
            index = build_index(cursor, f'"{alias}".main.{SEARCH_TABLE}', SEARCHED)
            if index is not None:
                _indexes[alias] = index
        with _lock:
            if current():
                # nothing is written while the copy is attached: the kept answers' check
                # reads the snapshots once (answer_cache.pin_generation)
                pin_generation(cursor, alias)
                _ready[alias] = frozenset(copied)
                for old in _aliases(cursor):
                    if old != alias:
                        _detach(cursor, old)
                return alias
    except BaseException:
        _detach(cursor, alias)
        raise
    _detach(cursor, alias)
    return None


def drop_copies(cursor: Any) -> None:
    """Detach and delete every copy of this cursor's database (something is being written)."""
    with _lock:
        for alias in _aliases(cursor):
            _detach(cursor, alias)


def _aliases(cursor: Any) -> list[str]:
    return [r[0] for r in cursor.execute("SELECT database_name FROM duckdb_databases() WHERE "
                                         "starts_with(database_name, ?)", [PREFIX]).fetchall()]


def _detach(cursor: Any, alias: str) -> None:
    _ready.pop(alias, None)
    unpin_generation(alias)
    _indexes.pop(alias, None)
    for key in [k for k in _columns if k[0] == alias]:
        _columns.pop(key, None)
    with contextlib.suppress(Exception):  # detached already, or the database is closed
        cursor.execute(f'DETACH DATABASE IF EXISTS "{alias}"')
    directory = _files.pop(alias, None)
    if directory is not None:
        shutil.rmtree(directory, ignore_errors=True)
