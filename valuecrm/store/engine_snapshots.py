"""Snapshots written into another engine's tables (Spark, ...): the ``snapshots`` and
``customer_value`` tables of :mod:`valuecrm.store.snapshots`, created in the connection's
current database, through Ibis only.

Warehouses without transactions get a careful order instead: the value rows are written first
(appended, or, when a snapshot of the same as-of date is replaced, the table is rebuilt from a
staging table), and the snapshot's row last, so a reader never sees a snapshot without its
rows. Each snapshot's rows carry its id; a failed run leaves at most rows no snapshot names.
"""

from __future__ import annotations

import uuid
from typing import Any

import ibis
import ibis.expr.datatypes as dt_types
import ibis.expr.types as ir
import pandas as pd

from valuecrm.store.snapshots import (
    SNAPSHOT_COLUMNS,
    SNAPSHOTS_TABLE,
    VALUE_COLUMNS,
    VALUE_TABLE,
    Snapshot,
    _json,
    list_snapshots,
    write_snapshot,
)

__all__ = ["store_snapshot", "write_in_engine"]

# DuckDB type names of the declarations -> Ibis types, so every engine stores the same schema
IBIS_TYPES = {"BIGINT": "int64", "DOUBLE": "float64", "VARCHAR": "string", "DATE": "date",
              "TIMESTAMP": "timestamp", "BOOLEAN": "boolean"}


def _typed(table: ir.Table, columns: dict[str, str]) -> ir.Table:
    return table.select(*[table[c].cast(dt_types.dtype(IBIS_TYPES[kind])).name(c)
                          for c, kind in columns.items()])


def store_snapshot(database: Any, snapshot: Snapshot, rows: ir.Table) -> Snapshot:
    """Store ``snapshot`` and its ``rows`` where ``database`` keeps its tables: a DuckDB
    database of :func:`valuecrm.connect` (:func:`~valuecrm.store.snapshots.write_snapshot`),
    or another engine (:func:`write_in_engine`)."""
    if hasattr(database, "raw"):
        return write_snapshot(database, snapshot, rows)
    return write_in_engine(database, snapshot, rows)


def write_in_engine(database: Any, snapshot: Snapshot, rows: ir.Table) -> Snapshot:
    """Store ``snapshot`` and its ``rows`` in the engine of ``database`` (see the module)."""
    con = database.con
    existing = list_snapshots(database)
    same_day = next((s for s in existing if s.as_of == snapshot.as_of), None)
    snapshot.snapshot_id = (same_day.snapshot_id if same_day is not None
                            else max((s.snapshot_id for s in existing), default=0) + 1)
    new_rows = _typed(rows.mutate(snapshot_id=ibis.literal(snapshot.snapshot_id, "int64"),
                                  as_of=ibis.literal(snapshot.as_of, "date")), VALUE_COLUMNS)
    tables = set(con.list_tables())
    if VALUE_TABLE not in tables:
        con.create_table(VALUE_TABLE, new_rows)
    elif same_day is None:
        con.insert(VALUE_TABLE, new_rows)
    else:  # replace the rows of that snapshot: rebuild the table from a staging copy
        kept = con.table(VALUE_TABLE)
        kept = kept.filter(kept.snapshot_id != snapshot.snapshot_id)
        staging = f"_valuecrm_stage_{uuid.uuid4().hex[:8]}"
        con.create_table(staging, _typed(kept, VALUE_COLUMNS).union(new_rows))
        try:
            con.insert(VALUE_TABLE, con.table(staging), overwrite=True)
        finally:
            con.drop_table(staging, force=True)
    _write_snapshot_row(con, snapshot, [s for s in existing if s is not same_day],
                        SNAPSHOTS_TABLE in tables)
    return snapshot


def _write_snapshot_row(con: Any, snapshot: Snapshot, others: list[Snapshot],
                        exists: bool) -> None:
    """The snapshots table: a few rows, rewritten whole from pandas."""
    frame = pd.DataFrame([_row(s) for s in [*others, snapshot]],
                         columns=list(SNAPSHOT_COLUMNS))
    table = _typed(ibis.memtable(frame), SNAPSHOT_COLUMNS)
    if exists:
        con.insert(SNAPSHOTS_TABLE, table, overwrite=True)
    else:
        con.create_table(SNAPSHOTS_TABLE, table)


def _row(snapshot: Snapshot) -> dict[str, Any]:
    return {"snapshot_id": snapshot.snapshot_id, "as_of": snapshot.as_of,
            "created_at": snapshot.created_at, "model": snapshot.model,
            "model_reason": snapshot.model_reason, "parameters": _json(snapshot.parameters),
            "config": _json(snapshot.config), "counts": _json(snapshot.counts),
            "warnings": _json(snapshot.warnings), "metadata": _json(snapshot.metadata)}
