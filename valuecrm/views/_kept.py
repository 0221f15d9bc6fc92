"""Answers kept while the snapshots stay the same: a snapshot never changes once written, and
figures over a million customers take seconds."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from valuecrm.store.snapshots import list_snapshots

Result = TypeVar("Result")
_kept: dict[Any, Any] = {}
_lock = threading.Lock()


def generation(database: Any) -> tuple[Any, ...]:
    """The database file and its snapshots (id, creation time): what kept answers rest on."""
    return (database.path, tuple((s.snapshot_id, str(s.created_at))
                                 for s in list_snapshots(database)))


def kept(database: Any, name: str, compute: Callable[[], Result], *args: Any) -> Result:
    """``compute()``, or its answer kept from an earlier call with the same ``name`` and
    ``args`` while the database's snapshots are the same (never for an in-memory database)."""
    if database.path is None:
        return compute()
    current = generation(database)
    key = (current, name, args)
    with _lock:
        if key in _kept:
            return _kept[key]
    value = compute()
    with _lock:
        for old in [k for k in _kept if k[0][0] == current[0] and k[0] != current]:
            del _kept[old]
        _kept[key] = value
    return value
