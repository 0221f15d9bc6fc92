"""Writing the good rows: one transaction, upsert by key, and a record of the load.

Rows whose key is already stored are updated (only the columns the source has: a column absent
from the file keeps its stored values), the others inserted, so loading the same or an
overlapping file again adds no duplicates. Everything, including missing customers created on
request and the ``_valuecrm_loads`` record, is committed together or not at all: an error,
Ctrl-C or a killed process leaves the database as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable

import duckdb

from valuecrm.store.ingest.readers import quote
from valuecrm.store.ingest.report import IngestReport
from valuecrm.store.ingest.validate import Typed

LOADS_TABLE = "_valuecrm_loads"
LOADS_DDL = (f"CREATE TABLE IF NOT EXISTS {LOADS_TABLE} (loaded_at TIMESTAMP, table_name VARCHAR, "
             "source VARCHAR, mode VARCHAR, rows_read BIGINT, rows_inserted BIGINT, "
             "rows_updated BIGINT, rows_rejected BIGINT, customers_created BIGINT)")
# (table, column) computed from two others when the source leaves it empty: a - b.
DERIVED = {("orders", "margin"): ("amount", "cost")}


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM {quote(table)}").fetchone()[0])


def _good_rows(typed: Typed, errors: str) -> str:
    return (f"{quote(typed.name)} v WHERE NOT EXISTS (SELECT 1 FROM {quote(errors)} e "
            f"WHERE e.err_row = v.__row)")


def _insert_columns(typed: Typed) -> dict[str, str]:
    """Table column -> SQL expression over the typed table, derived columns included."""
    columns = {c: f"v.{typed.value(c)}" for c in typed.aliases}
    for (table, column), (left, right) in DERIVED.items():
        if table == typed.table.name and left in typed.aliases and right in typed.aliases:
            difference = f"v.{typed.value(left)} - v.{typed.value(right)}"
            columns[column] = (f"coalesce({columns[column]}, {difference})" if column in columns
                               else difference)
    return columns


def _create_customers(con: duckdb.DuckDBPyConnection, typed: Typed, errors: str) -> int:
    before = _count(con, "customers")
    for column in typed.aliases:
        if typed.table.column(column).references == "customers.customer_id":
            value = f"v.{typed.value(column)}"
            con.execute(
                f"INSERT INTO customers (customer_id) SELECT DISTINCT {value} FROM "
                f"{_good_rows(typed, errors)} AND {value} IS NOT NULL AND NOT EXISTS "
                f"(SELECT 1 FROM customers c WHERE c.customer_id = {value})")
    return _count(con, "customers") - before


def _upsert(con: duckdb.DuckDBPyConnection, typed: Typed, errors: str,
            columns: dict[str, str]) -> None:
    """Update the stored rows of the good rows' keys (the source's columns only), insert the
    others. A table without a key index (``key_index=False``) gets an UPDATE then an INSERT of
    the new keys; the others ``INSERT ... ON CONFLICT``. The good rows' keys are unique (a
    repeated key is a bad row)."""
    table = typed.table
    names = ", ".join(quote(c) for c in columns)
    updates = [c for c in columns if c not in table.key]
    if table.key_index:
        conflict = (f"ON CONFLICT ({', '.join(quote(k) for k in table.key)}) "
                    + ("DO UPDATE SET " + ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}"
                                                    for c in updates)
                       if updates else "DO NOTHING"))
        con.execute(f"INSERT INTO {quote(table.name)} ({names}) SELECT "
                    f"{', '.join(columns.values())} FROM {_good_rows(typed, errors)} {conflict}")
        return
    good = (f"(SELECT {', '.join(f'{e} AS {quote(c)}' for c, e in columns.items())} FROM "
            f"{_good_rows(typed, errors)})")
    same = " AND ".join(f"t.{quote(k)} = g.{quote(k)}" for k in table.key)
    if updates:
        con.execute(f"UPDATE {quote(table.name)} AS t SET "
                    + ", ".join(f"{quote(c)} = g.{quote(c)}" for c in updates)
                    + f" FROM {good} AS g WHERE {same}")
    con.execute(f"INSERT INTO {quote(table.name)} ({names}) SELECT {names} FROM {good} AS g "
                f"WHERE NOT EXISTS (SELECT 1 FROM {quote(table.name)} t WHERE {same})")


def write(con: duckdb.DuckDBPyConnection, typed: Typed, errors: str, report: IngestReport,
          *, create_customers: bool, before_commit: Callable[[], None] | None = None) -> None:
    """Upsert the rows of ``typed`` with no problem in ``errors``; fill the report's counts."""
    table = typed.table
    columns = _insert_columns(typed)
    good = report.rows_read - report.rows_rejected
    con.execute("BEGIN TRANSACTION")
    try:
        if create_customers:
            report.customers_created = _create_customers(con, typed, errors)
        before = _count(con, table.name)
        _upsert(con, typed, errors, columns)
        report.rows_inserted = _count(con, table.name) - before
        report.rows_updated = good - report.rows_inserted
        con.execute(LOADS_DDL)
        log_load(con, table.name, report)
        if before_commit is not None:
            before_commit()
        con.execute("COMMIT")
    except BaseException:
        # A failed statement may already have ended the transaction.
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise


SAMPLE_ROWS = 5


def log_load(con: duckdb.DuckDBPyConnection, what: str, report: IngestReport) -> None:
    """Append one row to the ingestion log: when, what was loaded (a table name), from where,
    and the report's counts (inside the load's transaction)."""
    con.execute(
        f"INSERT INTO {LOADS_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [dt.datetime.now(dt.UTC).replace(tzinfo=None), what, report.source, report.mode,
         report.rows_read, report.rows_inserted, report.rows_updated, report.rows_rejected,
         report.customers_created])


def _plain(value: object) -> object:
    return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else (
        value.isoformat() if isinstance(value, dt.date) else value)


def preview(con: duckdb.DuckDBPyConnection, typed: Typed, errors: str, report: IngestReport,
            sample_rows: int = SAMPLE_ROWS) -> None:
    """What :func:`write` would do, without writing: the report's new and updated counts and a
    sample of the first good rows as they would be stored."""
    table = typed.table
    columns = _insert_columns(typed)
    if all(k in typed.aliases for k in table.key):
        match = " AND ".join(f"t.{quote(k)} = v.{typed.value(k)}" for k in table.key)
        existing = con.execute(
            f"SELECT count(*) FROM {_good_rows(typed, errors)} AND EXISTS (SELECT 1 FROM "
            f"{quote(table.name)} t WHERE {match})").fetchone()[0]
        report.rows_updated = int(existing)
    report.rows_inserted = report.rows_good - report.rows_updated
    order = [c for c in table.column_names if c in columns]
    rows = con.execute(
        f"SELECT {', '.join(columns[c] for c in order)} FROM {_good_rows(typed, errors)} "
        f"ORDER BY v.__row LIMIT {int(sample_rows)}").fetchall()
    report.sample = [{c: _plain(v) for c, v in zip(order, row, strict=True)} for row in rows]
