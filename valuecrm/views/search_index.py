"""Customer search without DuckDB: the lower-cased id, name and e-mail of every customer, each
field's UTF-8 bytes joined into one text (a file of the server's lookup copy, memory-mapped),
searched with Python's substring search (a few milliseconds over a million customers, where
DuckDB's ``contains`` over the column takes about a hundred).

Built from the server's lookup copy (:mod:`valuecrm.views.lookup_copy`), whose ``lower`` it
uses, one record batch at a time from the Arrow buffers (no Python string per customer), so it
finds exactly what ``contains(lower(field), q)`` finds: a substring of the UTF-8 bytes is a
substring of the characters (UTF-8 is self-synchronising), and no field holds the separator.

Each field is cut into blocks of :data:`BLOCK` customers, and each block keeps which 4-byte
pieces of UTF-8 its values hold (hashed into a bitmap of :data:`BITS` bits, a Bloom filter:
Bloom 1970, Communications of the ACM 13(7)). A value that contains ``q`` holds every 4-byte
piece of ``q``, so only the blocks whose bitmap has them all are searched; a text of fewer
than 4 bytes searches every block. The bitmap only skips blocks that cannot match, so the
answer is that of searching everything.
"""

from __future__ import annotations

import contextlib
import mmap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from valuecrm.views.mapped_arrays import new_array, read_only, utf8_buffers
from valuecrm.views.sorted_ids import SortedIds, sorted_ids

SEPARATOR = "\x00"
BLOCK = 1024  # customers per block
BITS = 1 << 16  # bits of each block's bitmap
GRAM = 4  # bytes per hashed piece
_CHUNK = 64  # blocks whose pieces are hashed at once (bounds the memory of a build)


def piece_hashes(data: np.ndarray) -> np.ndarray:
    """The bitmap position of every run of :data:`GRAM` bytes of ``data`` (uint8)."""
    codes = np.zeros(len(data) - GRAM + 1, dtype=np.uint32)
    for i in range(GRAM):
        codes = (codes << 8) | data[i:len(data) - GRAM + 1 + i].astype(np.uint32)
    return ((codes * np.uint32(2654435761)) >> np.uint32(16)) & np.uint32(BITS - 1)


@dataclass(frozen=True)
class SearchIndex:
    """Per searched field the joined lower-cased values (UTF-8 bytes, each followed by the
    separator), where each customer's value starts in them (in bytes) and the bitmap of each
    block; the customer ids in id order."""

    ids: SortedIds
    texts: dict[str, bytes | mmap.mmap]
    starts: dict[str, np.ndarray]
    bitmaps: dict[str, np.ndarray]  # field -> (blocks, BITS // 8) uint8
    block: int = BLOCK

    def matches(self, q: str, fields: tuple[str, ...]) -> np.ndarray:
        """Positions (in id order) of the customers one of whose ``fields`` contains ``q``
        (already lower-cased), ascending."""
        found: list[np.ndarray] = []
        if SEPARATOR in q or not q:  # no value holds it; "" is never asked (no filter)
            return np.empty(0, dtype=np.int64)
        needle = q.encode()
        data = np.frombuffer(needle, dtype=np.uint8)
        wanted = np.unique(piece_hashes(data)) if len(data) >= GRAM else None
        for field in fields:
            text, starts, hits = self.texts[field], self.starts[field], []
            for first, last in self.spans(field, wanted):
                at = int(starts[first])
                end = int(starts[last]) if last < len(starts) else len(text)
                while (at := text.find(needle, at, end)) >= 0:
                    hits.append(at)
                    at += 1
            if hits:
                found.append(np.searchsorted(starts, hits, side="right") - 1)
        return np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)

    def spans(self, field: str, wanted: np.ndarray | None) -> list[tuple[int, int]]:
        """Ranges of customer positions [first, last) to search: the runs of blocks whose
        bitmap holds every hash of ``wanted`` (every block when None)."""
        n = len(self.starts[field])
        bitmap = self.bitmaps[field]
        if wanted is None:
            return [(0, n)] if n else []
        keep = np.ones(len(bitmap), dtype=bool)
        for h in wanted.tolist():
            keep &= (bitmap[:, h >> 3] & (1 << (h & 7))) != 0
        blocks = np.flatnonzero(keep)
        spans: list[tuple[int, int]] = []
        for b in blocks.tolist():
            first, last = b * self.block, min((b + 1) * self.block, n)
            if spans and spans[-1][1] == first:
                spans[-1] = (spans[-1][0], last)
            else:
                spans.append((first, last))
        return spans


