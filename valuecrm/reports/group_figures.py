"""Counts, shares and value of each group of one snapshot (``valuecrm segments``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from valuecrm.errors import ParameterError
from valuecrm.segments.rfm_names import RFM_CLASSES, SEGMENTS
from valuecrm.segments.value_table_names import VALUE_LABELS
from valuecrm.store.snapshots import read_snapshot

GROUPINGS: dict[str, str] = {
    "rfm_segment": "rfm_segment", "rfm_class": "rfm_class", "status": "status",
    "stage": "lifecycle_stage", "lifecycle_stage": "lifecycle_stage", "quadrant": "quadrant",
    "strategy": "strategy", "tier": "tier", "value_class": "value_class",
    "ladder": "loyalty_stage", "loyalty_stage": "loyalty_stage",
    "relationship": "relationship_level", "relationship_level": "relationship_level",
}


def _labels(column: str) -> tuple[list[str], dict[str, str]]:
    """Display order and Chinese names of a label column."""
    if column == "rfm_segment":
        return [s.name_en for s in SEGMENTS], {s.name_en: s.name_zh for s in SEGMENTS}
    if column == "rfm_class":
        return [c.name_zh for c in RFM_CLASSES], {c.name_zh: c.name_en for c in RFM_CLASSES}
    labels = VALUE_LABELS[column]
    return [x.name_en for x in labels], {x.name_en: x.name_zh for x in labels}


def group_summary(database: Any, snapshot: int | str | dt.date | None = None,
                  by: str = "rfm_segment") -> pd.DataFrame:
    """One row per group of ``by`` in a snapshot (the latest by default).

    ``by``: rfm_segment, rfm_class, status, stage, quadrant, strategy, tier, value_class, ladder
    or relationship. Columns: ``group``, ``name`` (the other language: Chinese, or English for
    the Chinese RFM classes), ``customers``, ``share``, ``revenue``, ``margin``,
    ``current_value``, ``clv``, ``clv_share``, ``mean_clv``, ``mean_p_alive``; in the labels'
    order (groups with no customer are left out).
    """
    column = GROUPINGS.get(by)
    if column is None:
        raise ParameterError.of("by", "group_summary", "one of " + ", ".join(GROUPINGS), by)
    rows = read_snapshot(database, snapshot)
    grouped = rows.group_by(group=rows[column]).aggregate(
        customers=rows.count(), revenue=rows.revenue.sum(), margin=rows.margin.sum(),
        current_value=rows.current_value.sum(), clv=rows.clv.sum(),
        mean_p_alive=rows.p_alive.mean(),
    ).to_pandas()
    order, other = _labels(column)
    rank = {name: i for i, name in enumerate(order)}
    grouped = grouped.assign(_order=grouped["group"].map(rank).fillna(len(rank)))
    grouped = grouped.sort_values(["_order", "group"]).drop(columns="_order")
    total = grouped["customers"].sum()
    clv_total = grouped["clv"].sum(min_count=1)
    grouped.insert(1, "name", grouped["group"].map(other).fillna(""))
    grouped.insert(3, "share", grouped["customers"] / total if total else 0.0)
    grouped["clv_share"] = grouped["clv"] / clv_total if clv_total and clv_total > 0 else None
    grouped["mean_clv"] = grouped["clv"] / grouped["customers"]
    columns = ["group", "name", "customers", "share", "revenue", "margin", "current_value",
               "clv", "clv_share", "mean_clv", "mean_p_alive"]
    return grouped[columns].reset_index(drop=True)
