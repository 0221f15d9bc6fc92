"""The numbers behind each dashboard page, from the read layer (:mod:`valuecrm.views`, the
dashboard-only charts in :mod:`valuecrm.views.dashboard`), kept per snapshot.

Every function takes a DuckDB cursor and a snapshot id and returns small lists of dicts.
Aggregates of the value table are kept (:func:`per_snapshot`) until a snapshot is added,
replaced or removed: on a million customers each takes up to seconds, and a snapshot never
changes once written.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import duckdb

from valuecrm import views
from valuecrm.store import Database
from valuecrm.views import dashboard
from valuecrm.views.answer_cache import kept
from valuecrm.views.dashboard import HISTOGRAM_BINS, SCATTER_POINTS, snapshots

__all__ = ["HISTOGRAM_BINS", "SCATTER_POINTS", "clv_histogram", "counts_by", "frequency_cap",
           "headline", "migration", "ordered", "palive_matrix", "per_snapshot",
           "quadrant_cuts", "rf_grid", "scatter_sample", "snapshots", "trends"]
Cursor = duckdb.DuckDBPyConnection
Result = TypeVar("Result")


def per_snapshot(func: Callable[..., Result]) -> Callable[..., Result]:
    """Keep ``func(cur, *args)``'s result while the database's snapshots stay the same (the
    read layer's one cache, :func:`valuecrm.views.answer_cache.kept`)."""

    name = f"{func.__module__}.{func.__qualname__}"  # the cache is shared with the views

    @functools.wraps(func)
    def kept_answer(cur: Cursor, *args: Any) -> Result:
        return kept(cur, name, lambda: func(cur, *args), *args)

    return kept_answer


def database_of(cur: Cursor) -> Database:
    """A :class:`Database` over this request's cursor, for the views (its Ibis connection
    made only if a view asks for it)."""
    return Database.over_cursor(cur)


@per_snapshot
def headline(cur: Cursor, snapshot_id: int) -> dict[str, Any]:
    """Customers, active customers, customer equity, mean CLV and revenue: the one definition
    of each, shared with the CLI, the API and the report (:func:`valuecrm.views.headline`)."""
    return views.headline(database_of(cur), snapshot_id)


@per_snapshot
def counts_by(cur: Cursor, snapshot_id: int, column: str) -> list[dict[str, Any]]:
    """Customers, total and mean CLV, revenue and mean P(alive) per value of ``column``: the
    groups 'valuecrm segments' and GET /api/segments show (:func:`valuecrm.views.segments`)."""
    return views.segments(database_of(cur), snapshot_id, by=column)["items"]


def ordered(groups: list[dict[str, Any]], order: list[str]) -> list[dict[str, Any]]:
    """``groups`` in the display ``order`` of their labels (unknown groups last)."""
    rank = {name: i for i, name in enumerate(order)}
    return sorted(groups, key=lambda g: (rank.get(g["group"], len(rank)), str(g["group"])))


@per_snapshot
def clv_histogram(cur: Cursor, snapshot_id: int) -> list[dict[str, Any]]:
    """CLV in equal bins (:func:`valuecrm.views.dashboard.clv_histogram`)."""
    return dashboard.clv_histogram(cur, snapshot_id)


@per_snapshot
def trends(cur: Cursor) -> list[dict[str, Any]]:
    """The headline figures of every snapshot, oldest first (:func:`valuecrm.views.trends`)."""
    return views.trends(database_of(cur))


@per_snapshot
def rf_grid(cur: Cursor, snapshot_id: int) -> list[dict[str, Any]]:
    """Customers and mean spend per (R score, F score) cell (:func:`valuecrm.views.rf_grid`,
    as in the report)."""
    return views.rf_grid(database_of(cur), snapshot_id)


@per_snapshot
def scatter_sample(cur: Cursor, snapshot_id: int) -> list[dict[str, Any]]:
    """The value-matrix sample (:func:`valuecrm.views.dashboard.scatter_sample`)."""
    return dashboard.scatter_sample(cur, snapshot_id)


@per_snapshot
def quadrant_cuts(cur: Cursor, snapshot_id: int) -> dict[str, Any]:
    """The value-matrix cuts (:func:`valuecrm.views.dashboard.quadrant_cuts`)."""
    return dashboard.quadrant_cuts(cur, snapshot_id)


@per_snapshot
def migration(cur: Cursor, previous: int, current: int) -> list[dict[str, Any]]:
    """Customers per (previous RFM segment, current RFM segment) of two snapshots, as
    'valuecrm migration' counts them (:func:`valuecrm.views.migration`; new customers come
    from "(new)", those gone go to "(gone)")."""
    found = views.migration(database_of(cur), int(previous), int(current), by="rfm_segment")
    return [{"previous": t["from_group"], "current": t["to_group"],
             "customers": t["customers"]} for t in found["transitions"]]


@per_snapshot
def palive_matrix(cur: Cursor, snapshot_id: int) -> list[dict[str, Any]]:
    """Mean P(alive) by frequency and recency (:func:`valuecrm.views.dashboard.palive_matrix`)."""
    return dashboard.palive_matrix(cur, snapshot_id)


@per_snapshot
def frequency_cap(cur: Cursor, snapshot_id: int) -> int:
    """The frequency-recency matrix's rows (:func:`valuecrm.views.dashboard.frequency_cap`)."""
    return dashboard.frequency_cap(cur, snapshot_id)
