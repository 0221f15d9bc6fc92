"""The retention list: valuable customers who are slipping away, ranked by the value at risk.

Who: customers of a snapshot whose CLV is at least ``min_clv`` (default: the median CLV of the
snapshot) and whose status is in ``statuses`` (default at risk and lapsed) or, with ``min_drop``
and an earlier snapshot, whose P(alive) fell by at least ``min_drop`` since it (any status but
lost).

Value at risk (the ranking, highest first)::

    value_at_risk = clv x (1 - p_alive)

the share of the predicted value that is lost if the customer has in fact left (CLV and
P(alive) as stored in the snapshot by :func:`valuecrm.analyze`). When an earlier snapshot exists,
``p_alive_change`` is P(alive) now minus P(alive) at the latest earlier snapshot (missing for a
customer not in it). Each row carries the likely reason (:mod:`valuecrm.actions.reasons`) and a
suggested action.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from valuecrm.actions.list_chunks import CHUNK, frame_chunks
from valuecrm.actions.reasons import (
    ReasonRules,
    reason_rule_column,
    suggested_action_column,
    with_reasons,
)
from valuecrm.errors import DataError, ParameterError
from valuecrm.store.snapshots import Snapshot, get_snapshot, list_snapshots, read_snapshot

SnapshotKey = int | str | dt.date | None
STATUSES = ("new", "active", "at risk", "lapsed", "lost")
CONTACT_COLUMNS = ["customer_id", "name", "email", "phone"]
RETENTION_COLUMNS = [*CONTACT_COLUMNS, "segment", "status", "reason", "reason_code",
                     "reason_rule", "complaint_category", "poor_recovery", "clv", "p_alive",
                     "p_alive_change", "value_at_risk",
                     "action", "snapshot_id", "snapshot_date"]


def check_statuses(statuses: Any, owner: str) -> tuple[str, ...]:
    values = (statuses,) if isinstance(statuses, str) else tuple(statuses)
    if not values or any(s not in STATUSES for s in values):
        raise ParameterError.of("statuses", owner, "statuses among " + ", ".join(STATUSES),
                                statuses)
    return values


def check_top(top: Any, owner: str) -> int | None:
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise ParameterError.of("top", owner, "None or an integer >= 1", top)
    return top


def snapshot_rows(database: Any, snapshot: SnapshotKey, owner: str) -> tuple[Snapshot, ir.Table]:
    """The snapshot and its rows; DataError when it has no purchase model (no P(alive))."""
    found = get_snapshot(database, snapshot)
    rows = read_snapshot(database, found.snapshot_id)
    if rows.p_alive.count().to_pyarrow().as_py() == 0:
        raise DataError(f"Snapshot {found.snapshot_id} ({found.as_of}) has no P(alive) or CLV "
                        f"(no purchase model could be fitted), so {owner} cannot rank "
                        "customers by value.",
                        hint="Load more purchase history (repeat buyers) and run "
                             "'valuecrm analyze' again.")
    return found, rows


def previous_snapshot(database: Any, snapshot: Snapshot) -> Snapshot | None:
    """The latest snapshot before ``snapshot`` (by as-of date), if any."""
    earlier = [s for s in list_snapshots(database) if s.as_of < snapshot.as_of]
    return earlier[-1] if earlier else None


def with_contacts(table: ir.Table, database: Any) -> ir.Table:
    people = database.table("customers").select(*CONTACT_COLUMNS)
    out = table.left_join(people, "customer_id")
    return out.drop(*[c for c in out.columns if c.endswith("_right")])


def finish(table: ir.Table, snapshot: Snapshot, winback: bool, columns: list[str],
           rules: ReasonRules) -> ir.Table:
    """Add the reason's rule, the suggested action and the snapshot columns; keep ``columns``
    in order (in the engine: a list never becomes a Python string per customer)."""
    poor = table.poor_recovery.fill_null(False)
    table = table.mutate(
        reason_rule=reason_rule_column(table.reason_code, rules),
        action=suggested_action_column(table.reason, poor, table.status, winback),
        poor_recovery=poor,
        snapshot_id=ibis.literal(snapshot.snapshot_id, "int64"),
        snapshot_date=ibis.literal(dt.datetime.combine(snapshot.as_of, dt.time()),
                                   "timestamp"))
    return table.select(*columns)


def as_frame(table: ir.Table) -> pd.DataFrame:
    """A list's rows as a DataFrame (the snapshot's day as a date-time of seconds)."""
    return finish_frame(table.to_pandas())


def finish_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The types of a list's frame (or of a chunk of it): ``poor_recovery`` a bool, the
    snapshot's day a date-time of seconds."""
    frame["poor_recovery"] = frame["poor_recovery"].astype(bool)
    frame["snapshot_date"] = frame["snapshot_date"].astype("datetime64[s]")
    return frame


