"""Opening the database from a command, beside a running server.

DuckDB lets one process hold a database file for writing, and then no other process may open
it, not even read-only. Reading commands open read-only (so two of them can run at once). When
``valuecrm serve`` holds the file, the commands that print a view (:mod:`valuecrm.views`) ask the
server for it through its endpoint file (:mod:`._endpoint`) and print the same, and the
commands that write a file of a view (``customers export``, ``report``) download it from the
server; the others, and the commands that write, stop with a message naming the API route
that does the same, never with DuckDB's raw lock error.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from valuecrm.errors import DatabaseLockedError
from valuecrm.interfaces.context import state

if TYPE_CHECKING:
    from valuecrm.interfaces.commands._endpoint import Endpoint
    from valuecrm.store import Database


def _locked(locked: DatabaseLockedError, api: str) -> DatabaseLockedError:
    return DatabaseLockedError(
        f"{locked.message} It is probably 'valuecrm serve'.",
        hint=f"While the server runs, ask it instead: {api} (see /docs; send "
             "'Authorization: Bearer TOKEN'). Or stop the server and run this command again.")


@contextmanager
def reading(ctx: typer.Context, *, api: str) -> Iterator[Database]:
    """The --db database opened read-only; ``api`` names the route to use while a server runs.

    A missing customer or snapshot is bad input: exit code 2 (``context.exit_code_for``).
    """
    try:
        database = state(ctx).connect(read_only=True)
    except DatabaseLockedError as locked:
        raise _locked(locked, api) from None
    with database:
        yield database


@contextmanager
def writing(ctx: typer.Context, *, api: str) -> Iterator[Database]:
    """The --db database opened for writing; while a server holds it, the error names ``api``,
    the route that makes the same change through the server."""
    try:
        database = state(ctx).connect()
    except DatabaseLockedError as locked:
        raise _locked(locked, api) from None
    with database:
        yield database


@contextmanager
def reading_or_served(ctx: typer.Context, *, route: str) -> Iterator[Database | Endpoint]:
    """The --db database opened read-only or, while 'valuecrm serve' holds the file, the
    server's :class:`._endpoint.Endpoint` (the command then asks it ``GET route``)."""
    from valuecrm.interfaces.commands._endpoint import read_endpoint
    from valuecrm.store.database import default_path

    try:
        database = state(ctx).connect(read_only=True)
    except DatabaseLockedError as locked:
        endpoint = read_endpoint(state(ctx).db or default_path())
        if endpoint is None:
            raise _locked(locked, f"GET {route}") from None
        yield endpoint
        return
    with database:
        yield database


def read_view(ctx: typer.Context, route: str, params: dict[str, Any],
              local: Callable[[Database], Any]) -> Any:
    """The plain data of a view: ``local(database)`` over the --db file opened read-only, or,
    while 'valuecrm serve' holds the file, the server's answer to ``GET route?params`` (the
    same view function behind it). Either way the data pass through JSON, so the command
    prints exactly the same."""
    from valuecrm.interfaces.commands._endpoint import read_endpoint
    from valuecrm.store.database import default_path

    try:
        database = state(ctx).connect(read_only=True)
    except DatabaseLockedError as locked:
        endpoint = read_endpoint(state(ctx).db or default_path())
        if endpoint is None:
            raise _locked(locked, f"GET {route}") from None
        return endpoint.get(route, params)
    with database:
        found = local(database)
    return json.loads(json.dumps(found, ensure_ascii=False, allow_nan=False))


LIST_PAGE = 10_000  # rows per request when a command reads a whole list


def read_list(ctx: typer.Context, route: str, params: dict[str, Any],
              local: Callable[[Database, int, int], Any]) -> tuple[Any, Iterator[list[Any]]]:
    """The first page of a list view (:func:`read_view` with ``offset`` and ``limit``) and
    an iterator over the rows of the whole list, ``LIST_PAGE`` rows per request, so a
    command prints a list of any length without holding it whole; ``local(database,
    offset, limit)`` is the view."""

    def page(offset: int) -> Any:
        return read_view(ctx, route, {**params, "offset": offset, "limit": LIST_PAGE},
                         lambda database: local(database, offset, LIST_PAGE))

    first = page(0)

    def pages() -> Iterator[list[Any]]:
        yield first["customers"]
        for offset in range(LIST_PAGE, int(first["rows"]), LIST_PAGE):
            yield page(offset)["customers"]

    return first, pages()


def write_list_file(ctx: typer.Context, route: str, params: dict[str, Any], out: str,
                    local: Callable[[Database, Path], tuple[int, Any]]) -> tuple[int, Any]:
    """Write the whole list to ``out`` (``.csv`` or ``.parquet``) from the --db file
    (``local(database, target)``: the rows and the as-of day, streamed by DuckDB) or, while
    'valuecrm serve' holds it, download it from the export ``route`` (the same file)."""
    from valuecrm.interfaces.commands._endpoint import Endpoint

    target = Path(out).expanduser()
    with reading_or_served(ctx, route=route) as source:
        if isinstance(source, Endpoint):
            headers = source.download(route, {**params,
                                              "format": target.suffix.lower().lstrip(".")},
                                      target)
            return int(headers["x-rows"]), headers.get("x-as-of")
        return local(source, target)
