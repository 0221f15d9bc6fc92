"""Segment migration between two snapshots of the customer value table (a transition matrix).

Each customer of either snapshot is counted once, in the cell (group at the earlier snapshot,
group at the later one). Customers only in the later snapshot come from ``"(new)"``; customers
only in the earlier one go to ``"(gone)"``; a missing label is ``"(none)"``. Value is the sum of
CLV at each snapshot (0 for a customer absent from it or without a CLV).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import ibis
import pandas as pd

from valuecrm.errors import ParameterError
from valuecrm.reports.group_figures import GROUPINGS
from valuecrm.store.snapshots import Snapshot, get_snapshot, read_snapshot

NEW = "(new)"
GONE = "(gone)"
NONE = "(none)"
EXTRA_GROUPINGS = {"rfm_cell": "rfm_cell", "rfm_class_en": "rfm_class_en"}

SnapshotKey = int | str | dt.date | None


@dataclass
class Migration:
    """The transition between two snapshots, tidy and as matrices.

    ``table``: one row per (``from_group``, ``to_group``) pair with ``customers``, ``clv_from``
    (sum of CLV at the earlier snapshot) and ``clv_to`` (at the later one). ``counts``,
    ``value_from`` and ``value_to``: the same as from x to matrices (zeros where no one moved).
    """

    from_snapshot: Snapshot
    to_snapshot: Snapshot
    by: str
    table: pd.DataFrame
    counts: pd.DataFrame
    value_from: pd.DataFrame
    value_to: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        return {"from": {"snapshot_id": self.from_snapshot.snapshot_id,
                         "as_of": self.from_snapshot.as_of.isoformat()},
                "to": {"snapshot_id": self.to_snapshot.snapshot_id,
                       "as_of": self.to_snapshot.as_of.isoformat()},
                "by": self.by,
                "transitions": [{k: (v.item() if hasattr(v, "item") else v)
                                 for k, v in row.items()}
                                for row in self.table.to_dict("records")]}


def grouping_column(by: str, owner: str) -> str:
    """The customer value column behind a grouping name (``stage`` -> ``lifecycle_stage``)."""
    known = {**GROUPINGS, **EXTRA_GROUPINGS}
    if by not in known:
        raise ParameterError.of("by", owner, "one of " + ", ".join(sorted(known)), by)
    return known[by]


def segment_migration(database: Any, from_snapshot: SnapshotKey, to_snapshot: SnapshotKey,
                      by: str = "rfm_segment") -> Migration:
    """How customers moved between the groups of ``by`` from one snapshot to another.

    Snapshots are given by id or as-of date. ``by``: rfm_segment, rfm_class, status, stage,
    quadrant, strategy, tier, value_class, ladder, relationship (or the column names behind
    them, rfm_cell, rfm_class_en). Computed in the engine (a full outer join on customer_id).
    """
    column = grouping_column(by, "segment_migration")
    first = get_snapshot(database, from_snapshot)
    second = get_snapshot(database, to_snapshot)
    if first.snapshot_id == second.snapshot_id:
        raise ParameterError(f"Both sides of the migration are snapshot {first.snapshot_id}.",
                             hint="Give two different snapshots (see 'valuecrm segments').")
    a = read_snapshot(database, first.snapshot_id)
    b = read_snapshot(database, second.snapshot_id)
    a = a.select(customer_id=a.customer_id, group_a=a[column].cast("string"),
                 clv_a=a.clv.cast("float64"), in_a=ibis.literal(True))
    b = b.select(customer_id_b=b.customer_id, group_b=b[column].cast("string"),
                 clv_b=b.clv.cast("float64"), in_b=ibis.literal(True))
    both = a.outer_join(b, a.customer_id == b.customer_id_b)
    in_a = both.in_a.fill_null(False)
    in_b = both.in_b.fill_null(False)
    moved = both.select(
        from_group=ibis.ifelse(in_a, both.group_a.fill_null(NONE), NEW),
        to_group=ibis.ifelse(in_b, both.group_b.fill_null(NONE), GONE),
        clv_a=both.clv_a.fill_null(0.0), clv_b=both.clv_b.fill_null(0.0))
    table = (moved.group_by("from_group", "to_group")
             .agg(customers=moved.count(), clv_from=moved.clv_a.sum(), clv_to=moved.clv_b.sum())
             .order_by("from_group", "to_group").to_pandas())
    table["customers"] = table["customers"].astype("int64")
    return Migration(first, second, by, table, transition_matrix(table, "customers"),
                     transition_matrix(table, "clv_from"), transition_matrix(table, "clv_to"))


def transition_matrix(table: pd.DataFrame, value: str = "customers") -> pd.DataFrame:
    """The ``value`` column of a migration's tidy ``table`` (or of its ``transitions``) as a
    from x to matrix: zeros where no one moved, (new) the first row, (gone) the last column."""
    return _pivot(table, value, _order(table))


def _order(table: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Row and column order: the groups by name, (new) first among rows, (gone) last."""
    def arrange(values: pd.Series, special: str, first: bool) -> list[str]:
        names = sorted(v for v in set(values) if v != special)
        if special in set(values):
            return [special, *names] if first else [*names, special]
        return names

    return arrange(table["from_group"], NEW, True), arrange(table["to_group"], GONE, False)


def _pivot(table: pd.DataFrame, value: str, order: tuple[list[str], list[str]]) -> pd.DataFrame:
    rows, columns = order
    matrix = table.pivot_table(index="from_group", columns="to_group", values=value,
                               aggfunc="sum", fill_value=0)
    matrix = matrix.reindex(index=rows, columns=columns, fill_value=0)
    matrix.index.name, matrix.columns.name = "from", "to"
    return matrix