def retention_list(database: Any, snapshot: SnapshotKey = None, top: int | None = None, *,
                   statuses: Any = ("at risk", "lapsed"), min_clv: float | None = None,
                   min_drop: float | None = None,
                   rules: ReasonRules = ReasonRules()) -> pd.DataFrame:
    """Valuable customers at risk, ranked by value at risk = CLV x (1 - P(alive)).

    ``snapshot``: id or as-of date (default the latest); ``top``: keep the first N rows;
    ``statuses``: which statuses qualify; ``min_clv``: the CLV a customer needs (default the
    snapshot's median CLV); ``min_drop``: also take customers (not lost) whose P(alive) fell by
    at least this much since the previous snapshot. Columns: :data:`RETENTION_COLUMNS`
    (``segment`` is the RFM segment). :func:`retention_table` is the same list in the engine
    (``export_list(retention_table(db), path)`` streams it to a file) and
    :func:`retention_list_chunks` the same frame a chunk at a time. Raises NotFoundError
    without a snapshot (run ``valuecrm analyze`` first).
    """
    return as_frame(retention_table(database, snapshot, top, statuses=statuses,
                                    min_clv=min_clv, min_drop=min_drop, rules=rules))


def retention_list_chunks(database: Any, snapshot: SnapshotKey = None, top: int | None = None,
                          *, size: int = CHUNK, statuses: Any = ("at risk", "lapsed"),
                          min_clv: float | None = None, min_drop: float | None = None,
                          rules: ReasonRules = ReasonRules()) -> Iterator[pd.DataFrame]:
    """:func:`retention_list` as frames of at most ``size`` customers, in its order
    (:mod:`valuecrm.actions.list_chunks`: one chunk in memory at a time; concatenated, the
    whole frame). The settings are checked now."""
    table = retention_table(database, snapshot, top, statuses=statuses, min_clv=min_clv,
                            min_drop=min_drop, rules=rules)
    return frame_chunks(table, size, owner="retention_list_chunks", finish=finish_frame)


def retention_table(database: Any, snapshot: SnapshotKey = None, top: int | None = None, *,
                    statuses: Any = ("at risk", "lapsed"), min_clv: float | None = None,
                    min_drop: float | None = None,
                    rules: ReasonRules = ReasonRules()) -> ir.Table:
    """:func:`retention_list` as an Ibis expression, ordered (the list stays in the engine:
    the interfaces page it and stream it to files)."""
    owner = "retention_list"
    wanted = check_statuses(statuses, owner)
    check_top(top, owner)
    found, rows = snapshot_rows(database, snapshot, owner)
    if min_clv is None:
        min_clv = float(rows.clv.median().to_pyarrow().as_py() or 0.0)
    elif isinstance(min_clv, bool) or not isinstance(min_clv, int | float):
        raise ParameterError.of("min_clv", owner, "None or a number", min_clv)
    if min_drop is not None and (isinstance(min_drop, bool)
                                 or not isinstance(min_drop, int | float)
                                 or not 0 < min_drop <= 1):
        raise ParameterError.of("min_drop", owner, "None or a number in (0, 1]", min_drop)
    chosen = rows.filter(rows.p_alive.notnull() & rows.clv.notnull() & (rows.clv >= min_clv))
    chosen = chosen.select("customer_id", "last_purchase", "status", "clv", "p_alive",
                           segment=chosen.rfm_segment,
                           value_at_risk=chosen.clv * (1.0 - chosen.p_alive))
    before = previous_snapshot(database, found)
    if before is not None:
        old = read_snapshot(database, before.snapshot_id)
        old = old.select(customer_id=old.customer_id, p_alive_before=old.p_alive)
        chosen = chosen.left_join(old, "customer_id")
        chosen = chosen.drop(*[c for c in chosen.columns if c.endswith("_right")])
        chosen = chosen.mutate(p_alive_change=chosen.p_alive - chosen.p_alive_before)
    else:
        chosen = chosen.mutate(p_alive_change=ibis.null("float64"))
    keep = chosen.status.isin(wanted)
    if min_drop is not None:
        keep |= (chosen.status != "lost") & (chosen.p_alive_change <= -min_drop).fill_null(False)
    chosen = chosen.filter(keep)
    chosen = with_contacts(with_reasons(chosen, database, found.as_of, rules), database)
    chosen = finish(chosen, found, False, RETENTION_COLUMNS, rules)
    chosen = chosen.order_by([chosen.value_at_risk.desc(), chosen.customer_id])
    return chosen if top is None else chosen.limit(top)
