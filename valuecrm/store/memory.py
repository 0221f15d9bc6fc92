"""A cap on DuckDB's memory for the duration of one heavy step (``analyze``).

DuckDB's default limit is 80% of the machine's RAM; a step that stores intermediate tables keeps
them in its buffer pool up to that limit. Under a cap it spills them to the database's
temporary directory instead (DuckDB documentation, "Memory management").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb

from valuecrm.errors import DatabaseError, ParameterError

__all__ = ["ANALYZE_MEMORY_LIMIT", "MINIMUM_MEMORY", "cap_memory", "checked_size",
           "memory_capped", "normal_size", "size_bytes"]

ANALYZE_MEMORY_LIMIT = "1500MB"
MINIMUM_MEMORY = "64MB"  # below it DuckDB cannot sort or group a table of any size
_UNITS = {"": 1, "B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "KIB": 2**10,
          "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*")


def size_bytes(size: str) -> float:
    """``size`` as DuckDB writes it (``1500MB``, ``18.6 GiB``) in bytes; inf when unreadable."""
    match = _SIZE.fullmatch(size)
    unit = _UNITS.get(match.group(2).upper()) if match else None
    return float(match.group(1)) * unit if match and unit else float("inf")


def normal_size(size: object) -> str | None:
    """``size`` (e.g. ``1GB``, ``512mb``, ``2GiB``) written as DuckDB reads it, or None when it
    is no size or less than :data:`MINIMUM_MEMORY`."""
    text = str(size).strip()
    match = _SIZE.fullmatch(text)
    found = size_bytes(text)  # inf when unreadable
    if not match or found == float("inf") or found < size_bytes(MINIMUM_MEMORY):
        return None
    number, unit = match.groups()
    return f"{number}{unit.upper().replace('I', 'i') or 'B'}"


def checked_size(size: object, owner: str) -> str:
    """``size`` written as DuckDB reads it (:func:`normal_size`); a ParameterError
    (``memory_limit`` of ``owner``) when it is no size or too small."""
    found = normal_size(size)
    if found is None:
        raise ParameterError.of("memory_limit", owner,
                                f"a size of at least {MINIMUM_MEMORY}, e.g. 4GB", size)
    return found


def cap_memory(con: Any, size: str) -> None:
    """Cap the DuckDB connection ``con``'s memory at ``size`` (from :func:`checked_size`) for
    as long as it is open."""
    con.execute(f"SET memory_limit = '{size}'")


@contextmanager
def memory_capped(con: Any, size: str, hint: str | None = None) -> Iterator[None]:
    """Cap the DuckDB connection ``con``'s memory at ``size`` (e.g. ``"1500MB"``) if that is
    lower than its limit now; restore the limit it had afterwards. DuckDB running out of it
    becomes a :class:`~valuecrm.errors.DatabaseError` that names the cap, with ``hint``."""
    limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    lower = size_bytes(size) < size_bytes(str(limit))
    if lower:
        con.execute(f"SET memory_limit = '{size}'")
    try:
        yield
    except duckdb.OutOfMemoryException as full:
        cap = size if lower else str(limit)
        raise DatabaseError(f"DuckDB needed more memory than it may use here ({cap}): {full}",
                            hint=hint or "Give it a larger memory limit.") from None
    finally:
        if lower:  # back to the default if it was, else to the value it had
            con.execute("RESET memory_limit")
            if con.execute("SELECT current_setting('memory_limit')").fetchone()[0] != limit:
                con.execute(f"SET memory_limit = '{limit}'")
