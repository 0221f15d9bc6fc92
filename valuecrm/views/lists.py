"""The retention and win-back lists of a snapshot, with their totals by likely reason."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from valuecrm.store.snapshots import Snapshot, get_snapshot
from valuecrm.views._plain import plain, records
from valuecrm.views.answer_cache import kept

Kind = Literal["retention", "winback"]


def action_list(database: Any, kind: Kind, *, snapshot: int | str | None = None,
                top: int | None = None, min_drop: float | None = None,
                where: Sequence[str] | None = None) -> dict[str, Any]:
    """The ``kind`` list ("retention" or "winback") of a snapshot (the latest by default).

    ``rows``: customers on the list (after ``top``); ``by_reason``: rows per likely reason,
    most first; ``chance_method``: how the chance of winning back was estimated (win-back
    only); ``customers``: the rows (contacts included: mask them for viewers).
    ``min_drop`` applies to the retention list only. ``where`` keeps the customers whose
    attributes have these values (``["age=45-54"]``, as ``valuecrm customers list --where``),
    before ``top``. Kept per snapshot.
    """
    from valuecrm.views.customers import attribute_filters

    found = get_snapshot(database, snapshot)
    pairs = attribute_filters(database, where)
    return kept(database, "action_list", lambda: _action_list(database, kind, found, top,
                                                              min_drop, pairs),
                kind, found.snapshot_id, top, min_drop, pairs)


def _action_list(database: Any, kind: Kind, found: Snapshot, top: int | None,
                 min_drop: float | None, pairs: tuple[tuple[str, str], ...] = (),
                 ) -> dict[str, Any]:
    from valuecrm.actions import retention_list, winback_list
    from valuecrm.views.customers import customers_with

    first = None if pairs else top  # filter first, then keep the top rows
    if kind == "retention":
        frame = retention_list(database, snapshot=found.snapshot_id, top=first,
                               min_drop=min_drop)
    else:
        frame = winback_list(database, snapshot=found.snapshot_id, top=first)
    if pairs:
        ids = frame["customer_id"].tolist()
        frame = frame[frame["customer_id"].isin(customers_with(database, pairs, ids))]
        frame = (frame.head(top) if top else frame).reset_index(drop=True)
    counts = frame["reason"].value_counts() if len(frame) else {}
    return plain({"list": kind, "snapshot_id": found.snapshot_id, "as_of": found.as_of,
                  "margin_known": found.margin_known,
                  "rows": len(frame), "by_reason": dict(counts.items()) if len(frame) else {},
                  "chance_method": frame.attrs.get("chance_method"),
                  "columns": list(frame.columns), "customers": records(frame)})
