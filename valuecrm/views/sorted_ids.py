"""The customer ids of the server's lookup copy, in DuckDB's order (by UTF-8 bytes), found by
binary search without a Python string per customer.

Each id's first :data:`KEY_BYTES` bytes are one row of a fixed-width numpy array (``S{width}``,
the width of the longest id up to :data:`KEY_BYTES`), memory-mapped from the copy's directory
and searched with ``np.searchsorted``. numpy compares such values as their bytes padded with
NUL bytes, unsigned: cutting or padding keeps the order (``a <= b`` gives ``key(a) <=
key(b)``), so the ids before the first key equal to the wanted one's are smaller than it and
those after the last are larger. Between the two (ids that share a long prefix, or differ only
by trailing NULs) the ids themselves, read from the copy's Arrow column, are compared, and the
id found is always checked against the one asked for: the position is exactly Python's
``bisect_left`` over the sorted ids, an unknown id has none. When every key is its whole id (no
id longer than a key, none ending in a NUL byte, as with every realistic id) the key found is
compared instead, which is the id's own bytes (a lookup in about 1.5 microseconds).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from valuecrm.views.mapped_arrays import new_array, read_only, utf8_buffers

KEY_BYTES = 64  # bytes of an id kept in its key (a UUID's 36 fit)


@dataclass(frozen=True)
class SortedIds:
    """Customer ids, ascending by UTF-8 bytes: ``keys`` (each id's first bytes, ``S{width}``)
    to search, ``exact`` (the ids, an Arrow string column) to compare and read."""

    keys: np.ndarray
    exact: pa.ChunkedArray
    whole: bool = False  # each key holds its whole id (none longer, none ending in NUL)

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, k: int) -> str:
        return self.exact[int(k)].as_py()

    def position(self, customer_id: str) -> int | None:
        """Where ``customer_id`` is (its first position when stored twice), or None."""
        if not isinstance(customer_id, str):
            raise TypeError(f"a customer id is a string, not {type(customer_id).__name__} "
                            f"({customer_id!r}); pass it as text")
        # a lone surrogate (never in a stored id) sorts where its code point does
        encoded = customer_id.encode("utf-8", "surrogatepass")
        key = encoded[:self.keys.itemsize]  # of the keys' width: they are never cast
        first = int(self.keys.searchsorted(key, side="left"))
        if first == len(self.keys):
            return None
        if self.whole:  # the key found is the id's bytes
            return first if bytes(self.keys[first]) == encoded else None
        if self[first] == customer_id:
            return first
        last = int(self.keys.searchsorted(key, side="right"))
        k = bisect.bisect_left(self, customer_id, first + 1, last) if last > first + 1 else last
        return k if k < last and self[k] == customer_id else None


def sorted_ids(ids: pa.ChunkedArray, directory: Path | None = None) -> SortedIds:
    """The :class:`SortedIds` of ``ids`` (strings, no null, ascending by UTF-8 bytes), the keys
    written to ``ids.npy`` of ``directory`` and memory-mapped (in memory without one), filled
    one record batch at a time."""
    longest, nul_ended = 0, False
    for chunk in ids.chunks:
        data, offsets = utf8_buffers(chunk)
        lengths = np.diff(offsets)
        if len(chunk):
            longest = max(longest, int(lengths.max()))
            nul_ended = nul_ended or bool((data[offsets[1:][lengths > 0] - 1] == 0).any())
    width = max(1, min(longest, KEY_BYTES))
    keys = new_array(directory, "ids", f"S{width}", (len(ids),))
    table = keys.view(np.uint8).reshape(len(ids), width)
    at = 0
    for chunk in ids.chunks:
        data, offsets = utf8_buffers(chunk)
        count = len(chunk)
        lengths = np.minimum(np.diff(offsets), width)
        rows = np.repeat(np.arange(count), lengths)  # each kept byte's id and place in it
        places = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        block = np.zeros((count, width), dtype=np.uint8)
        block[rows, places] = data[offsets[:-1][rows] + places]
        table[at:at + count] = block
        at += count
    del table
    return SortedIds(read_only(keys), ids, longest <= KEY_BYTES and not nul_ended)
