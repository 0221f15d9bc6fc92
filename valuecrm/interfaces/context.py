"""What every CLI command shares: the database path, JSON output, and error reporting."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import typer

from valuecrm.errors import (
    DatabaseError,
    IngestError,
    InputError,
    NotFoundError,
    PortUnavailableError,
    ValueCRMError,
)

# Exit codes, documented in ``valuecrm --help``.
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_BAD_INPUT = 2
EXIT_REJECTED = 3
EXIT_DATABASE = 4
EXIT_PORT = 5


@dataclass
class CLIState:
    db: str | None = None

    def connect(self, *, read_only: bool = False, create: bool = False):  # -> Database
        """The --db database. Only ``init``, ``demo`` and ``generate`` create one
        (``create=True``): for every other command a missing file is exit code 4, and a
        mistyped --db leaves no empty database behind."""
        from valuecrm.store import connect

        return connect(self.db, read_only=read_only, create=create)

    def require_existing(self) -> None:
        """Stop with exit code 4 when the --db file does not exist (for commands that open
        it later, such as ``serve``)."""
        from valuecrm.store.database import database_target, exists, missing_database

        if not exists(self.db):
            raise missing_database(database_target(self.db))


def state(ctx: typer.Context) -> CLIState:
    obj = ctx.find_root().obj
    if not isinstance(obj, CLIState):
        obj = CLIState()
        ctx.find_root().obj = obj
    return obj


def exit_code_for(error: ValueCRMError) -> int:
    if isinstance(error, IngestError):
        return EXIT_REJECTED
    if isinstance(error, InputError | NotFoundError):  # a named customer or snapshot is missing
        return EXIT_BAD_INPUT
    if isinstance(error, DatabaseError):
        return EXIT_DATABASE
    if isinstance(error, PortUnavailableError):
        return EXIT_PORT
    return EXIT_ERROR


def fail(error: ValueCRMError, *, as_json: bool = False) -> typer.Exit:
    """Print ``error`` on stderr (or as JSON on stdout) and return the Exit to raise."""
    if as_json:
        print(json.dumps(error.to_dict(), ensure_ascii=False, default=str))
    else:
        from rich.console import Console
        from rich.markup import escape

        console = Console(stderr=True, highlight=False, soft_wrap=True)
        console.print(f"[bold red]Error:[/] {escape(error.message)}", markup=True)
        if error.hint:  # escaped: hints name things like valuecrm[pdf] that are not markup
            console.print(f"[yellow]What to do:[/] {escape(error.hint)}")
    return typer.Exit(exit_code_for(error))


def emit_json(payload: Any) -> None:
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def emit_json_rows(payload: dict[str, Any], key: str, pages: Iterable[list[Any]]) -> None:
    """What :func:`emit_json` prints for ``payload`` with ``payload[key]`` the rows of
    ``pages`` one after another, written a page at a time (a list of a million rows is never
    held whole)."""
    def dumped(value: Any, indent: str) -> str:
        text = json.dumps(value, ensure_ascii=False, indent=2, default=str)
        return text.replace("\n", "\n" + indent)

    out = sys.stdout
    out.write("{")
    for number, (name, value) in enumerate(payload.items()):
        out.write(("," if number else "") + "\n  " + json.dumps(name, ensure_ascii=False)
                  + ": ")
        if name != key:
            out.write(dumped(value, "  "))
            continue
        first = True
        for page in pages:
            for row in page:
                out.write(("[" if first else ",") + "\n    " + dumped(row, "    "))
                first = False
        out.write("[]" if first else "\n  ]")
    out.write("\n}\n" if payload else "}\n")
