"""The staging table a reader makes (:class:`Staged`), and the DuckDB quoting every reader and
check uses; :mod:`.readers` re-exports them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from valuecrm.store.ingest.compressed import is_gzip


def quote(name: str) -> str:
    """``name`` as a DuckDB identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """``text`` as a DuckDB string literal."""
    return "'" + text.replace("'", "''") + "'"


@dataclass
class Staged:
    """A source read into the temporary table ``table`` (all text columns ``columns``)."""

    table: str
    columns: list[str]
    format: str
    encoding: str | None = None
    line_of: Callable[[str], str] = lambda row: f"({row} + 2)"
    # SQL naming the Excel sheet of a record when several sheets are stacked, else None.
    sheet_of: Callable[[str], str] | None = None
    sheets: list[str] = field(default_factory=list)
    label: str | None = None  # how messages name the source, e.g. "'a.csv' in 'sales.zip'"
    malformed: str | None = None  # table of (line, column, value, reason) DuckDB could not parse
    # CSV: sets ``line_of`` and ``malformed`` given the table of problems found; called only
    # by :func:`.validate.locate_problems`, and it does nothing when no row is bad and DuckDB
    # rejected none (a clean file is not walked again for its line numbers).
    number_lines: Callable[[str], None] | None = None
    temp_tables: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _compression(path: Path) -> str:
    """DuckDB's compression argument for ``path`` (stated, so that ``.GZ`` is read too)."""
    return ", compression = 'gzip'" if is_gzip(path) else ""
