"""The win-back list: lost and lapsed customers ranked by what winning them back is worth.

Who: customers of a snapshot whose status is in ``statuses`` (default lost and lapsed) with a
positive historic margin. For each::

    expected_value = max(margin, 0) / max(relationship_years, 1)
    relationship_years = (last_purchase - first_purchase) / 365.25 days
    score = expected_value x chance

``expected_value`` is the customer's historic annual margin: what one more year of the old
relationship would bring. ``chance``, the estimated chance of winning them back, is

- **observed** when an earlier snapshot exists: among the customers with a status in
  ``statuses`` at the latest earlier snapshot and the same band of days since their last
  purchase (bands of ``band_days``), the share who bought again by this snapshot; a band with
  fewer than ``min_band`` such customers takes the rate over all bands;
- **decay** otherwise (or when fewer than ``min_band`` customers can be observed):
  ``base_chance x 0.5 ** (days_since_last / half_life_days)``, halving with every
  ``half_life_days`` since the last purchase.

The method used is in ``frame.attrs["chance_method"]``. Rows carry the likely reason they left
(:mod:`valuecrm.actions.reasons`) and a suggested action; sort or group by ``reason`` to plan
one campaign per reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from valuecrm.actions.list_chunks import CHUNK, frame_chunks
from valuecrm.actions.reasons import ReasonRules, with_reasons
from valuecrm.actions.retention import (
    CONTACT_COLUMNS,
    SnapshotKey,
    as_frame,
    check_statuses,
    check_top,
    finish,
    finish_frame,
    previous_snapshot,
    snapshot_rows,
    with_contacts,
)
from valuecrm.errors import ParameterError
from valuecrm.store.snapshots import Snapshot, read_snapshot

WINBACK_COLUMNS = [*CONTACT_COLUMNS, "segment", "status", "reason", "reason_code",
                   "reason_rule", "complaint_category", "poor_recovery", "days_since_last",
                   "expected_value", "chance", "score",
                   "action", "snapshot_id", "snapshot_date"]
YEAR_DAYS = 365.25


def winback_list(database: Any, snapshot: SnapshotKey = None, top: int | None = None, *,
                 statuses: Any = ("lost", "lapsed"), base_chance: float = 0.2,
                 half_life_days: float = 365.0, band_days: int = 180, min_band: int = 20,
                 rules: ReasonRules = ReasonRules()) -> pd.DataFrame:
    """Lost and lapsed customers ranked by expected value x chance of winning them back.

    See the module docstring for the formulas. ``snapshot``: id or as-of date (default the
    latest); ``top``: keep the first N rows. Columns: :data:`WINBACK_COLUMNS`;
    ``attrs["chance_method"]`` says how the chance was estimated. :func:`winback_table` is the
    same list in the engine (``export_list(winback_table(db)[0], path)`` streams it to a
    file) and :func:`winback_list_chunks` the same frame a chunk at a time. Raises
    NotFoundError without a snapshot (run ``valuecrm analyze`` first).
    """
    table, method = winback_table(database, snapshot, top, statuses=statuses,
                                  base_chance=base_chance, half_life_days=half_life_days,
                                  band_days=band_days, min_band=min_band, rules=rules)
    out = as_frame(table)
    out.attrs["chance_method"] = method
    return out


def winback_list_chunks(database: Any, snapshot: SnapshotKey = None, top: int | None = None,
                        *, size: int = CHUNK, statuses: Any = ("lost", "lapsed"),
                        base_chance: float = 0.2, half_life_days: float = 365.0,
                        band_days: int = 180, min_band: int = 20,
                        rules: ReasonRules = ReasonRules()) -> Iterator[pd.DataFrame]:
    """:func:`winback_list` as frames of at most ``size`` customers, in its order, each with
    ``attrs["chance_method"]`` (:mod:`valuecrm.actions.list_chunks`: one chunk in memory at a
    time; concatenated, the whole frame). The settings are checked now."""
    table, method = winback_table(database, snapshot, top, statuses=statuses,
                                  base_chance=base_chance, half_life_days=half_life_days,
                                  band_days=band_days, min_band=min_band, rules=rules)

    def finish(frame: pd.DataFrame) -> pd.DataFrame:
        frame = finish_frame(frame)
        frame.attrs["chance_method"] = method
        return frame

    return frame_chunks(table, size, owner="winback_list_chunks", finish=finish)


def winback_table(database: Any, snapshot: SnapshotKey = None, top: int | None = None, *,
                  statuses: Any = ("lost", "lapsed"), base_chance: float = 0.2,
                  half_life_days: float = 365.0, band_days: int = 180, min_band: int = 20,
                  rules: ReasonRules = ReasonRules()) -> tuple[ir.Table, str]:
    """:func:`winback_list` as an Ibis expression, ordered, and how the chance was estimated
    (the list stays in the engine: the interfaces page it and stream it to files). The
    chance is computed in Python once per distinct number of days since the last purchase,
    so it is the same to the last digit whatever the engine."""
    owner = "winback_list"
    wanted = check_statuses(statuses, owner)
    check_top(top, owner)
    if not 0 < base_chance <= 1:
        raise ParameterError.of("base_chance", owner, "a number in (0, 1]", base_chance)
    for name, value in (("half_life_days", half_life_days), ("band_days", band_days),
                        ("min_band", min_band)):
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ParameterError.of(name, owner, "a positive number", value)
    found, rows = snapshot_rows(database, snapshot, owner)
    years = (rows.last_purchase.date().epoch_days()
             - rows.first_purchase.date().epoch_days()).cast("float64") / YEAR_DAYS
    chosen = rows.filter(rows.status.isin(wanted) & (rows.margin > 0))
    chosen = chosen.select(
        "customer_id", "last_purchase", "status", "days_since_last",
        segment=chosen.rfm_segment,
        expected_value=chosen.margin / ibis.greatest(years, ibis.literal(1.0)))
    distinct = chosen.select("days_since_last").distinct().to_pandas()["days_since_last"]
    days = distinct.to_numpy(dtype=float)
    observed = _observed_rates(database, found, wanted, band_days)
    if observed is not None and int(observed["n"].sum()) >= min_band:
        overall = float(observed["back"].sum() / observed["n"].sum())
        usable = observed[observed["n"] >= min_band]
        rate = dict(zip(usable["band"].astype(int), usable["back"] / usable["n"], strict=True))
        bands = np.floor(days / band_days).astype(int)
        chance = np.array([rate.get(b, overall) for b in bands], dtype=float)
        method = (f"observed: share of {'/'.join(wanted)} customers at snapshot of "
                  f"{previous_snapshot(database, found).as_of} who bought again by "
                  f"{found.as_of}, per {band_days}-day band of days since the last purchase")
    else:
        chance = base_chance * 0.5 ** (days / half_life_days)
        method = (f"decay: {base_chance:g} x 0.5 ** (days since last purchase / "
                  f"{half_life_days:g})")
    chances = ibis.memtable(pd.DataFrame({"c_days": distinct.to_numpy(), "chance": chance}))
    chosen = chosen.left_join(chances, chosen.days_since_last == chances.c_days).drop("c_days")
    chosen = chosen.mutate(score=chosen.expected_value * chosen.chance)
    chosen = with_contacts(with_reasons(chosen, database, found.as_of, rules), database)
    chosen = finish(chosen, found, True, WINBACK_COLUMNS, rules)
    chosen = chosen.order_by([chosen.score.desc(), chosen.customer_id])
    return (chosen if top is None else chosen.limit(top)), method


def _observed_rates(database: Any, snapshot: Snapshot, statuses: tuple[str, ...],
                    band_days: int) -> pd.DataFrame | None:
    """Per band of days since the last purchase at the earlier snapshot: customers (``n``) in
    ``statuses`` then and how many bought again by ``snapshot`` (``back``)."""
    before = previous_snapshot(database, snapshot)
    if before is None:
        return None
    old = read_snapshot(database, before.snapshot_id)
    old = old.filter(old.status.isin(statuses)).select(
        "customer_id", band=(old.days_since_last / band_days).floor().cast("int64"))
    new = read_snapshot(database, snapshot.snapshot_id).select("customer_id", "last_purchase")
    both = old.join(new, "customer_id")
    cutoff = ibis.timestamp(pd.Timestamp(before.as_of) + pd.Timedelta(days=1))
    return both.group_by("band").agg(
        n=both.count(), back=both.count(where=both.last_purchase >= cutoff)).to_pandas()
