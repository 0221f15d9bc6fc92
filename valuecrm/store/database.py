"""Opening the customer database: an embedded DuckDB file reached through Ibis."""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ibis

from valuecrm.errors import DatabaseError, DatabaseLockedError, SchemaVersionError
from valuecrm.store.migrations import upgrade
from valuecrm.store.schema import SCHEMA_VERSION, TABLES, get_table

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

    from valuecrm.store.ingest import IngestReport

DEFAULT_PATH = "valuecrm.duckdb"
META_TABLE = "_valuecrm_meta"


def default_path() -> str:
    """``$VALUECRM_DB`` if set, else ``valuecrm.duckdb`` in the working directory."""
    return os.environ.get("VALUECRM_DB") or DEFAULT_PATH


class Database:
    """The customer database: the canonical tables of :mod:`valuecrm.store.schema`.

    ``con`` is the Ibis connection; analyses use :meth:`table` and stay backend-neutral.
    """

    def __init__(self, con: ibis.BaseBackend, path: str | None, *, read_only: bool = False):
        self.con = con
        self.path = path
        self.read_only = read_only

    # -- reading ---------------------------------------------------------------------------
    def table(self, name: str) -> ibis.Table:
        """The Ibis table ``name`` (one of the canonical tables, or a snapshot table)."""
        if name in TABLES:
            get_table(name)
        return self.con.table(name)

    def counts(self) -> dict[str, int]:
        """Number of rows in every canonical table."""
        return {name: int(self.raw.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
                for name in TABLES}

    @property
    def raw(self) -> duckdb.DuckDBPyConnection:
        """The underlying DuckDB connection (store internals only: analyses use Ibis)."""
        raw = getattr(self.con, "con", None)
        if raw is None:
            raise DatabaseError("This database is not a DuckDB database.")
        return raw

    @property
    def schema_version(self) -> int:
        row = self.raw.execute(f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'")
        found = row.fetchone()
        return int(found[0]) if found else 0

    # -- writing ---------------------------------------------------------------------------
    def ingest(
        self,
        table: str,
        source: str | Path | pd.DataFrame,
        mapping: Mapping[str, str] | None = None,
        on_error: str = "reject",
        **options: Any,
    ) -> IngestReport:
        """Validate ``source`` (a file path or a DataFrame) and upsert it into ``table``.

        See :func:`valuecrm.store.ingest.ingest` for the options and the checks made.
        """
        from valuecrm.store.ingest import ingest

        return ingest(self, table, source, mapping=mapping, on_error=on_error, **options)

    def close(self) -> None:
        self.con.disconnect()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Database({self.path!r})"

    @classmethod
    def over_cursor(cls, cursor: duckdb.DuckDBPyConnection, path: str | None = None
                    ) -> Database:
        """A Database over one DuckDB cursor (a server request's) whose Ibis connection is made
        only when something asks for it: making one runs settings and a version check
        (milliseconds), which a request answered with plain SQL never needs."""
        return _CursorDatabase(cursor, path)


class _CursorDatabase(Database):
    """:meth:`Database.over_cursor`: ``raw`` is the cursor, ``con`` made on first use."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, path: str | None) -> None:
        self._cursor = cursor
        self.path = path
        self.read_only = False

    @cached_property
    def con(self) -> ibis.BaseBackend:  # type: ignore[override]
        return ibis.duckdb.from_connection(self._cursor)

    @property
    def raw(self) -> duckdb.DuckDBPyConnection:
        return self._cursor


def _init_schema(raw: duckdb.DuckDBPyConnection) -> None:
    raw.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key VARCHAR PRIMARY KEY, value VARCHAR)")
    found = raw.execute(f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'").fetchone()
    # no version row: a database of the first versions if it has tables, else a new one
    version = int(found[0]) if found else (1 if _has_any_table(raw) else SCHEMA_VERSION)
    if version > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"This database has schema version {version}, newer than this valuecrm "
            f"(version {SCHEMA_VERSION}).",
            hint="Upgrade valuecrm (pip install -U valuecrm) to open it.",
        )
    raw.execute("BEGIN TRANSACTION")
    try:
        upgrade(raw, version, SCHEMA_VERSION)
        raw.execute(
            f"INSERT OR REPLACE INTO {META_TABLE} VALUES ('schema_version', ?)",
            [str(SCHEMA_VERSION)],
        )
        raw.execute("COMMIT")
    except Exception:
        raw.execute("ROLLBACK")
        raise


def _has_any_table(raw: duckdb.DuckDBPyConnection) -> bool:
    names = {r[0] for r in raw.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    return bool(names & set(TABLES))


def database_target(path_or_url: str | Path | None = None) -> str:
    """The DuckDB file (or ``":memory:"``) that :func:`connect` would open."""
    target = str(path_or_url) if path_or_url is not None else default_path()
    if target.startswith("duckdb://"):
        return target.removeprefix("duckdb://") or ":memory:"
    if "://" in target:
        raise DatabaseError(
            f"Cannot open {target!r} as the customer database: valuecrm stores its data in DuckDB.",
            hint="To analyse tables in another engine, use valuecrm.connect_ibis(con, ...).",
        )
    return target


def exists(path_or_url: str | Path | None = None) -> bool:
    """Whether the database :func:`connect` would open exists (``":memory:"`` always does)."""
    target = database_target(path_or_url)
    return target == ":memory:" or Path(target).expanduser().exists()


def missing_database(path: str) -> DatabaseError:
    """The error for a database file that does not exist (nothing is created)."""
    return DatabaseError(
        f"There is no database at {path!r}: nothing was created.",
        hint=f"Create it with 'valuecrm --db {path} init', or check the path.")


def connect(path_or_url: str | Path | None = None, *, read_only: bool = False,
            create: bool = True) -> Database:
    """Open (creating if needed) the customer database.

    ``path_or_url`` is a DuckDB file path, ``":memory:"``, or ``duckdb://PATH``. Without it,
    ``$VALUECRM_DB`` or ``valuecrm.duckdb`` in the working directory. A database written by an
    older valuecrm is migrated on opening. With ``create=False`` (or ``read_only``) a missing
    file is a :class:`DatabaseError` and nothing is created.
    """
    target = database_target(path_or_url)
    if target != ":memory:":
        parent = Path(target).expanduser().resolve().parent
        if not parent.exists():
            raise DatabaseError(
                f"The folder {str(parent)!r} for the database does not exist.",
                hint="Create it first, or give another --db path.",
            )
        if (read_only or not create) and not Path(target).expanduser().exists():
            raise missing_database(target)
    try:
        con = ibis.duckdb.connect(target, read_only=read_only)
    except Exception as exc:  # duckdb raises IOException for a held lock
        text = str(exc)
        if "lock" in text.lower():
            raise DatabaseLockedError(
                f"The database {target!r} is in use by another process (DuckDB allows one "
                "writer at a time).",
                hint="Stop the other process (e.g. 'valuecrm serve') and try again.",
            ) from None
        raise DatabaseError(f"Cannot open the database {target!r}: {text}") from None
    con.con.execute("SET enable_progress_bar = false")  # valuecrm draws its own progress bars
    db = Database(con, None if target == ":memory:" else target, read_only=read_only)
    if not read_only:
        try:
            _init_schema(db.raw)
        except BaseException:
            db.close()
            raise
    return db
