"""The one path by which a database reaches the current schema, run when it is opened.

:func:`upgrade` runs inside one transaction (see :func:`valuecrm.store.database.connect`):

1. the version steps: ``MIGRATIONS[n]`` takes a database of schema version ``n`` to ``n + 1``,
   for changes that adding columns cannot express (a dropped key, a renamed column);
2. every declared table that is missing is created, and every declared column that a table
   lacks is added (``ALTER TABLE ... ADD COLUMN``). The declarations are the customer tables of
   :mod:`~valuecrm.store.schema`, the snapshot tables of :mod:`~valuecrm.store.snapshots` and
   the account tables of :mod:`~valuecrm.store.users`.

To change the schema: add the column to its declaration (step 2 creates it in old databases);
for anything else, bump ``SCHEMA_VERSION`` in :mod:`valuecrm.store.schema` and add the step here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from valuecrm.errors import SchemaVersionError
from valuecrm.store import snapshots, users
from valuecrm.store.schema import TABLES

if TYPE_CHECKING:
    import duckdb

Migration = Callable[["duckdb.DuckDBPyConnection"], None]


@dataclass(frozen=True)
class DeclaredTable:
    """A table as the code declares it: its ``CREATE TABLE IF NOT EXISTS`` and its columns."""

    name: str
    ddl: str
    columns: dict[str, str]  # column -> DuckDB type


def declared_tables() -> list[DeclaredTable]:
    """Every table valuecrm keeps: the customer tables, the snapshots, the accounts."""
    tables = [DeclaredTable(t.name, t.ddl(), {c.name: c.sql_type for c in t.columns})
              for t in TABLES.values()]
    tables.append(DeclaredTable(snapshots.SNAPSHOTS_TABLE, snapshots.SNAPSHOT_DDL,
                                snapshots.SNAPSHOT_COLUMNS))
    tables.append(DeclaredTable(snapshots.VALUE_TABLE, snapshots.VALUE_DDL,
                                snapshots.VALUE_COLUMNS))
    tables.append(DeclaredTable(users.USERS_TABLE, users.USERS_DDL, users.USERS_COLUMNS))
    tables.append(DeclaredTable(users.AUDIT_TABLE, users.AUDIT_DDL, users.AUDIT_COLUMNS))
    return tables


def _columns(raw: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [r[0] for r in raw.execute(
        "SELECT column_name FROM duckdb_columns() WHERE schema_name = current_schema() "
        "AND table_name = ? ORDER BY column_index", [table]).fetchall()]


def add_missing_columns(raw: duckdb.DuckDBPyConnection, table: DeclaredTable) -> None:
    """Add the declared columns an existing ``table`` lacks (new columns hold NULL)."""
    existing = set(_columns(raw, table.name))
    for column, kind in table.columns.items():
        if existing and column not in existing:
            raw.execute(f'ALTER TABLE "{table.name}" ADD COLUMN "{column}" {kind}')


def _rebuild_without_key(raw: duckdb.DuckDBPyConnection, name: str) -> None:
    """Copy the rows of the declared table ``name`` into a table made from its declaration,
    which has no primary key (DuckDB cannot drop a key in place); nothing to do when the table
    is missing or has no key already."""
    table = next(t for t in declared_tables() if t.name == name)
    if not _columns(raw, name):
        return
    add_missing_columns(raw, table)
    keyed = raw.execute(
        "SELECT count(*) FROM duckdb_constraints() WHERE schema_name = current_schema() "
        "AND table_name = ? AND constraint_type = 'PRIMARY KEY'", [name]).fetchone()
    if not keyed or not keyed[0]:
        return
    quoted = ", ".join(f'"{c}"' for c in table.columns)
    copy = f"_valuecrm_{name}_rows"
    raw.execute(f'CREATE TEMP TABLE {copy} AS SELECT {quoted} FROM "{name}"')
    raw.execute(f'DROP TABLE "{name}"')
    raw.execute(table.ddl)
    raw.execute(f'INSERT INTO "{name}" ({quoted}) SELECT {quoted} FROM {copy}')
    raw.execute(f"DROP TABLE {copy}")


def _drop_value_table_key(raw: duckdb.DuckDBPyConnection) -> None:
    """1 -> 2: the customer value table loses the primary key of early versions.

    DuckDB's index made replacing a snapshot of a million customers take minutes; rows are
    unique per (snapshot_id, customer_id) by construction.
    """
    _rebuild_without_key(raw, snapshots.VALUE_TABLE)


def _anonymous_survey_answers(raw: duckdb.DuckDBPyConnection) -> None:
    """2 -> 3: ``survey_responses.customer_id`` becomes optional (anonymous surveys)."""
    if "customer_id" in _columns(raw, "survey_responses"):
        raw.execute('ALTER TABLE "survey_responses" ALTER COLUMN "customer_id" DROP NOT NULL')


def _drop_order_keys(raw: duckdb.DuckDBPyConnection) -> None:
    """3 -> 4: ``orders`` and ``order_lines`` lose their primary-key indexes.

    Maintaining them was more than a third of the time a large line-level file took to load
    (bench/RESULTS.md); the loads keep the keys unique themselves
    (:mod:`valuecrm.store.ingest.load`, :mod:`~valuecrm.store.ingest.line_writer`).
    """
    for name in ("orders", "order_lines"):
        _rebuild_without_key(raw, name)


MIGRATIONS: dict[int, Migration] = {1: _drop_value_table_key, 2: _anonymous_survey_answers,
                                    3: _drop_order_keys}


def migrate(raw: duckdb.DuckDBPyConnection, from_version: int, to_version: int) -> None:
    """Apply every version step from ``from_version`` up to ``to_version``."""
    for version in range(from_version, to_version):
        step = MIGRATIONS.get(version)
        if step is None:
            raise SchemaVersionError(
                f"No migration from schema version {version} to {version + 1}.",
                hint="Export your data with an older valuecrm and load it into a new database.",
            )
        step(raw)


def upgrade(raw: duckdb.DuckDBPyConnection, from_version: int, to_version: int) -> None:
    """Bring a database to ``to_version``: the version steps, then every declared table and
    column (call inside a transaction)."""
    migrate(raw, from_version, to_version)
    for table in declared_tables():
        raw.execute(table.ddl)
        add_missing_columns(raw, table)
