"""Analysed databases built once per test session and shared: the ``analysed_db`` fixture of
tests/conftest.py hands out an ``AnalysedDatabases``.

A database is named by its data (``kind``), its as-of dates in the order they are analysed
(snapshot ids follow that order) and the purchase models compared. Each distinct one is built
once; one whose dates extend another's starts from a copy of it, so only the new dates are
analysed. The paths handed out are shared: read them, or ask for ``copy_to`` to write.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from tests.helpers.data import insert

KINDS = ("cdnow", "cdnow_sample")


def cdnow_tables_of(kind: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The customers and orders of ``kind``: all of CDNOW (23,570 customers) or its sample
    (2,357, without the master customer id)."""
    from valuecrm.datasets import load_cdnow
    from valuecrm.demo import cdnow_tables

    if kind == "cdnow":
        return cdnow_tables(load_cdnow())
    if kind == "cdnow_sample":
        return cdnow_tables(load_cdnow(sample=True).drop(columns="master_customer_id"))
    raise ValueError(f"unknown kind {kind!r}; one of {KINDS}")


class AnalysedDatabases:
    """Build-once analysed databases in ``folder``; call it to get one."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._built: dict[tuple[str, tuple[str, ...], tuple[str, ...] | None], Path] = {}

    def __call__(self, kind: str, *as_of: str, candidates: tuple[str, ...] | None = ("BetaGeo",),
                 copy_to: Path | None = None) -> Path:
        """The path of ``kind`` analysed at each of ``as_of`` in turn, comparing ``candidates``
        (``None``: the default settings); with ``copy_to`` (a folder), a copy there to write."""
        if not as_of:
            raise ValueError("name at least one as-of date")
        key = (kind, as_of, candidates)
        if key not in self._built:
            self._built[key] = self._build(kind, as_of, candidates)
        path = self._built[key]
        if copy_to is None:
            return path
        copy_to.mkdir(parents=True, exist_ok=True)
        return Path(shutil.copy(path, copy_to / path.name))

    def _build(self, kind: str, as_of: tuple[str, ...],
               candidates: tuple[str, ...] | None) -> Path:
        from valuecrm.analysis import AnalysisConfig, analyze
        from valuecrm.store import connect

        earlier = self(kind, *as_of[:-1], candidates=candidates) if len(as_of) > 1 else None
        path = self._folder / f"{kind}-{len(self._built)}.duckdb"
        if earlier is not None:  # start from the database of the earlier dates
            shutil.copy(earlier, path)
            dates = as_of[-1:]
        else:
            customers, orders = cdnow_tables_of(kind)
            with connect(path) as database:
                insert(database, "customers", customers)
                insert(database, "orders", orders)
            dates = as_of
        config = AnalysisConfig() if candidates is None else AnalysisConfig(candidates=candidates)
        with connect(path) as database:
            for day in dates:
                analyze(database, as_of=day, config=config)
        return path
