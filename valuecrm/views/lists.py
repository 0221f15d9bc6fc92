"""The retention and win-back lists of a snapshot, with their totals by likely reason.

Each list is computed in the engine and kept as a file per snapshot
(:mod:`valuecrm.views.stored_lists`): an answer holds one page of it (``offset``, ``limit``)
and its totals, and :func:`export_action_list` streams the whole list to a file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from valuecrm.store.snapshots import Snapshot, get_snapshot
from valuecrm.views._plain import plain
from valuecrm.views.stored_lists import (
    StoredList,
    filtered_list,
    list_rows,
    store_list,
    value_counts,
    write_list,
)

Kind = Literal["retention", "winback"]


def action_list(database: Any, kind: Kind, *, snapshot: int | str | None = None,
                top: int | None = None, min_drop: float | None = None,
                where: Sequence[str] | None = None, offset: int = 0,
                limit: int | None = None) -> dict[str, Any]:
    """The ``kind`` list ("retention" or "winback") of a snapshot (the latest by default).

    ``rows``: customers on the list (after ``top``); ``by_reason``: rows per likely reason,
    most first; ``by_reason_code``: rows per reason code with the rule that gave it;
    ``chance_method``: how the chance of winning back was estimated (win-back only);
    ``customers``: rows ``offset`` to ``offset + limit`` (all without ``limit``; contacts
    included: mask them for viewers). ``min_drop`` applies to the retention list only.
    ``where`` keeps the customers whose attributes have these values (``["age=45-54"]``, as
    ``valuecrm customers list --where``), before ``top``. The list is kept per snapshot.
    """
    found = get_snapshot(database, snapshot)
    stored = stored_action_list(database, kind, found, top=top, min_drop=min_drop,
                                where=where)
    return plain({"list": kind, "snapshot_id": found.snapshot_id, "as_of": found.as_of,
                  "margin_known": found.margin_known, "rows": stored.rows,
                  "by_reason": stored.facts["by_reason"],
                  "by_reason_code": stored.facts["by_reason_code"],
                  "chance_method": stored.facts.get("chance_method"),
                  "columns": list(stored.columns), "offset": offset, "limit": limit,
                  "customers": list_rows(database, stored, offset, limit)})


def export_action_list(database: Any, kind: Kind, target: str | Path, *,
                       snapshot: int | str | None = None, top: int | None = None,
                       min_drop: float | None = None,
                       where: Sequence[str] | None = None) -> tuple[int, Snapshot]:
    """Stream the whole ``kind`` list (as :func:`action_list` selects it) to ``target``
    (``.csv``, UTF-8 with a BOM, or ``.parquet``); the rows written and the snapshot."""
    found = get_snapshot(database, snapshot)
    stored = stored_action_list(database, kind, found, top=top, min_drop=min_drop,
                                where=where)
    return write_list(database, stored, target), found


def _facts(database: Any, stored: StoredList) -> dict[str, Any]:
    by_code = value_counts(database, stored, "reason_code", "reason_rule")
    by_code.sort(key=lambda row: (-row[2], row[0], row[1]))  # as the CLI always printed it
    return {"by_reason": dict(value_counts(database, stored, "reason")),
            "by_reason_code": [{"reason_code": c, "reason_rule": r, "customers": n}
                               for c, r, n in by_code]}


def stored_action_list(database: Any, kind: Kind, found: Snapshot, *, top: int | None = None,
                       min_drop: float | None = None,
                       where: Sequence[str] | None = None) -> StoredList:
    """The ``kind`` list of snapshot ``found`` kept as a file (:mod:`.stored_lists`)."""
    from valuecrm.actions.retention import retention_table
    from valuecrm.actions.winback import winback_table
    from valuecrm.views.customers import attribute_conditions, attribute_filters

    pairs = attribute_filters(database, where)
    first = None if pairs else top  # filter first, then keep the top rows

    def build() -> tuple[Any, dict[str, Any]]:
        if kind == "retention":
            return retention_table(database, found.snapshot_id, first, min_drop=min_drop), {}
        table, method = winback_table(database, found.snapshot_id, first)
        return table, {"chance_method": method}

    def facts(stored: StoredList) -> dict[str, Any]:
        return _facts(database, stored)

    stored = store_list(database, "action_list", build, kind, found.snapshot_id, first,
                        min_drop, facts=facts)
    if not pairs:
        return stored
    conditions, params = attribute_conditions(pairs, "l.customer_id")
    return filtered_list(database, stored, conditions, params, top, facts=facts)
