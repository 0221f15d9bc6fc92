"""Record how many rows a step brings to Python (issue 16, point 7): whole per-customer results
of Ibis expressions, and the batches a reading generator yields."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


class Pulls:
    """Rows of every per-customer result (one with a ``customer_id`` column) that an Ibis
    expression brings to Python whole (``execute``, ``to_pyarrow``)."""

    def __init__(self) -> None:
        self.sizes: list[int] = []

    def most(self) -> int:
        return max(self.sizes, default=0)


def record_pulls(monkeypatch: pytest.MonkeyPatch) -> Pulls:
    """Count the rows of the per-customer results DuckDB's Ibis backend returns whole."""
    from ibis.backends.duckdb import Backend

    seen = Pulls()
    for name in ("execute", "to_pyarrow"):
        original = getattr(Backend, name)

        def counted(self: Any, expr: Any, *args: Any, _original: Any = original,
                    **kwargs: Any) -> Any:
            result = _original(self, expr, *args, **kwargs)
            if "customer_id" in getattr(expr, "columns", ()):
                seen.sizes.append(len(result))
            return result

        monkeypatch.setattr(Backend, name, counted)
    return seen


def record_batches(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    """Wrap the generator function ``module.name``: the length of each batch it yields, in
    the order they are taken (so a test sees how much was read, and when)."""
    original = getattr(module, name)
    sizes: list[int] = []

    def recorded(*args: Any, **kwargs: Any) -> Iterator[Any]:
        for batch in original(*args, **kwargs):
            sizes.append(len(batch))
            yield batch

    monkeypatch.setattr(module, name, recorded)
    return sizes


def record_table_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The row counts of every Ibis table result read into Python from now on (``to_pandas``
    and ``to_pyarrow`` of any table expression, on any backend)."""
    import ibis.expr.types.relations as relations

    read: list[int] = []
    for name in ("to_pandas", "to_pyarrow"):
        original = getattr(relations.Table, name)

        def reading(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            found = _original(self, *args, **kwargs)
            read.append(len(found))
            return found

        monkeypatch.setattr(relations.Table, name, reading)
    return read
