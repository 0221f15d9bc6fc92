"""Opening the database to read it from a command, beside a running server.

DuckDB lets one process hold a database file for writing, and then no other process may open
it, not even read-only. Reading commands open read-only (so two of them can run at once); when
``valuecrm serve`` holds the file they stop with a message naming the API route that answers
the same question, never with DuckDB's raw lock error.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from valuecrm.errors import DatabaseLockedError
from valuecrm.interfaces.context import state

if TYPE_CHECKING:
    from valuecrm.store import Database


@contextmanager
def reading(ctx: typer.Context, *, api: str) -> Iterator[Database]:
    """The --db database opened read-only; ``api`` names the route to use while a server runs.

    A missing customer or snapshot is bad input: exit code 2 (``context.exit_code_for``).
    """
    try:
        database = state(ctx).connect(read_only=True)
    except DatabaseLockedError as locked:
        raise DatabaseLockedError(
            f"{locked.message} It is probably 'valuecrm serve'.",
            hint=f"While the server runs, ask it instead: {api} (see /docs; send "
                 "'Authorization: Bearer TOKEN'). Or stop the server and run this command "
                 "again.") from None
    with database:
        yield database
