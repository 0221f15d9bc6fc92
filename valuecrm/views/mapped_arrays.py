"""Arrays of the server's lookup copy kept out of its heap: numpy arrays written as ``.npy``
files in the copy's temporary directory and memory-mapped read-only (the operating system's
page cache holds them, as it holds the copy's Arrow files), and the UTF-8 bytes of an Arrow
string column read from its buffers, one record batch at a time, without a Python string per
value.

Without a directory (a small index built in a test) the arrays stay in memory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.lib.format import open_memmap


def new_array(directory: Path | None, name: str, dtype: Any, shape: tuple[int, ...]
              ) -> np.ndarray:
    """A zeroed array to fill: the file ``{name}.npy`` of ``directory`` mapped for writing,
    or in memory without a directory. Hand it to :func:`read_only` once filled."""
    if directory is None:
        return np.zeros(shape, dtype=dtype)
    return open_memmap(str(directory / f"{name}.npy"), mode="w+", dtype=dtype, shape=shape)


def read_only(array: np.ndarray) -> np.ndarray:
    """``array`` (from :func:`new_array`) written out and mapped again read-only, so no reader
    can change it (the array itself when in memory, made read-only). A plain ``ndarray`` over
    the mapping (its ``base``), whose items read several times faster than a ``np.memmap``'s."""
    if isinstance(array, np.memmap) and array.filename is not None:
        array.flush()
        return np.load(array.filename, mmap_mode="r").view(np.ndarray)
    array.setflags(write=False)
    return array


def utf8_buffers(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes of a string array's values, end to end (uint8, a view of the Arrow
    buffer where possible), and where each value starts in them (``len(chunk) + 1`` int64
    offsets from 0; a null is an empty value)."""
    if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
        chunk = pc.cast(chunk, pa.large_string())
    if chunk.null_count:
        chunk = pc.fill_null(chunk, "")
    _, offsets_buffer, data_buffer = chunk.buffers()
    kind = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    if offsets_buffer is None:  # an empty array may have no buffers
        return np.empty(0, dtype=np.uint8), np.zeros(len(chunk) + 1, dtype=np.int64)
    offsets = np.frombuffer(offsets_buffer, dtype=kind, count=len(chunk) + 1,
                            offset=chunk.offset * np.dtype(kind).itemsize).astype(np.int64)
    data = (np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None
            else np.empty(0, dtype=np.uint8))
    return data[offsets[0]:offsets[-1]], offsets - offsets[0]
