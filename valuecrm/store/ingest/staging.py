"""Staging a source for :func:`valuecrm.store.ingest.ingest`: reading it into a staging table
in the words of the user's interface, the customers file's extra columns (kept as attributes),
repeated values, and dropping the load's work tables afterwards."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from valuecrm.errors import SourceError
from valuecrm.store.ingest.attributes import attribute_name, infer_types
from valuecrm.store.ingest.readers import Staged, quote, stage
from valuecrm.store.ingest.report import IngestReport
from valuecrm.store.ingest.wording import CLI, Wording
from valuecrm.store.schema import Table

if TYPE_CHECKING:
    import duckdb


def _repeats(con: duckdb.DuckDBPyConnection, staged: Staged, column: str) -> bool:
    """Whether a value of the staged ``column`` is on several rows."""
    found = con.execute(f"SELECT count({quote(column)}) > count(DISTINCT {quote(column)}) "
                        f"FROM {quote(staged.table)}").fetchone()
    return bool(found and found[0])


def _extra_columns(con: duckdb.DuckDBPyConnection, spec: Table, staged: Staged,
                   matched: dict[str, str], report: IngestReport) -> dict[str, str]:
    """The customers file's columns that no table column takes, with their inferred types
    (kept as customer attributes); one column per attribute name, the others warned about."""
    if spec.name != "customers":
        return {}
    used = set(matched.values())
    fixed = set(spec.column_names)
    chosen: dict[str, str] = {}
    for column in staged.columns:
        name = attribute_name(column)
        if column in used:
            continue
        if name in fixed or name in chosen.values():
            report.warnings.append(f"ignored column {column!r}: its attribute name {name!r} "
                                   "is taken by another column.")
            continue
        chosen[column] = name
    types = infer_types(con, staged.table, list(chosen))
    report.attributes = {chosen[c]: kind for c, kind in types.items()}
    return types


def _stage(con: duckdb.DuckDBPyConnection, source: Any, name: str, folder: Path,
           encoding: str | None, sheet: str | None, member: str | None,
           wording: Wording) -> Staged:
    """:func:`.readers.stage`, its messages naming the options as the user's interface does."""

    def words(text: str) -> str:
        for option in ("encoding", "member", "sheet"):
            text = text.replace(f"--{option}", wording.option(option))
        return text

    try:
        staged = stage(con, source, name, folder, encoding=encoding, sheet=sheet, member=member)
    except SourceError as error:
        if wording is not CLI:
            error.message = words(error.message)
            error.hint = words(error.hint) if error.hint else error.hint
            error.args = (error.message if error.hint is None
                          else f"{error.message} {error.hint}",)
        raise
    staged.warnings = [words(w) for w in staged.warnings]
    return staged


def _drop(con: duckdb.DuckDBPyConnection, names: dict[str, str], staged: Staged | None) -> None:
    tables: list[Any] = [names["errors"], names["bad"], names["typed"], names["stage"],
                         *(v for k, v in names.items() if k.startswith("line_"))]
    if staged is not None:
        tables += staged.temp_tables
    for name in tables:
        con.execute(f"DROP TABLE IF EXISTS {quote(name)}")
