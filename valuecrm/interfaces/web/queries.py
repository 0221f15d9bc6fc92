"""The numbers behind each dashboard page: SQL aggregates over one snapshot, never whole tables.

Every function takes a DuckDB cursor and a snapshot id and returns small lists of dicts (at most
a few thousand rows: the value-matrix scatter is a sample of ``SCATTER_POINTS`` customers).
Aggregates of the value table are kept (:func:`per_snapshot`) until a snapshot is added,
replaced or removed: on a million customers each takes up to seconds, and a snapshot never
changes once written.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import duckdb

from valuecrm import views
from valuecrm.interfaces.api.state import rows
from valuecrm.store import Database
from valuecrm.store.snapshots import SNAPSHOTS_TABLE, VALUE_TABLE, Snapshot

SCATTER_POINTS = 5000
HISTOGRAM_BINS = 30
Cursor = duckdb.DuckDBPyConnection
Result = TypeVar("Result")
_kept: dict[Any, Any] = {}
_kept_lock = threading.Lock()


def _generation(cur: Cursor) -> tuple[Any, ...]:
    """The database file and its snapshots (id, creation time, a digest of the metadata, which
    holds the run's timings): what the kept results rest on."""
    path = cur.execute("SELECT path FROM duckdb_databases() WHERE database_name = "
                       "current_database()").fetchone()
    try:
        found = cur.execute(f"SELECT snapshot_id, created_at, md5(metadata) FROM "
                            f"{SNAPSHOTS_TABLE} ORDER BY snapshot_id").fetchall()
    except duckdb.CatalogException:
        found = []
    return (path, tuple(found))


def per_snapshot(func: Callable[..., Result]) -> Callable[..., Result]:
    """Keep ``func(cur, *args)``'s result while the database's snapshots stay the same."""

    @functools.wraps(func)
    def kept(cur: Cursor, *args: Any) -> Result:
        generation = _generation(cur)
        key = (generation, func.__name__, args)
        with _kept_lock:
            if key in _kept:
                return _kept[key]
        value = func(cur, *args)
        with _kept_lock:
            for old in [k for k in _kept if k[0][0] == generation[0] and k[0] != generation]:
                del _kept[old]
            _kept[key] = value
        return value

    return kept


def snapshots(cur: Cursor) -> list[Snapshot]:
    """Every snapshot, oldest first (empty when ``valuecrm analyze`` never ran)."""
    tables = {r[0] for r in cur.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if SNAPSHOTS_TABLE not in tables or VALUE_TABLE not in tables:
        return []
    found = rows(cur, f"SELECT * FROM {SNAPSHOTS_TABLE} ORDER BY as_of")
    return [Snapshot.from_row(row) for row in found]


def _where(snapshot_id: int) -> str:
    return f"FROM {VALUE_TABLE} WHERE snapshot_id = {int(snapshot_id)}"


def _database(cur: Cursor) -> Database:
    """A :class:`Database` over this request's cursor, for the views."""
    import ibis

    return Database(ibis.duckdb.from_connection(cur), None)


@per_snapshot
def headline(cur: Cursor, snapshot_id: int) -> dict[str, Any]:
    """Customers, active customers, customer equity, mean CLV and revenue: the one definition
    of each, shared with the CLI, the API and the report (:func:`valuecrm.views.headline`)."""
    return views.headline(_database(cur), snapshot_id)


@per_snapshot
def counts_by(cur: Cursor, snapshot_id: int, column: str) -> list[dict[str, Any]]:
    """Customers, total and mean CLV, revenue and mean P(alive) per value of ``column``: the
    groups 'valuecrm segments' and GET /api/segments show (:func:`valuecrm.views.segments`)."""
    return views.segments(_database(cur), snapshot_id, by=column)["items"]


def ordered(groups: list[dict[str, Any]], order: list[str]) -> list[dict[str, Any]]:
    """``groups`` in the display ``order`` of their labels (unknown groups last)."""
    rank = {name: i for i, name in enumerate(order)}
    return sorted(groups, key=lambda g: (rank.get(g["group"], len(rank)), str(g["group"])))


@per_snapshot
def clv_histogram(cur: Cursor, snapshot_id: int) -> list[dict[str, Any]]:
    """CLV in ``HISTOGRAM_BINS`` equal bins up to its 99th percentile (the rest in the last)."""
    top = cur.execute(f"SELECT quantile_cont(clv, 0.99), min(clv) {_where(snapshot_id)} "
                      "AND clv IS NOT NULL").fetchone()
    if top[0] is None:
        return []
    low, high = min(float(top[1]), 0.0), float(top[0])
    width = (high - low) / HISTOGRAM_BINS or 1.0
    found = rows(cur, f"SELECT least(floor((clv - {low}) / {width}), {HISTOGRAM_BINS - 1}) "
                      f"AS bin, count(*) AS customers {_where(snapshot_id)} "
                      "AND clv IS NOT NULL GROUP BY 1 ORDER BY 1")
    return [{"from": low + r["bin"] * width, "to": low + (r["bin"] + 1) * width,
             "customers": r["customers"]} for r in found]


@per_snapshot
def trends(cur: Cursor) -> list[dict[str, Any]]:
    """The headline figures of every snapshot, oldest first (:func:`valuecrm.views.trends`)."""
    return views.trends(_database(cur))


@per_snapshot
def rf_grid(cur: Cursor, snapshot_id: int) -> list[dict[str, Any]]:
    """Customers and mean spend per (R score, F score) cell (:func:`valuecrm.views.rf_grid`,
    as in the report)."""
    return views.rf_grid(_database(cur), snapshot_id)


@per_snapshot
def scatter_sample(cur: Cursor, snapshot_id: int) -> list[dict[str, Any]]:
    """Current value, growth potential and quadrant of at most ``SCATTER_POINTS`` customers,
    the same sample on every request (ordered by a hash of the customer id)."""
    return rows(cur, f"SELECT round(current_value, 2) AS current_value, round(growth_potential, "
                     f"2) AS growth_potential, quadrant {_where(snapshot_id)} "
                     f"ORDER BY hash(customer_id) LIMIT {SCATTER_POINTS}")


@per_snapshot
def quadrant_cuts(cur: Cursor, snapshot_id: int) -> dict[str, Any]:
    """Where the value matrix is cut: the medians of current value and growth potential."""
    return rows(cur, f"SELECT median(current_value) AS value, median(growth_potential) AS growth "
                     f"{_where(snapshot_id)}")[0]


@per_snapshot
def migration(cur: Cursor, previous: int, current: int) -> list[dict[str, Any]]:
    """Customers per (previous RFM segment, current RFM segment) of two snapshots, as
    'valuecrm migration' counts them (:func:`valuecrm.views.migration`; new customers come
    from "(new)", those gone go to "(gone)")."""
    found = views.migration(_database(cur), int(previous), int(current), by="rfm_segment")
    return [{"previous": t["from_group"], "current": t["to_group"],
             "customers": t["customers"]} for t in found["transitions"]]


@per_snapshot
def palive_matrix(cur: Cursor, snapshot_id: int) -> list[dict[str, Any]]:
    """Mean P(alive) per repeat purchases (capped at 20) and weeks since the last purchase
    (in 13-week bins)."""
    return rows(cur, f"SELECT least(frequency, 20) AS frequency, "
                     f"floor(days_since_last / 91) * 13 AS weeks, avg(p_alive) AS p_alive, "
                     f"count(*) AS customers {_where(snapshot_id)} AND p_alive IS NOT NULL "
                     "GROUP BY 1, 2 ORDER BY 1, 2")


@per_snapshot
def frequency_cap(cur: Cursor, snapshot_id: int) -> int:
    """The 99th percentile of repeat frequency (at least 1, at most 30): the rows of the
    frequency-recency matrix."""
    found = cur.execute(f"SELECT quantile_disc(frequency, 0.99) {_where(snapshot_id)}"
                        ).fetchone()[0]
    return int(min(max(found or 1, 1), 30))
