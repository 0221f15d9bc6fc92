"""The lookup copy's customer ids (valuecrm.views.sorted_ids) and its other per-customer parts
are memory-mapped arrays, not Python objects per customer, and answer as before: a customer's
position is Python's ``bisect_left`` over the ids sorted as DuckDB sorts them (UTF-8 bytes),
for non-ASCII ids, ids that are prefixes of others, ids longer than a key, ids that differ only
by trailing NUL bytes, repeated ids, and unknown ids between and beyond them all; a search
finds what ``contains(lower(field), q)`` finds."""

from __future__ import annotations

import bisect
import mmap

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from valuecrm.views.lookup_copy import build_copy, drop_copies, ready_copy
from valuecrm.views.sorted_ids import KEY_BYTES, sorted_ids

LONG = "x" * KEY_BYTES  # ids sharing a prefix as long as a key: told apart by the ids
IDS = ["1", "10", "100", "1000", "2", "9", "A-7", "a", "a\x00", "a\x00b", "b", "é", "éa",
       "客户-1", "客户-10", "客户-2", "😀", "", f"{LONG}1", f"{LONG}2", f"{LONG}10", LONG,
       "C000123", "C000124", "c000123"]
UNKNOWN = ["0", "01", "11", "1001", "3", "A", "a\x00\x00", "a\x01", "aa", "ä", "客", "客户",
           "客户-11", "客户-3", "😀😀", "\U0010ffff", f"{LONG}0", f"{LONG}3", f"{LONG}11",
           LONG[:-1], "C000125", "c", "\ud800", "z" * 200]


SHORT = [c for c in IDS if len(c.encode()) <= KEY_BYTES and not c.endswith("\x00")]


def mapped(array: np.ndarray) -> bool:
    """Whether ``array`` is a view of a memory-mapped file (not in the heap)."""
    base = array
    while base is not None and not isinstance(base, mmap.mmap):
        base = getattr(base, "base", None)
    return base is not None


def bisect_position(ordered: list[str], customer_id: str) -> int | None:
    """The old lookup: bisect over the Python list of ids."""
    k = bisect.bisect_left(ordered, customer_id)
    return k if k < len(ordered) and ordered[k] == customer_id else None


@pytest.mark.parametrize("chunk", [1, 3, 1000])
@pytest.mark.parametrize("stored", [IDS, SHORT], ids=["long-and-nul-ended", "whole-keys"])
def test_positions_are_those_of_bisect_over_the_sorted_ids(chunk: int,
                                                           stored: list[str]) -> None:
    ordered = sorted([*stored, "b", "b", "1"])  # an id stored twice: its first position
    assert ordered == sorted(ordered, key=str.encode)  # code point order is UTF-8 byte order
    column = pa.chunked_array([pa.array(ordered[i:i + chunk], pa.string())
                               for i in range(0, len(ordered), chunk)])
    ids = sorted_ids(column)
    width = max(len(c.encode()) for c in SHORT)
    assert ids.keys.dtype == np.dtype(f"S{KEY_BYTES if stored is IDS else width}")
    assert ids.whole == (stored is SHORT)  # else the ids settle ties and check the one found
    assert [ids[k] for k in range(len(ids))] == ordered
    for customer_id in [*IDS, *UNKNOWN]:
        assert ids.position(customer_id) == bisect_position(ordered, customer_id), customer_id
    with pytest.raises(TypeError, match="a customer id is a string"):
        ids.position(1)  # type: ignore[arg-type]


def test_an_empty_list_of_ids_finds_nobody() -> None:
    ids = sorted_ids(pa.chunked_array([], pa.string()))
    assert len(ids) == 0 and ids.position("1") is None and ids.position("") is None


@pytest.mark.parametrize("stored", [IDS, [c for c in IDS if "\x00" not in c]],
                         ids=["with-nul", "searchable"])
def test_the_copy_keeps_no_python_object_per_customer_and_answers_as_before(
        stored: list[str]) -> None:
    con = duckdb.connect()
    cur = con.cursor()
    cur.execute("CREATE TABLE customers (customer_id VARCHAR, name VARCHAR, email VARCHAR)")
    cur.executemany("INSERT INTO customers VALUES (?, ?, ?)",
                    [[c, f"Name {c.upper()} Ünal" if i % 4 else None,
                      f"{i}@example.com" if i % 3 else None] for i, c in enumerate(stored)])
    cur.execute("CREATE TABLE orders AS SELECT customer_id, i AS amount FROM customers, "
                "range(3) r(i) WHERE length(customer_id) % 2 = 0")
    alias = build_copy(cur, lambda: True)
    assert alias is not None
    try:
        copy = ready_copy(cur)[1]
        assert not isinstance(copy.ids, list) and mapped(copy.ids.keys)
        assert copy.starts and all(mapped(s) for s in copy.starts.values())
        ordered = [r[0] for r in cur.execute("SELECT customer_id FROM customers "
                                             "ORDER BY customer_id").fetchall()]
        assert ordered == sorted(stored)  # DuckDB's order: by UTF-8 bytes
        for customer_id in [*IDS, *UNKNOWN]:
            k = copy.position(customer_id)
            assert k == bisect_position(ordered, customer_id), customer_id
            expected = [] if customer_id == "\ud800" else cur.execute(  # not for DuckDB
                "SELECT customer_id, amount FROM orders WHERE customer_id = ? ORDER BY rowid",
                [customer_id]).fetchall()
            found = copy.rows("orders", customer_id)
            assert [(r["customer_id"], r["amount"]) for r in found] == expected, customer_id

        if any("\x00" in c for c in stored):  # a separator in an id: searches read DuckDB
            assert copy.index is None
            return
        assert copy.index is not None
        assert all(isinstance(t, mmap.mmap) for t in copy.index.texts.values())
        assert all(mapped(s) for s in copy.index.starts.values())
        assert all(mapped(b) for b in copy.index.bitmaps.values())
        fields = ("customer_id", "name", "email")
        for q in ["1", "10", "客户", "é", "ün", "name a", "@example", "x" * 60, "0@", "none"]:
            for searched in (("customer_id",), fields):
                expected = [r[0] for r in cur.execute(
                    "SELECT customer_id FROM customers WHERE " + " OR ".join(
                        f"contains(lower({f}), ?)" for f in searched) + " ORDER BY customer_id",
                    [q] * len(searched)).fetchall()]
                found = [copy.ids[k] for k in copy.index.matches(q, searched)]
                assert found == expected, (q, searched)
    finally:
        drop_copies(cur)
        con.close()
