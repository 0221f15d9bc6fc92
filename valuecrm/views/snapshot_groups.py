"""Snapshots, the groups of a snapshot, migration between two, and cohort retention."""

from __future__ import annotations

from typing import Any

from valuecrm.errors import NotFoundError
from valuecrm.reports.cohorts import cohort_retention
from valuecrm.reports.group_figures import group_summary
from valuecrm.reports.migration import segment_migration
from valuecrm.store.snapshots import get_snapshot, list_snapshots, read_snapshot
from valuecrm.views._plain import plain, records
from valuecrm.views.answer_cache import kept

SnapshotKey = int | str | None


def snapshots(database: Any) -> dict[str, Any]:
    """Every snapshot, oldest as-of date first, under ``items``."""
    return plain({"items": [s.to_dict() for s in list_snapshots(database)]})


def segments(database: Any, snapshot: SnapshotKey = None, by: str = "rfm_segment",
             ) -> dict[str, Any]:
    """The groups of ``by`` in a snapshot (the latest by default), in the labels' order, under
    ``items``: group, name, customers, share, revenue, margin, current_value, clv, clv_share,
    mean_clv, mean_p_alive (:func:`valuecrm.reports.group_figures.group_summary`)."""
    found = get_snapshot(database, snapshot)
    table = group_summary(database, found.snapshot_id, by=by)
    return plain({"snapshot_id": found.snapshot_id, "as_of": found.as_of,
                  "model": found.model, "margin_known": found.margin_known, "by": by,
                  "items": records(table)})


def rf_grid(database: Any, snapshot_id: int) -> list[dict[str, Any]]:
    """Customers and mean spend (``monetary``) per (``r_score``, ``f_score``) cell of a
    snapshot, scored customers only, by R then F."""
    rows = read_snapshot(database, snapshot_id)
    rows = rows.filter(rows.r_score.notnull() & rows.f_score.notnull())
    grid = (rows.group_by("r_score", "f_score")
            .agg(customers=rows.count(), monetary=rows.monetary_value.mean())
            .order_by("r_score", "f_score").to_pandas())
    return records(grid)


def migration(database: Any, from_snapshot: SnapshotKey = None, to_snapshot: SnapshotKey = None,
              by: str = "rfm_segment") -> dict[str, Any]:
    """How customers moved between the groups of ``by`` from one snapshot to another:
    ``from`` and ``to`` (id and date) and ``transitions`` (from_group, to_group, customers,
    clv_from, clv_to). By default ``to`` is the latest snapshot and ``from`` the one before it.
    """
    if from_snapshot is None:
        to = get_snapshot(database, to_snapshot)
        earlier = [s for s in list_snapshots(database) if s.as_of < to.as_of]
        if not earlier:
            raise NotFoundError(f"There is no snapshot before the one as of {to.as_of} to "
                                "compare it with.",
                                hint="Analyse an earlier as-of date first, or name both "
                                     "snapshots.")
        from_snapshot, to_snapshot = earlier[-1].snapshot_id, to.snapshot_id
    return plain(segment_migration(database, from_snapshot, to_snapshot, by=by).to_dict())


def cohorts(database: Any, as_of: str | None = None, period: str = "M") -> dict[str, Any]:
    """Cohort retention up to ``as_of``: ``as_of``, ``period`` (month, quarter, year) and
    ``cohorts`` (cohort, period, cohort_size, active, share)."""
    return plain(cohort_retention(database, as_of=as_of, period=period).to_dict())


def cohort_grid(database: Any, as_of: Any, last: int = 36) -> dict[str, Any]:
    """The latest ``last`` monthly cohorts up to ``as_of`` as a grid for a heatmap: ``cohorts``
    (labels), ``periods`` (months since the first purchase) and ``shares`` (one row per cohort,
    None where the period has not happened yet); kept per snapshot."""

    def compute() -> dict[str, Any]:
        pivot = cohort_retention(database, as_of=as_of, period="M").pivot
        pivot = pivot.iloc[-last:]
        pivot = pivot.loc[:, pivot.notna().any()]
        return {"cohorts": [str(c) for c in pivot.index],
                "periods": [int(p) for p in pivot.columns],
                "shares": [[None if v != v else round(float(v), 4) for v in row]
                           for row in pivot.to_numpy()]}

    return kept(database, "cohort_grid", compute, str(as_of), last)
