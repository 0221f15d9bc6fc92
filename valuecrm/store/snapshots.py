"""Dated snapshots of the customer value table, kept side by side in the database.

Two tables: ``snapshots`` (one row per analysis: id, as-of date, when it ran, the model chosen
and why, parameters, configuration, counts and warnings as JSON) and ``customer_value`` (one
row per customer and snapshot), created and upgraded with every other table by
:mod:`valuecrm.store.migrations` when the database is opened. Writing a snapshot for an as-of
date that already has one replaces it, in one transaction: readers see the old one or the new
one, never a mix.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import duckdb
import ibis.expr.types as ir
import pandas as pd

from valuecrm.errors import NotFoundError, ParameterError

SNAPSHOTS_TABLE = "snapshots"
VALUE_TABLE = "customer_value"

# column -> DuckDB type of the customer value table, in display order
VALUE_COLUMNS: dict[str, str] = {
    "snapshot_id": "BIGINT", "as_of": "DATE", "customer_id": "VARCHAR",
    "first_purchase": "TIMESTAMP", "last_purchase": "TIMESTAMP", "tenure_days": "BIGINT",
    "days_since_last": "BIGINT", "n_orders": "BIGINT", "n_purchases": "BIGINT",
    "n_returns": "BIGINT", "total_spend": "DOUBLE", "revenue": "DOUBLE", "margin": "DOUBLE",
    "current_value": "DOUBLE",
    "cost_to_serve": "DOUBLE", "net_value": "DOUBLE", "categories_bought": "BIGINT",
    "loyalty_member": "BOOLEAN", "referrals": "BIGINT",
    "frequency": "BIGINT", "recency": "DOUBLE", "T": "DOUBLE", "monetary_value": "DOUBLE",
    "r_score": "BIGINT", "f_score": "BIGINT", "m_score": "BIGINT", "rfm_cell": "VARCHAR",
    "rfm_total": "DOUBLE", "rfm_segment": "VARCHAR", "rfm_class": "VARCHAR",
    "rfm_class_en": "VARCHAR", "rfm_class_code": "VARCHAR",
    "p_alive": "DOUBLE", "p_alive_lower": "DOUBLE", "p_alive_upper": "DOUBLE",
    "expected_purchases": "DOUBLE", "expected_purchases_lower": "DOUBLE",
    "expected_purchases_upper": "DOUBLE", "expected_order_value": "DOUBLE",
    "expected_spend": "DOUBLE", "clv": "DOUBLE", "clv_lower": "DOUBLE", "clv_upper": "DOUBLE",
    "status": "VARCHAR", "trend_window_days": "BIGINT", "recent_purchases": "BIGINT",
    "expected_recent": "DOUBLE", "rate_trend": "DOUBLE", "spend_trend": "DOUBLE",
    "trend_statistic": "DOUBLE", "silence_probability": "DOUBLE",
    "lifecycle_stage": "VARCHAR", "cross_buy_headroom": "DOUBLE", "growth_potential": "DOUBLE",
    "quadrant": "VARCHAR", "strategy": "VARCHAR", "tier": "VARCHAR", "value_class": "VARCHAR",
    "loyalty_stage": "VARCHAR", "relationship_level": "VARCHAR",
}

# column -> DuckDB type of the snapshots table (JSON documents are stored as VARCHAR)
SNAPSHOT_COLUMNS: dict[str, str] = {
    "snapshot_id": "BIGINT", "as_of": "DATE", "created_at": "TIMESTAMP", "model": "VARCHAR",
    "model_reason": "VARCHAR", "parameters": "VARCHAR", "config": "VARCHAR", "counts": "VARCHAR",
    "warnings": "VARCHAR", "metadata": "VARCHAR",
}
SNAPSHOT_DDL = f"""CREATE TABLE IF NOT EXISTS {SNAPSHOTS_TABLE} (
  snapshot_id BIGINT PRIMARY KEY, as_of DATE NOT NULL UNIQUE, created_at TIMESTAMP NOT NULL,
  model VARCHAR, model_reason VARCHAR, parameters VARCHAR, config VARCHAR, counts VARCHAR,
  warnings VARCHAR, metadata VARCHAR)"""
# No primary key: rows are unique per (snapshot_id, customer_id) by construction (one row per
# customer of a group-by), and DuckDB's index makes replacing a snapshot of a million customers
# take minutes (deleted keys re-inserted in one transaction) instead of seconds.
VALUE_DDL = (f"CREATE TABLE IF NOT EXISTS {VALUE_TABLE} (\n  "
             + ",\n  ".join(f'"{c}" {t}' for c, t in VALUE_COLUMNS.items()) + ")")


@dataclass
class Snapshot:
    """One analysis run: what it covered and how it was made (rows: ``customer_value``)."""

    snapshot_id: int
    as_of: dt.date
    created_at: dt.datetime
    model: str | None
    model_reason: str
    parameters: dict[str, Any] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def n_customers(self) -> int:
        return int(self.counts.get("customers", 0))

    @property
    def margin_known(self) -> bool:
        """False when no order row up to the as-of date had a cost or a margin: the snapshot's
        margin figures (``margin``, ``current_value``, win-back's annual margin) are then
        revenue. True for a snapshot that did not record its margin sources."""
        sources = self.metadata.get("margin_source_rows")
        if not sources:
            return True
        return any(n for name, n in sources.items() if name != "amount")

    @property
    def margin_label(self) -> str:
        """What to call the margin figures: "margin", or "revenue (no cost data)"."""
        return "margin" if self.margin_known else "revenue (no cost data)"

    def to_dict(self) -> dict[str, Any]:
        return {"snapshot_id": self.snapshot_id, "as_of": self.as_of.isoformat(),
                "created_at": self.created_at.isoformat(timespec="seconds"),
                "model": self.model, "model_reason": self.model_reason,
                "parameters": self.parameters, "config": self.config, "counts": self.counts,
                "warnings": self.warnings, "metadata": self.metadata}

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Snapshot:
        def load(key: str, empty: Any) -> Any:
            text = row.get(key)
            return json.loads(text) if text else empty

        return cls(snapshot_id=int(row["snapshot_id"]), as_of=pd.Timestamp(row["as_of"]).date(),
                   created_at=pd.Timestamp(row["created_at"]).to_pydatetime(),
                   model=row.get("model"), model_reason=row.get("model_reason") or "",
                   parameters=load("parameters", {}), config=load("config", {}),
                   counts=load("counts", {}), warnings=load("warnings", []),
                   metadata=load("metadata", {}))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_default)


def _default(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, dt.date | dt.datetime | pd.Timestamp):
        return value.isoformat()
    return str(value)


def write_snapshot(database: Any, snapshot: Snapshot, rows: ir.Table | str) -> Snapshot:
    """Store ``snapshot`` and its ``rows`` in a DuckDB database, in one transaction.

    An earlier snapshot of the same as-of date is replaced and keeps its id; otherwise the new
    id is one more than the largest so far. ``rows`` (an Ibis table of the database's engine,
    or SQL text on DuckDB) has the columns of :data:`VALUE_COLUMNS` except ``snapshot_id`` and
    ``as_of``; computed in another engine, they are streamed here in Arrow batches. (Into
    another engine's tables: :func:`valuecrm.store.engine_snapshots.store_snapshot`.)
    """
    if not isinstance(rows, str) and _backend(rows) is not database.con:
        return _write_streamed(database, snapshot, rows)
    rows_sql = rows if isinstance(rows, str) else str(database.con.compile(rows))
    raw = database.raw
    raw.execute("BEGIN TRANSACTION")
    try:
        found = raw.execute(f"SELECT snapshot_id FROM {SNAPSHOTS_TABLE} WHERE as_of = ?",
                            [snapshot.as_of]).fetchone()
        if found:
            snapshot.snapshot_id = int(found[0])
            raw.execute(f"DELETE FROM {VALUE_TABLE} WHERE snapshot_id = ?", [found[0]])
            raw.execute(f"DELETE FROM {SNAPSHOTS_TABLE} WHERE snapshot_id = ?", [found[0]])
        else:
            top = raw.execute(f"SELECT max(snapshot_id) FROM {SNAPSHOTS_TABLE}").fetchone()[0]
            snapshot.snapshot_id = int(top or 0) + 1
        raw.execute(
            f"INSERT INTO {SNAPSHOTS_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [snapshot.snapshot_id, snapshot.as_of, snapshot.created_at, snapshot.model,
             snapshot.model_reason, _json(snapshot.parameters), _json(snapshot.config),
             _json(snapshot.counts), _json(snapshot.warnings), _json(snapshot.metadata)])
        columns = [c for c in VALUE_COLUMNS if c not in ("snapshot_id", "as_of")]
        quoted = ", ".join(f'"{c}"' for c in columns)
        raw.execute(
            f'INSERT INTO {VALUE_TABLE} ("snapshot_id", "as_of", {quoted}) '
            f"SELECT {snapshot.snapshot_id}, DATE '{snapshot.as_of.isoformat()}', {quoted} "
            f"FROM ({rows_sql}) AS rows")
        raw.execute("COMMIT")
    except BaseException:
        raw.execute("ROLLBACK")
        raise
    return snapshot


def _backend(rows: ir.Table) -> Any:
    try:
        return rows._find_backend()
    except Exception:  # an expression over in-memory data only
        return None


def _write_streamed(database: Any, snapshot: Snapshot, rows: ir.Table) -> Snapshot:
    """Store rows computed in another engine: streamed in Arrow batches into a DuckDB view,
    then written as any snapshot is."""
    view = "_valuecrm_streamed_rows"
    database.raw.register(view, rows.to_pyarrow_batches())
    try:
        columns = ", ".join(f'"{c}"' for c in VALUE_COLUMNS if c not in ("snapshot_id", "as_of"))
        return write_snapshot(database, snapshot, f"SELECT {columns} FROM {view}")
    finally:
        database.raw.unregister(view)


def _has_tables(database: Any) -> bool:
    if not hasattr(database, "raw"):
        names = set(database.con.list_tables())
    else:
        names = {r[0] for r in database.raw.execute(
            "SELECT table_name FROM duckdb_tables()").fetchall()}
    return SNAPSHOTS_TABLE in names and VALUE_TABLE in names


def list_snapshots(database: Any) -> list[Snapshot]:
    """Every snapshot in the database, oldest as-of date first."""
    if not _has_tables(database):
        return []
    if not hasattr(database, "raw"):  # another engine: the few rows through Ibis
        frame = database.con.table(SNAPSHOTS_TABLE).order_by("as_of").to_pandas()
    else:  # plain rows: read on every request of a server, several times faster than pandas
        result = database.raw.execute(f"SELECT * FROM {SNAPSHOTS_TABLE} ORDER BY as_of")
        names = [d[0] for d in result.description]
        return [Snapshot.from_row(dict(zip(names, row, strict=True)))
                for row in result.fetchall()]
    return [Snapshot.from_row(row) for row in frame.to_dict("records")]


def snapshot_by_id(database: Any, snapshot_id: int) -> Snapshot:
    """The snapshot ``snapshot_id`` of a DuckDB database, read alone (one query: a 360 view
    needs the one its value row comes from); :func:`get_snapshot` otherwise, which says
    what is missing."""
    if hasattr(database, "raw"):
        with contextlib.suppress(duckdb.CatalogException):
            result = database.raw.execute(f"SELECT * FROM {SNAPSHOTS_TABLE} WHERE snapshot_id = ?",
                                          [int(snapshot_id)])
            names = [d[0] for d in result.description]
            found = result.fetchall()
            if len(found) == 1:
                return Snapshot.from_row(dict(zip(names, found[0], strict=True)))
    return get_snapshot(database, int(snapshot_id))


def get_snapshot(database: Any, snapshot: int | str | dt.date | None = None) -> Snapshot:
    """A snapshot by id, by as-of date (``"1998-06-30"``), or the latest when None."""
    snapshots = list_snapshots(database)
    if not snapshots:
        raise NotFoundError("There is no snapshot of the customer value table yet.",
                            hint="Run 'valuecrm analyze' (or valuecrm.analyze(db)) first.")
    if snapshot is None:
        return snapshots[-1]
    wanted_id, wanted_date = _parse_key(snapshot)
    for s in snapshots:
        if s.snapshot_id == wanted_id or s.as_of == wanted_date:
            return s
    known = ", ".join(f"{s.snapshot_id} ({s.as_of})" for s in snapshots)
    raise NotFoundError(f"There is no snapshot {snapshot!r}.", hint=f"Snapshots: {known}.")


def _parse_key(key: int | str | dt.date) -> tuple[int | None, dt.date | None]:
    if isinstance(key, bool):
        raise ParameterError.of("snapshot", "get_snapshot", "an id or an as-of date", key)
    if isinstance(key, int):
        return key, None
    if isinstance(key, dt.date):
        return None, key if not isinstance(key, dt.datetime) else key.date()
    text = str(key).strip()
    if text.isdigit():
        return int(text), None
    try:
        return None, dt.date.fromisoformat(text)
    except ValueError:
        raise ParameterError.of("snapshot", "get_snapshot",
                                "a snapshot id or an as-of date as YYYY-MM-DD", key) from None


def read_snapshot(database: Any, snapshot: int | str | dt.date | None = None) -> ir.Table:
    """The customer value rows of one snapshot (the latest by default), as an Ibis table."""
    found = get_snapshot(database, snapshot)
    table = database.table(VALUE_TABLE)
    return table.filter(table.snapshot_id == found.snapshot_id)
