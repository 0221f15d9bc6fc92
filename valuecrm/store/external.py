"""Tables that already sit in a warehouse, read in place under the canonical names.

Users whose orders live in Spark, Snowflake, BigQuery, Postgres, ... point valuecrm at their own
tables and column names instead of ingesting them::

    con = ibis.pyspark.connect(spark)
    db = valuecrm.connect_ibis(
        con,
        tables={"orders": "sales.transactions"},
        columns={"orders": {"customer_id": "cust", "ordered_at": "txn_ts", "amount": "value"}},
    )
    valuecrm.rfm_summary(db.table("orders"), observation_end="2024-12-31")

Nothing is copied or written: :meth:`ExternalDatabase.table` is a lazy Ibis expression that
renames the columns, and the work runs in the user's engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from valuecrm.errors import DatabaseError, ParameterError, SchemaError
from valuecrm.store.schema import get_table

OWNER = "connect_ibis"


class ExternalDatabase:
    """A read-only customer database over someone else's tables (see :func:`connect_ibis`).

    ``tables`` maps a canonical table name to the user's table (``"schema.table"`` or
    ``"catalog.schema.table"``); ``columns`` maps, per canonical table, canonical column names to
    the user's column names.
    """

    read_only = False  # ingest is refused; analyze writes its snapshot into the engine
    path = None

    def __init__(self, con: ibis.BaseBackend, tables: Mapping[str, str],
                 columns: Mapping[str, Mapping[str, str]]) -> None:
        self.con = con
        self.tables = dict(tables)
        self.columns = {name: dict(mapping) for name, mapping in columns.items()}

    def table(self, name: str) -> ir.Table:
        """The Ibis table ``name``, its columns renamed to the canonical names.

        Columns the mapping does not name keep their own names. A table without a mapping is
        looked up under its own name.
        """
        source = self.tables.get(name, name)
        *path, table_name = source.split(".")
        database: Any = None if not path else path[0] if len(path) == 1 else tuple(path)
        try:
            table = self.con.table(table_name, database=database)
        except Exception as exc:
            raise SchemaError(
                f"The {self.con.name} connection has no table {source!r} (for {name!r}): "
                f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
                hint=f"Pass tables={{{name!r}: 'schema.table'}} to connect_ibis.",
            ) from None
        renames = self.columns.get(name, {})
        missing = [theirs for theirs in renames.values() if theirs not in table.columns]
        if missing:
            raise SchemaError(
                f"The table {source!r} has no column {', '.join(map(repr, missing))}.",
                hint="Its columns: " + ", ".join(table.columns) + ". Fix columns= in connect_ibis.",
            )
        clashes = [ours for ours, theirs in renames.items()
                   if ours in table.columns and ours != theirs and ours not in renames.values()]
        if clashes:
            table = table.drop(*clashes)  # a renamed column replaces one that had our name
        return table.rename({ours: theirs for ours, theirs in renames.items() if ours != theirs})

    def ingest(self, table: str, *args: Any, **kwargs: Any) -> Any:
        """Refused: an external database is read-only."""
        raise DatabaseError(
            f"Cannot ingest into {table!r}: this database reads tables in place and is read-only.",
            hint="Load the data with your warehouse's tools, or use valuecrm.connect(path).",
        )

    def close(self) -> None:
        """Nothing to do: the connection belongs to the caller."""

    def __enter__(self) -> ExternalDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ExternalDatabase({self.con.name}, tables={self.tables!r})"


def connect_ibis(
    con: ibis.BaseBackend,
    *,
    tables: Mapping[str, str] | None = None,
    columns: Mapping[str, Mapping[str, str]] | None = None,
) -> ExternalDatabase:
    """Use tables in any Ibis engine as the customer database, under the canonical names.

    ``tables``: canonical table name -> the user's table (``"orders": "sales.transactions"``).
    ``columns``: canonical table name -> {canonical column: the user's column}. Both are checked
    against the canonical schema (:mod:`valuecrm.store.schema`); the user's tables are checked
    when :meth:`ExternalDatabase.table` is called.
    """
    if not isinstance(con, ibis.BaseBackend):
        raise ParameterError.of("con", OWNER, "an Ibis connection (e.g. ibis.pyspark.connect())",
                                con)
    tables = dict(tables or {})
    columns = {name: dict(mapping) for name, mapping in (columns or {}).items()}
    for name, source in tables.items():
        get_table(name)
        if not isinstance(source, str) or not all(source.split(".")):
            raise ParameterError.of("tables", OWNER, "a mapping to 'table' or 'schema.table' "
                                    "names", {name: source})
    for name, mapping in columns.items():
        declared = get_table(name)
        unknown = sorted(set(mapping) - set(declared.column_names))
        if unknown:
            raise SchemaError(
                f"The {name!r} table has no canonical column {', '.join(map(repr, unknown))}.",
                hint=f"columns maps canonical names to yours; {name!r} has: "
                + ", ".join(declared.column_names) + ".",
            )
        if len(set(mapping.values())) != len(mapping):
            raise ParameterError.of("columns", OWNER, "a mapping to distinct column names",
                                    {name: mapping})
    return ExternalDatabase(con, tables, columns)


LOCAL_SHUFFLE_PARTITIONS = 4  # bench/RESULTS.md: 200 cost two thirds more CPU at 100k on local[2]


def connect_spark(master: str = "local[*]", *, database: str | None = None,
                  tables: Mapping[str, str] | None = None,
                  columns: Mapping[str, Mapping[str, str]] | None = None,
                  shuffle_partitions: int | None = None) -> ExternalDatabase:
    """The customer tables of a Spark session (``master``: ``local[2]``, ``spark://host:7077``,
    ``yarn``, ...), in ``database`` (default: the session's current one), through
    :func:`connect_ibis`. Needs PySpark (``pip install valuecrm[spark]``); the session uses
    UTC, as the customer database does. ``shuffle_partitions`` sets
    ``spark.sql.shuffle.partitions``; a one-machine session (``local[...]``) this call starts
    gets 4 (Spark's 200 are sized for clusters; about one per 500,000 customers suits larger
    bases), a cluster or an existing session keeps its own."""
    try:
        import ibis.backends.pyspark
        from pyspark.sql import SparkSession
    except ImportError:
        raise DatabaseError("PySpark is not installed, so Spark cannot be reached.",
                            hint="Install it: pip install 'valuecrm[spark]'.") from None
    if shuffle_partitions is not None and shuffle_partitions < 1:
        raise ParameterError.of("shuffle_partitions", "connect_spark", "a positive integer",
                                shuffle_partitions)
    builder = (SparkSession.builder.master(master).appName("valuecrm")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.ui.showConsoleProgress", "false"))
    if shuffle_partitions is None and master.startswith("local") and (
            SparkSession.getActiveSession() is None):
        shuffle_partitions = LOCAL_SHUFFLE_PARTITIONS
    session = builder.getOrCreate()
    if shuffle_partitions is not None:
        session.conf.set("spark.sql.shuffle.partitions", str(shuffle_partitions))
    if database:
        if not session.catalog.databaseExists(database):
            raise DatabaseError(f"The Spark session has no database {database!r}.",
                                hint="Its databases: " + ", ".join(
                                    d.name for d in session.catalog.listDatabases()) + ".")
        session.catalog.setCurrentDatabase(database)
    return connect_ibis(ibis.pyspark.connect(session), tables=tables, columns=columns)
