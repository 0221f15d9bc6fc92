"""Answers kept while the snapshots stay the same: a snapshot never changes once written, and
figures over a million customers take seconds. The one cache of the read layer: the CLI's and
the API's figures and the dashboard's pages all keep their answers here."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import duckdb

from valuecrm.store.snapshots import SNAPSHOTS_TABLE

Result = TypeVar("Result")
_kept: dict[Any, Any] = {}
_lock = threading.Lock()


class Shared:
    """A large part of a kept answer given to every caller as it is, not copied (a copy of a
    hundred thousand rows per request costs more than computing a page): ``value`` must never
    be changed; callers copy the few rows they hand on."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __deepcopy__(self, memo: dict[int, Any]) -> Shared:
        return self


def generation(database: Any) -> tuple[Any, ...]:
    """The database file and its snapshots (id, creation time, a digest of the metadata, which
    holds the run's timings): what kept answers rest on. ``database`` is a
    :class:`~valuecrm.store.Database` or a DuckDB connection (a request's cursor)."""
    raw = database if isinstance(database, duckdb.DuckDBPyConnection) else database.raw
    path = raw.execute("SELECT path FROM duckdb_databases() WHERE database_name = "
                       "current_database()").fetchone()
    try:
        found = raw.execute(f"SELECT snapshot_id, created_at, md5(metadata) FROM "
                            f"{SNAPSHOTS_TABLE} ORDER BY snapshot_id").fetchall()
    except duckdb.CatalogException:
        found = []
    return (path[0] if path else None, tuple(found))


def kept(database: Any, name: str, compute: Callable[[], Result], *args: Any) -> Result:
    """``compute()``, or its answer kept from an earlier call with the same ``name`` and
    ``args`` while the database's snapshots are the same (never for an in-memory database).
    Every caller shares one store: ``name`` must say whose answer it is (e.g. the function's
    qualified name). Each call gets its own copy, so a caller that changes its answer (an
    interface masking names for a viewer) never changes the kept one."""
    current = generation(database)
    if current[0] is None:
        return compute()
    key = (current, name, args)
    with _lock:
        if key in _kept:
            return copy.deepcopy(_kept[key])
    value = compute()
    with _lock:
        for old in [k for k in _kept if k[0][0] == current[0] and k[0] != current]:
            del _kept[old]
        _kept[key] = value
    return copy.deepcopy(value)
