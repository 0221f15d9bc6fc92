"""Query results of the server's lookup copy written to files of its temporary directory and
memory-mapped (:mod:`valuecrm.views.lookup_copy`, :mod:`valuecrm.views.keyed_rows`): rows as
Arrow IPC files, a table's per-customer row starts as a ``.npy`` file, both written a record
batch at a time from DuckDB's streamed result, so no table-sized result enters the heap."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc

from valuecrm.views.mapped_arrays import new_array, read_only

__all__ = ["BATCH_ROWS", "export", "row_starts"]

BATCH_ROWS = 65_536  # rows per Arrow record batch written
SUM_ROWS = 1 << 20  # customers whose row counts are summed at once


def _same_in_python(kind: pa.DataType) -> bool:
    """Whether Arrow turns values of ``kind`` into the Python values DuckDB's ``fetchall``
    gives (a table with another type is read from the base table)."""
    if pa.types.is_timestamp(kind):
        return kind.tz is None  # DuckDB gives aware times in the session's time zone
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return _same_in_python(kind.value_type)
    return (pa.types.is_string(kind) or pa.types.is_large_string(kind)
            or pa.types.is_integer(kind) or pa.types.is_floating(kind)
            or pa.types.is_boolean(kind) or pa.types.is_date32(kind)
            or pa.types.is_decimal(kind) or pa.types.is_null(kind))


def _batches(cursor: Any, sql: str) -> pa.RecordBatchReader:
    """The result of ``sql`` as Arrow record batches of at most :data:`BATCH_ROWS` rows,
    streamed from DuckDB."""
    result = cursor.execute(sql)
    return (result.to_arrow_reader(BATCH_ROWS) if hasattr(result, "to_arrow_reader")
            else result.fetch_record_batch(BATCH_ROWS))


def export(cursor: Any, sql: str, path: Path) -> pa.Table | None:
    """Write the result of ``sql`` to the Arrow IPC file ``path`` batch by batch (bounded
    memory) and return it memory-mapped; None, with nothing written, when a column's type
    comes back from Arrow otherwise than from DuckDB (:func:`_same_in_python`). Dictionary
    columns are written decoded (an IPC file holds one dictionary per column)."""
    reader = _batches(cursor, sql)
    schema = pa.schema([f.with_type(f.type.value_type) if pa.types.is_dictionary(f.type)
                        else f for f in reader.schema])
    if not all(_same_in_python(f.type) for f in schema):
        return None
    with pa.OSFile(str(path), "wb") as sink, ipc.new_file(sink, schema) as writer:
        for batch in reader:
            if batch.schema != schema:
                batch = batch.cast(schema)
            writer.write_batch(batch)
    with pa.memory_map(str(path)) as source:
        return ipc.open_file(source).read_all()


def row_starts(cursor: Any, sql: str, customers: int, directory: Path, table: str
               ) -> np.ndarray:
    """Where each customer's rows start (``customers + 1`` int64, the last the rows' count), from
    ``sql``'s rows (``k``, a customer's position; ``n``, its rows), written to
    ``{table}_starts.npy`` of ``directory`` and memory-mapped: counts read a record batch at a
    time, summed :data:`SUM_ROWS` at a time."""
    starts = new_array(directory, f"{table}_starts", np.int64, (customers + 1,))
    reader = _batches(cursor, sql)
    for batch in reader:
        k = batch.column("k").to_numpy(zero_copy_only=False).astype(np.int64)
        starts[k + 1] = batch.column("n").to_numpy(zero_copy_only=False)
    carried = 0
    for first in range(0, customers + 1, SUM_ROWS):
        part = np.cumsum(starts[first:first + SUM_ROWS]) + carried
        starts[first:first + SUM_ROWS] = part
        carried = int(part[-1])
    return read_only(starts)
