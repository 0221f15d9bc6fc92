"""The intermediate tables of one ``analyze`` run (:class:`TempTables`): temporary tables on
DuckDB, Ibis' cached tables on other engines, all dropped at the end of the run."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

import pandas as pd

__all__ = ["TempTables"]


class TempTables:
    """Intermediate tables of one analysis run, dropped (or released) at its end.

    On DuckDB they are temporary tables with unique names; on another engine (Spark, ...)
    they are Ibis' cached tables, which the engine keeps in memory or spills to disk.
    """

    def __init__(self, database: Any) -> None:
        self.database = database
        self.duckdb = hasattr(database, "raw")
        self.prefix = f"_valuecrm_{uuid.uuid4().hex[:8]}_"
        self.names: list[str] = []
        self.cached: list[Any] = []

    def keep(self, name: str, table: Any) -> Any:
        """Store an Ibis expression as an intermediate table; return that table."""
        if not self.duckdb:
            cached = table.cache()
            self.cached.append(cached)
            return cached
        full = self._name(name)
        sql = str(self.database.con.compile(table))
        self.database.raw.execute(f'CREATE TEMP TABLE "{full}" AS {sql}')
        return self.database.con.table(full)

    def frame(self, name: str, frame: pd.DataFrame) -> Any:
        """Store a pandas DataFrame as an intermediate table; return it as an Ibis table."""
        if not self.duckdb:  # a table of the engine's, dropped at the end
            return self.database.con.create_table(self._name(name), _plain_strings(frame),
                                                  overwrite=True)
        full = self._name(name)
        self._copy(frame, f'CREATE TEMP TABLE "{full}" AS', f"{full}_view")
        return self.database.con.table(full)

    def frames(self, name: str, chunks: Iterable[pd.DataFrame]) -> Any:
        """Store DataFrames of the same columns as one intermediate table, a chunk at a time
        (only one chunk is in memory at once); return it as an Ibis table."""
        table = None
        for chunk in chunks:
            if table is None:
                table = self.frame(name, chunk)
            elif not self.duckdb:
                self.database.con.insert(self.prefix + name, _plain_strings(chunk))
            else:
                self._copy(chunk, f'INSERT INTO "{self.prefix}{name}"',
                           f"{self.prefix}{name}_view")
        return table

    def _copy(self, frame: pd.DataFrame, into: str, view: str) -> None:
        """``into`` (a CREATE ... AS or INSERT INTO clause) the rows of ``frame``, through
        DuckDB's view of it as an Arrow table."""
        import pyarrow as pa

        self.database.raw.register(view, pa.Table.from_pandas(frame, preserve_index=False))
        try:
            self.database.raw.execute(f'{into} SELECT * FROM "{view}"')
        finally:
            self.database.raw.unregister(view)

    def _name(self, name: str) -> str:
        full = self.prefix + name
        self.names.append(full)
        return full

    def release(self, name: str) -> None:
        """Drop the intermediate table ``name`` now (DuckDB; elsewhere it waits for the end)."""
        full = self.prefix + name
        if self.duckdb and full in self.names:
            self.database.raw.execute(f'DROP TABLE IF EXISTS "{full}"')
            self.names.remove(full)

    def drop(self) -> None:
        for cached in reversed(self.cached):
            cached.release()
        for name in reversed(self.names):
            if self.duckdb:
                self.database.raw.execute(f'DROP TABLE IF EXISTS "{name}"')
            else:
                self.database.con.drop_table(name, force=True)


def _plain_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its Arrow-backed text columns as Python strings, which every engine's
    DataFrame reader takes (PySpark's Arrow path refuses chunked Arrow columns); a chunk of
    customers at a time, so the strings stay few."""
    text = [c for c, kind in frame.dtypes.items()
            if isinstance(kind, pd.StringDtype | pd.ArrowDtype)]
    return frame.astype(dict.fromkeys(text, object)) if text else frame
