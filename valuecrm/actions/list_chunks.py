"""A customer list a chunk at a time (issue 16, point 7).

The list functions (:func:`~valuecrm.retention_list`, :func:`~valuecrm.winback_list`,
:func:`~valuecrm.next_best_products`, :func:`~valuecrm.up_sell_products`,
:func:`~valuecrm.loyalty_balances`, :func:`~valuecrm.loyalty_tiers`) return one pandas frame
with a row per customer (or offer): every customer when no ``top`` is given. Each has a
``..._chunks`` companion that yields the same rows as frames of at most ``size`` rows, in the
same order, with the same columns and types; ``pd.concat(chunks, ignore_index=True)`` is the
whole frame. The engine writes the ordered list to a temporary Parquet file once (DuckDB's
``COPY``, under its memory cap), and Python reads it back ``size`` rows at a time (a file of its
own, so other queries may run on the database between two chunks) and holds one chunk.

To write a whole list to a file, give its engine table (``retention_table``, ``winback_table``,
``next_best_table``, ``up_sell_table``) to :func:`valuecrm.actions.export_list`: the engine
writes it, nothing comes to Python.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from valuecrm.errors import ParameterError

__all__ = ["CHUNK", "check_size", "frame_chunks", "parquet_batches"]

CHUNK = 200_000  # rows of a list in one frame (as the uplift scoring's chunk)


def check_size(size: object, owner: str) -> int:
    """``size`` (rows per chunk) if it is an integer >= 1; else a ParameterError."""
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ParameterError.of("size", owner, "an integer >= 1 (rows per chunk)", size)
    return size


def parquet_batches(path: Path, size: int) -> Iterator[pa.RecordBatch]:
    """The rows of the Parquet file ``path`` (or of a folder of part files, as Spark writes
    one, in the order of their names) as record batches of at most ``size`` rows."""
    import pyarrow.parquet as pq

    files = (sorted(p for p in path.iterdir() if p.suffix == ".parquet") if path.is_dir()
             else [path])
    for file in files:
        with pq.ParquetFile(file) as parquet:
            yield from parquet.iter_batches(batch_size=size)


def frame_chunks(table: ir.Table, size: int = CHUNK, *, owner: str = "frame_chunks",
                 finish: Callable[[pd.DataFrame], pd.DataFrame] | None = None
                 ) -> Iterator[pd.DataFrame]:
    """The rows of the ordered expression ``table``, at most ``size`` at a time, in its order,
    each converted as ``table.to_pandas()`` converts the whole and passed through ``finish``
    (row by row: the chunks' rows are those of the whole frame); one empty frame when
    ``table`` has no row. ``size`` is checked now; the engine writes the rows when the first
    chunk is taken."""
    from ibis.formats.pandas import PandasData

    check_size(size, owner)
    done = finish or (lambda frame: frame)
    schema = table.schema()

    def chunks() -> Iterator[pd.DataFrame]:
        folder = Path(tempfile.mkdtemp(prefix="valuecrm-chunks-"))
        try:
            path = folder / "list.parquet"
            table.to_parquet(path)  # the engine writes it (DuckDB: COPY), in its order
            empty = True
            for batch in parquet_batches(path, size):
                if batch.num_rows:
                    empty = False
                    yield done(PandasData.convert_table(batch.to_pandas(), schema))
            if empty:
                yield done(table.limit(0).to_pandas())
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    return chunks()
