"""Customer search in memory: the lower-cased id, name and e-mail of every customer, each field
joined into one string, searched with Python's substring search (a few milliseconds over a
million customers, where DuckDB's ``contains`` over the column takes about a hundred).

Built from the server's lookup copy (:mod:`valuecrm.views.lookup_copy`), whose ``lower`` it
uses, so it finds exactly what ``contains(lower(field), q)`` finds: a substring of the UTF-8
bytes is a substring of the characters, and no field holds the separator.

Each field is cut into blocks of :data:`BLOCK` customers, and each block keeps which 4-byte
pieces of UTF-8 its values hold (hashed into a bitmap of :data:`BITS` bits, a Bloom filter:
Bloom 1970, Communications of the ACM 13(7)). A value that contains ``q`` holds every 4-byte
piece of ``q``, so only the blocks whose bitmap has them all are searched; a text of fewer
than 4 bytes searches every block. The bitmap only skips blocks that cannot match, so the
answer is that of searching everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

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
    """Per searched field the joined lower-cased values, where each customer's starts and the
    bitmap of each block; the customer ids in id order."""

    ids: list[str]
    texts: dict[str, str]
    starts: dict[str, np.ndarray]
    bitmaps: dict[str, np.ndarray]  # field -> (blocks, BITS // 8) uint8
    block: int = BLOCK

    def matches(self, q: str, fields: tuple[str, ...]) -> np.ndarray:
        """Positions (in id order) of the customers one of whose ``fields`` contains ``q``
        (already lower-cased), ascending."""
        found: list[np.ndarray] = []
        if SEPARATOR in q or not q:  # no value holds it; "" is never asked (no filter)
            return np.empty(0, dtype=np.int64)
        data = np.frombuffer(q.encode(), dtype=np.uint8)
        wanted = np.unique(piece_hashes(data)) if len(data) >= GRAM else None
        for field in fields:
            text, starts, hits = self.texts[field], self.starts[field], []
            for first, last in self.spans(field, wanted):
                at = int(starts[first])
                end = int(starts[last]) if last < len(starts) else len(text)
                while (at := text.find(q, at, end)) >= 0:
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
            return [(0, n)]
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


def block_bitmaps(text: str, count: int, block: int = BLOCK) -> np.ndarray:
    """The bitmap of every block of ``block`` values of ``text`` (``count`` values, each
    followed by the separator): bit h of block k is set when a run of :data:`GRAM` bytes of
    the block's UTF-8 hashes to h."""
    data = np.frombuffer(text.encode(), dtype=np.uint8)
    ends = np.flatnonzero(data == 0)  # the separator after each value, in bytes
    blocks = -(-count // block)
    bitmaps = np.zeros((blocks, BITS // 8), dtype=np.uint8)
    for chunk in range(0, blocks, _CHUNK):
        last = min(chunk + _CHUNK, blocks)
        begin = 0 if chunk == 0 else int(ends[chunk * block - 1]) + 1
        stop = int(ends[min(last * block, count) - 1]) + 1
        piece = data[begin:stop]
        if len(piece) < GRAM:
            continue
        hashes = piece_hashes(piece)
        # the block of each run: by where it starts (a run over a separator only adds a bit)
        bounds = [int(ends[k * block - 1]) + 1 - begin for k in range(chunk + 1, last)]
        owner = np.searchsorted(np.asarray(bounds, dtype=np.int64),
                                np.arange(len(hashes)), side="right")
        bits = np.zeros((last - chunk, BITS), dtype=bool)
        bits[owner, hashes] = True
        bitmaps[chunk:last] = np.packbits(bits, axis=1, bitorder="little")
    return bitmaps


def build_index(cursor: Any, table: str, fields: tuple[str, ...],
                block: int = BLOCK) -> SearchIndex | None:
    """The index of ``table`` (``customer_id`` and ``{field}_lower`` per field, in id order),
    None when a value holds the separator or a query text could span two values."""
    found = cursor.execute(f"SELECT customer_id, {', '.join(f'{f}_lower' for f in fields)} "
                           f"FROM {table} ORDER BY customer_id").fetchall()
    return index_of([row[0] for row in found],
                    {f: [row[i] for row in found] for i, f in enumerate(fields, start=1)},
                    block)


def index_of(ids: list[str], lowered: dict[str, list[str | None]],
             block: int = BLOCK) -> SearchIndex | None:
    """The index of the customers ``ids`` (in id order) whose lower-cased fields are
    ``lowered`` (field -> one value per id), None when a value holds the separator."""
    texts, starts, bitmaps = {}, {}, {}
    for field, column in lowered.items():
        # a missing value never matches: an empty piece between separators, which no q of
        # at least one character without the separator can match
        values = ["" if v is None else v for v in column]
        if any(SEPARATOR in v for v in values):
            return None
        lengths = np.fromiter((len(v) + 1 for v in values), dtype=np.int64, count=len(values))
        starts[field] = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
        texts[field] = SEPARATOR.join(values) + SEPARATOR
        bitmaps[field] = block_bitmaps(texts[field], len(values), block)
    return SearchIndex(ids, texts, starts, bitmaps, block)
