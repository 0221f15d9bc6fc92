"""Answers kept while the snapshots stay the same: a snapshot never changes once written, and
figures over a million customers take seconds. The one cache of the read layer: the CLI's and
the API's figures and the dashboard's pages all keep their answers here."""

from __future__ import annotations

import contextlib
import contextvars
import copy
import threading
import weakref
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import duckdb

from valuecrm.store.snapshots import SNAPSHOTS_TABLE

Result = TypeVar("Result")
_kept: dict[Any, Any] = {}
_computing: dict[Any, threading.Event] = {}  # answers being computed, set when done
_lock = threading.Lock()
# attached database (the server's lookup copy) -> the generation read when it was attached
_pinned: dict[str, tuple[Any, ...]] = {}
# a request's cursor -> the pinned database found attached to it (the catalog query once per
# cursor, not once per kept answer; checked against _pinned, which loses it when detached)
_cursor_pins: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()
# set by quick_only(): the caller runs on the server's event loop and must not compute
_quick = contextvars.ContextVar("valuecrm_quick_only", default=False)


class SlowWork(Exception):
    """Under :func:`quick_only`, an answer would be computed rather than read from what is
    kept (or a table scanned): the caller runs the same again where it may take long."""


@contextlib.contextmanager
def quick_only() -> Iterator[None]:
    """Within this block, :func:`slow_work` (a kept answer to compute, a scan) raises
    :class:`SlowWork`: the server answers a lookup on its event loop this way, and in a
    worker thread when it raises (every lookup only reads, so running it again is safe)."""
    token = _quick.set(True)
    try:
        yield
    finally:
        _quick.reset(token)


def slow_work(what: str) -> None:
    """What follows may take long (``what`` says what): :class:`SlowWork` under
    :func:`quick_only`, else nothing."""
    if _quick.get():
        raise SlowWork(what)


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
    :class:`~valuecrm.store.Database` or a DuckDB connection (a request's cursor). While a
    database pinned to it (:func:`pin_generation`) is attached, the one read then."""
    raw = database if isinstance(database, duckdb.DuckDBPyConnection) else database.raw
    known = _cursor_pins.get(raw) if _pinned else None
    if known is not None and known in _pinned:
        return _pinned[known]
    path = None
    for name, where, current in raw.execute(
            "SELECT database_name, path, database_name = current_database() "
            "FROM duckdb_databases()").fetchall():
        pinned = _pinned.get(name)
        if pinned is not None:
            with contextlib.suppress(TypeError):  # a connection that takes no weak reference
                _cursor_pins[raw] = name
            return pinned
        if current:
            path = where
    return _read_generation(raw, path)


def _read_generation(raw: duckdb.DuckDBPyConnection, path: str | None) -> tuple[Any, ...]:
    try:
        found = raw.execute(f"SELECT snapshot_id, created_at, md5(metadata) FROM "
                            f"{SNAPSHOTS_TABLE} ORDER BY snapshot_id").fetchall()
    except duckdb.CatalogException:
        found = []
    return (path, tuple(found))


def pin_generation(cursor: duckdb.DuckDBPyConnection, name: str) -> None:
    """Read the generation of ``cursor``'s database once for as long as the database
    ``name`` stays attached to it (:func:`unpin_generation` when it is detached): the
    server's lookup copy (:mod:`valuecrm.views.lookup_copy`), which is attached only while
    nothing is written. Each kept answer's check is then one catalog query, not two reads."""
    path = cursor.execute("SELECT path FROM duckdb_databases() WHERE database_name = "
                          "current_database()").fetchone()
    found = _read_generation(cursor, path[0] if path else None)
    with _lock:
        _pinned[name] = found


def adopt_pin(cursor: duckdb.DuckDBPyConnection, name: str) -> None:
    """``cursor`` is of the database ``name`` is pinned to (:func:`pin_generation`): its
    kept answers' checks read the pinned generation without a catalog query."""
    if name in _pinned:
        _cursor_pins[cursor] = name


def unpin_generation(name: str) -> None:
    """The database ``name`` is detached: read the generation again (:func:`pin_generation`)."""
    with _lock:
        _pinned.pop(name, None)


def kept(database: Any, name: str, compute: Callable[[], Result], *args: Any) -> Result:
    """``compute()``, or its answer kept from an earlier call with the same ``name`` and
    ``args`` while the database's snapshots are the same (never for an in-memory database).
    Every caller shares one store: ``name`` must say whose answer it is (e.g. the function's
    qualified name). Each call gets its own copy, so a caller that changes its answer (an
    interface masking names for a viewer) never changes the kept one. While one thread
    computes an answer, the others that ask for it wait for it rather than compute it too
    (on a million customers, a server's first lookups asked for the same seconds-long
    referral table at once)."""
    current = generation(database)
    if current[0] is None:
        return compute()
    key = (current, name, args)
    while True:
        with _lock:
            if key in _kept:
                return copy.deepcopy(_kept[key])
            slow_work(name)
            computing = _computing.get(key)
            if computing is None:
                computing = _computing[key] = threading.Event()
                break
        computing.wait()  # then read it, or compute it if that call failed
    try:
        value = compute()
        with _lock:
            for old in [k for k in _kept if k[0][0] == current[0] and k[0] != current]:
                del _kept[old]
            _kept[key] = value
    finally:
        with _lock:
            _computing.pop(key, None)
        computing.set()
    return copy.deepcopy(value)
