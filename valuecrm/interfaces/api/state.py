"""What the server holds: one database connection for the process, and per-request cursors.

DuckDB lets one process write a database file; the server is that process. Each request gets
its own cursor (a connection sharing the same database instance), so requests run in parallel
threads safely; writes (ingests, user changes, audit entries) are serialised by ``write_lock``,
and an ingest never overlaps an analysis (``data_writes``, :mod:`valuecrm.interfaces.api.writes`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from valuecrm.interfaces.api.answers import CURSORS, Answers
from valuecrm.interfaces.api.throttle import SignInThrottle
from valuecrm.interfaces.api.writes import DataWrites
from valuecrm.views.answer_cache import SlowWork, quick_only
from valuecrm.views.customer360 import clean, rows
from valuecrm.views.lookup_copy import adopt_cursor

__all__ = ["ServerState", "clean", "cursor", "lookup", "rows", "server_state"]
Result = TypeVar("Result")

if TYPE_CHECKING:
    import duckdb

    from valuecrm.interfaces.api.jobs import AnalysisJobs
    from valuecrm.store import Database


@dataclass
class ServerState:
    """The database of this server and the caches that live as long as it."""

    database: Database
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    data_writes: DataWrites = field(default_factory=DataWrites)
    verified_tokens: set[str] = field(default_factory=set)
    answers: Answers = field(default_factory=Answers)  # kept until the next write
    sign_in_throttle: SignInThrottle = field(default_factory=SignInThrottle.from_environment)
    model_cache: dict[Any, Any] = field(default_factory=dict)
    model_lock: threading.Lock = field(default_factory=threading.Lock)
    analyses: AnalysisJobs | None = None  # set by create_api
    local_token: str | None = None  # the read-only local identity of 'valuecrm serve'
    lookup_copy: str | None = None  # the alias of the ready lookup copy (set by LookupCopies)
    quick_lookups: bool = False  # the copy is ready and what lookups share is kept: see lookup

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A DuckDB cursor of its own for one request, closed afterwards."""
        cursor = self.new_cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    def new_cursor(self) -> duckdb.DuckDBPyConnection:
        """A DuckDB cursor of its own (the caller closes it)."""
        cursor = self.database.raw.cursor()
        if self.lookup_copy is not None:  # its reads know the copy without a catalog query
            adopt_cursor(cursor, self.lookup_copy)
        return cursor

    @contextmanager
    def session(self) -> Iterator[Database]:
        """A :class:`Database` over a fresh cursor (for Ibis analyses and ingestion)."""
        import ibis

        from valuecrm.store import Database

        with self.cursor() as cursor:
            yield Database(ibis.duckdb.from_connection(cursor), self.database.path)


def server_state(request: Request) -> ServerState:
    return request.app.state.valuecrm


async def cursor(request: Request) -> duckdb.DuckDBPyConnection:
    """FastAPI dependency: a cursor for this request, made on the event loop (microseconds: a
    worker thread for it would queue behind the busy ones) and closed once the answer is sent
    (:func:`~valuecrm.interfaces.api.answers.close_cursors`, by the answers middleware). Not
    a generator: FastAPI's exit stack for one took a tenth of the server's Python time at
    200 clients (py-spy)."""
    made = server_state(request).new_cursor()
    request.scope.setdefault(CURSORS, []).append(made)
    return made


async def lookup(request: Request, read: Callable[..., Result], *args: Any) -> Result:
    """``read(*args)``, a customer search or 360 view: on the event loop while the lookup copy
    is ready and what lookups share is kept (``quick_lookups``, set by
    :class:`~valuecrm.interfaces.api.lookups.LookupCopies`), where it reads memory-mapped files
    for a millisecond or two; else, or if it finds something to compute after all
    (:class:`~valuecrm.views.answer_cache.SlowWork`), in a worker thread. On the loop, lookups
    take their turn with the kept answers; in threads, 200 clients' lookups waited behind the
    loop for Python's lock (p50 0.9 s against 8 ms for kept answers, bench/SERVE_LOAD.md)."""
    if server_state(request).quick_lookups:
        try:
            with quick_only():
                return read(*args)
        except SlowWork:
            pass
    return await run_in_threadpool(read, *args)