def block_bitmaps(data: np.ndarray, starts: np.ndarray, block: int = BLOCK,
                  bitmaps: np.ndarray | None = None) -> np.ndarray:
    """The bitmap of every block of ``block`` values of the text ``data`` (uint8; the values
    starting at ``starts``, each followed by the separator): bit h of block k is set when a
    run of :data:`GRAM` bytes of the block's text hashes to h. Filled into ``bitmaps`` if
    given, :data:`_CHUNK` blocks at a time."""
    count = len(starts)
    blocks = -(-count // block)
    if bitmaps is None:
        bitmaps = np.zeros((blocks, BITS // 8), dtype=np.uint8)
    for chunk in range(0, blocks, _CHUNK):
        last = min(chunk + _CHUNK, blocks)
        begin = int(starts[chunk * block])
        stop = int(starts[last * block]) if last * block < count else len(data)
        piece = data[begin:stop]
        if len(piece) < GRAM:
            continue
        hashes = piece_hashes(piece)
        # the block of each run: by where it starts (a run over a separator only adds a bit)
        bounds = np.asarray(starts[np.arange(chunk + 1, last) * block], dtype=np.int64) - begin
        owner = np.searchsorted(bounds, np.arange(len(hashes)), side="right")
        bits = np.zeros((last - chunk, BITS), dtype=bool)
        bits[owner, hashes] = True
        bitmaps[chunk:last] = np.packbits(bits, axis=1, bitorder="little")
    return bitmaps


def build_index(cursor: Any, table: str, fields: tuple[str, ...],
                block: int = BLOCK) -> SearchIndex | None:
    """The index of ``table`` (``customer_id`` and ``{field}_lower`` per field, in id order),
    in memory, None when a value holds the separator."""
    found = cursor.execute(f"SELECT customer_id, {', '.join(f'{f}_lower' for f in fields)} "
                           f"FROM {table} ORDER BY customer_id").to_arrow_table()
    return index_of(sorted_ids(found.column("customer_id")),
                    {f: found.column(f"{f}_lower") for f in fields}, block)


def index_of(ids: SortedIds, lowered: dict[str, pa.ChunkedArray],
             block: int = BLOCK, directory: Path | None = None) -> SearchIndex | None:
    """The index of the customers ``ids`` (in id order) whose lower-cased fields are
    ``lowered`` (field -> an Arrow string column, one value per id), None when a value holds
    the separator. With a ``directory`` its texts and arrays are files there, memory-mapped;
    they are built one record batch at a time."""
    texts: dict[str, bytes | mmap.mmap] = {}
    starts, bitmaps = {}, {}
    for field, column in lowered.items():
        path = None if directory is None else directory / f"search_{field}.text"
        written = _joined(column, path, new_array(directory, f"search_{field}_starts",
                                                  np.int64, (len(column),)))
        if written is None:
            return None
        texts[field], starts[field] = written
        data = np.frombuffer(texts[field], dtype=np.uint8) if len(texts[field]) else \
            np.empty(0, dtype=np.uint8)
        blocks = -(-len(column) // block)
        bitmaps[field] = read_only(block_bitmaps(
            data, starts[field], block,
            new_array(directory, f"search_{field}_bitmaps", np.uint8, (blocks, BITS // 8))))
    return SearchIndex(ids, texts, starts, bitmaps, block)


def _joined(column: pa.ChunkedArray, path: Path | None, starts: np.ndarray
            ) -> tuple[bytes | mmap.mmap, np.ndarray] | None:
    """The values of ``column`` (a missing one empty: no q of at least one character without
    the separator matches it), each followed by the separator, written to ``path`` and
    mapped (joined in memory without one), and where each starts (filled into ``starts``);
    None when a value holds the separator."""
    pieces: list[bytes] = []
    at = row = 0
    with open(path, "wb") if path is not None else contextlib.nullcontext() as sink:
        for chunk in column.chunks:
            data, offsets = utf8_buffers(chunk)
            if (data == 0).any():
                return None
            starts[row:row + len(chunk)] = at + offsets[:-1] + np.arange(len(chunk))
            joined = np.insert(data, offsets[1:], 0)  # the separator after each value
            if sink is None:
                pieces.append(joined.tobytes())
            else:
                sink.write(joined.data)
            at += len(joined)
            row += len(chunk)
    if path is None:
        return b"".join(pieces), read_only(starts)
    if at == 0:  # an empty file cannot be mapped
        return b"", read_only(starts)
    with open(path, "rb") as source:
        return mmap.mmap(source.fileno(), 0, access=mmap.ACCESS_READ), read_only(starts)

