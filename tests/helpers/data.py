"""Small databases loaded straight into DuckDB (the validating ingestion is tested in
tests/store; here it would only make the suite slower), and stored snapshots written from frames."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from valuecrm.store import Database, connect
from valuecrm.store.snapshots import VALUE_COLUMNS, Snapshot, write_snapshot

CDNOW_AS_OF = "1998-06-30"
CDNOW_EARLIER = "1997-12-31"
CDNOW_CALIBRATION_END = "1997-09-30"  # the papers' calibration period ends here
# the as-of dates of the generated base of tests/actions
GENERATED_EARLIER = "2025-06-30"
GENERATED_LATER = "2025-12-31"


def insert(database: Database, table: str, frame: pd.DataFrame) -> None:
    """Append ``frame`` to a canonical table (columns by name; missing ones stay null)."""
    database.raw.register("_frame", frame)
    try:
        database.raw.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM _frame')
    finally:
        database.raw.unregister("_frame")


def orders_frame(rows: list[tuple[str, str, float]], **extra: list) -> pd.DataFrame:
    """Orders from (customer_id, day, amount) rows, with order ids in row order."""
    frame = pd.DataFrame(rows, columns=["customer_id", "ordered_at", "amount"])
    frame["ordered_at"] = pd.to_datetime(frame["ordered_at"])
    frame.insert(0, "order_id", [f"o{i}" for i in range(len(frame))])
    for name, values in extra.items():
        frame[name] = values
    return frame


def small_database(path: Path, rows: list[tuple[str, str, float]], **extra: list) -> Database:
    database = connect(path)
    orders = orders_frame(rows, **extra)
    insert(database, "customers", pd.DataFrame({"customer_id": sorted(set(orders.customer_id))}))
    insert(database, "orders", orders)
    return database


def store_snapshot(database, as_of: str, rows: pd.DataFrame) -> Snapshot:
    """Write ``rows`` (some customer value columns) as the snapshot of ``as_of``."""
    database.raw.register("_rows", rows)
    try:
        columns = [c for c in VALUE_COLUMNS if c not in ("snapshot_id", "as_of")]
        select = ", ".join(f'"{c}"' if c in rows else f'CAST(NULL AS {VALUE_COLUMNS[c]}) AS "{c}"'
                           for c in columns)
        snapshot = Snapshot(0, dt.date.fromisoformat(as_of), dt.datetime(2024, 7, 1), "BetaGeo",
                            "test")
        return write_snapshot(database, snapshot, f"SELECT {select} FROM _rows")
    finally:
        database.raw.unregister("_rows")
