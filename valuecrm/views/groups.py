"""Snapshots, the groups of a snapshot, migration between two, and cohort retention."""

from __future__ import annotations

from typing import Any

from valuecrm.analysis.cohorts import cohort_retention
from valuecrm.analysis.groups import group_summary
from valuecrm.analysis.migration import segment_migration
from valuecrm.analysis.snapshots import get_snapshot, list_snapshots
from valuecrm.views._plain import plain, records

SnapshotKey = int | str | None


def snapshots(database: Any) -> dict[str, Any]:
    """Every snapshot, oldest as-of date first, under ``items``."""
    return plain({"items": [s.to_dict() for s in list_snapshots(database)]})


def segments(database: Any, snapshot: SnapshotKey = None, by: str = "rfm_segment",
             ) -> dict[str, Any]:
    """The groups of ``by`` in a snapshot (the latest by default), in the labels' order, under
    ``items``: group, name, customers, share, revenue, margin, current_value, clv, clv_share,
    mean_clv, mean_p_alive (:func:`valuecrm.analysis.group_summary`)."""
    found = get_snapshot(database, snapshot)
    table = group_summary(database, found.snapshot_id, by=by)
    return plain({"snapshot_id": found.snapshot_id, "as_of": found.as_of,
                  "model": found.model, "margin_known": found.margin_known, "by": by,
                  "items": records(table)})


def migration(database: Any, from_snapshot: SnapshotKey, to_snapshot: SnapshotKey,
              by: str = "rfm_segment") -> dict[str, Any]:
    """How customers moved between the groups of ``by`` from one snapshot to another:
    ``from`` and ``to`` (id and date) and ``transitions`` (from_group, to_group, customers,
    clv_from, clv_to)."""
    return plain(segment_migration(database, from_snapshot, to_snapshot, by=by).to_dict())


def cohorts(database: Any, as_of: str | None = None, period: str = "M") -> dict[str, Any]:
    """Cohort retention up to ``as_of``: ``as_of``, ``period`` (month, quarter, year) and
    ``cohorts`` (cohort, period, cohort_size, active, share)."""
    return plain(cohort_retention(database, as_of=as_of, period=period).to_dict())
