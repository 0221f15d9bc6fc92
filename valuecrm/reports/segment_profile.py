"""Which attributes are over- or under-represented in a segment (lift, with significance).

For every value of every customer attribute: its share among the segment's customers against
its share among all the snapshot's customers that have a value of that attribute, their ratio
(the lift; 1 = as common as in the base), and Fisher's exact test of the 2 x 2 table (in the
segment or not x this value or not), two-sided, with Benjamini-Hochberg adjusted p-values over
all the values tested (Benjamini & Hochberg 1995). Counts come from the engine, one row per
attribute value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd
from scipy import stats

from valuecrm.errors import ParameterError
from valuecrm.reports import profiles
from valuecrm.reports.group_figures import GROUPINGS, _labels
from valuecrm.reports.group_tests import benjamini_hochberg
from valuecrm.store.snapshots import get_snapshot, read_snapshot

OWNER = "profile_segment"
METHOD = ("Lift = share of the value among the segment's customers / its share among all "
          "customers of the snapshot with a value of the attribute; two-sided Fisher exact test "
          "of the 2x2 table (segment or not x value or not), p-values adjusted for the number "
          "of values tested (Benjamini-Hochberg); significant when the adjusted p < 0.05.")
COLUMNS = ["attribute", "value", "segment_customers", "segment_share", "base_customers",
           "base_share", "lift", "p_value", "p_adjusted", "significant", "direction"]


def segment_column(segment: str, column: str | None = None) -> str:
    """The value-table column whose labels include ``segment`` (``rfm_segment``, ``status``,
    ``tier``, ...), or ``column`` when given."""
    if column is not None:
        if column not in GROUPINGS:
            raise ParameterError.of("column", OWNER, "one of " + ", ".join(GROUPINGS), column)
        return GROUPINGS[column]
    for name in dict.fromkeys(GROUPINGS.values()):
        order, other = _labels(name)
        if segment in order or segment in other:
            return name
    raise ParameterError(f"There is no segment {segment!r}.",
                         hint="Give an RFM segment (e.g. Champions), status, stage, quadrant, "
                              "tier or RFM class name.")


def profile_segment(database: Any, segment: str, *, column: str | None = None,
                    attributes: Sequence[str] | None = None,
                    snapshot: int | str | dt.date | None = None,
                    alpha: float = 0.05) -> pd.DataFrame:
    """Over- and under-represented attribute values in ``segment`` of a snapshot (the latest
    by default): one row per attribute value, most significant first (columns
    :data:`COLUMNS`; ``direction`` is ``over``, ``under`` or ``""`` when not significant).

    ``segment`` is a label of the customer value table (an RFM segment such as ``Champions``,
    a status, tier, stage ...; English or Chinese); ``column`` says which when ambiguous.
    ``attributes`` limits the attributes (all by default). Method: :data:`METHOD`.
    """
    name = segment_column(segment, column)
    order, other = _labels(name)
    stored = segment if segment in order else next(
        (en for en, zh in other.items() if zh == segment), segment)
    found = get_snapshot(database, snapshot)
    rows = read_snapshot(database, found.snapshot_id)
    members = rows.select("customer_id", inside=(rows[name] == stored).fill_null(False))
    wanted = list(attributes) if attributes is not None else profiles.attributes(database)
    frames = []
    for attribute in wanted:
        groups = profiles.attribute_groups(database, attribute, OWNER)
        joined = groups.join(members, "customer_id")
        counts = joined.group_by("group").aggregate(
            base=joined.count(), inside=joined.inside.cast("int64").sum()).to_pandas()
        if counts.empty:
            continue
        counts.insert(0, "attribute", attribute)
        frames.append(counts)
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    table = pd.concat(frames, ignore_index=True).rename(columns={"group": "value"})
    totals = table.groupby("attribute")[["base", "inside"]].transform("sum")
    table["segment_customers"] = table["inside"].astype(int)
    table["base_customers"] = table["base"].astype(int)
    table["segment_share"] = table["inside"] / totals["inside"].where(totals["inside"] > 0)
    table["base_share"] = table["base"] / totals["base"]
    table["lift"] = table["segment_share"] / table["base_share"]
    table["p_value"] = [
        stats.fisher_exact([[a, s - a], [b - a, n - s - (b - a)]])[1]
        for a, s, b, n in zip(table["inside"], totals["inside"], table["base"], totals["base"],
                              strict=True)]
    table["p_adjusted"] = benjamini_hochberg(table["p_value"].to_numpy())
    table["significant"] = table["p_adjusted"] < alpha
    table["direction"] = [("over" if lift > 1 else "under") if sig else ""
                          for lift, sig in zip(table["lift"], table["significant"], strict=True)]
    table["_band"] = table["value"].map(profiles.band_key)
    table = table.sort_values(["p_adjusted", "p_value", "attribute", "_band"])
    table.attrs.update(method=METHOD, segment=stored, column=name,
                       snapshot_id=found.snapshot_id, segment_size=int(
                           members.filter(members.inside).count().to_pandas()))
    return table[COLUMNS].reset_index(drop=True)
