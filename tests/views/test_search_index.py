"""The in-memory customer search (valuecrm.views.search_index): the blocks its bitmaps skip
never hold a match, so it finds exactly the customers a scan of every value finds, for texts
of any length, in any script, at any block size."""

from __future__ import annotations

import random

import duckdb
import numpy as np
import pytest

from valuecrm.views.search_index import build_index, piece_hashes

FIELDS = ("customer_id", "name", "email")
SYLLABLES = ["ma", "rk", "br", "own", "李", "王", "芳", "é", "c0", "01", "44", "@ex", ".com", "x"]


def values(rng: random.Random, n: int) -> list[tuple[str, str | None, str | None]]:
    rows = []
    for i in range(n):
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4)))
        email = None if rng.random() < 0.1 else f"{name}{rng.randint(0, 999)}@example.com"
        rows.append((f"c{i:06d}", None if rng.random() < 0.05 else name, email))
    return rows


@pytest.mark.parametrize("block", [1, 3, 64, 1024])
def test_the_index_finds_what_a_scan_finds(block: int) -> None:
    rng = random.Random(block)
    rows = values(rng, 700)
    con = duckdb.connect()
    con.execute("CREATE TABLE s (customer_id VARCHAR, name VARCHAR, email VARCHAR)")
    con.executemany("INSERT INTO s VALUES (?, ?, ?)", rows)
    con.execute("CREATE TABLE t AS SELECT *, lower(customer_id) AS customer_id_lower, "
                "lower(name) AS name_lower, lower(email) AS email_lower FROM s")
    index = build_index(con, "t", FIELDS, block=block)
    assert index is not None
    pieces = ["c0001", "00042", "c000699", "mark", "王芳", "李王", "rk李", "é", "@example.com",
              "own1", "99@", "x", "ma", "c0", "nothing-matches", "芳芳芳芳", "4"]
    pieces += [r[2][2:9] for r in rows[::37] if r[2]]
    for q in pieces:
        for fields in (("customer_id",), FIELDS):
            expected = [r[0] for r in con.execute(
                "SELECT customer_id FROM t WHERE " + " OR ".join(
                    f"contains({f}_lower, ?)" for f in fields) + " ORDER BY customer_id",
                [q] * len(fields)).fetchall()]
            found = [index.ids[i] for i in index.matches(q, fields)]
            assert found == expected, (q, fields)


def test_a_piece_of_an_id_searches_few_blocks() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT printf('c%08d', i) AS customer_id, "
                "printf('c%08d', i) AS customer_id_lower FROM range(100000) r(i)")
    index = build_index(con, "t", ("customer_id",))
    assert index is not None and len(index.bitmaps["customer_id"]) == 98
    wanted = np.unique(piece_hashes(np.frombuffer(b"c0004567", dtype=np.uint8)))
    searched = sum(last - first for first, last in index.spans("customer_id", wanted))
    assert 1024 <= searched <= 5 * 1024  # the block that holds c00045670-79, and few others
    assert [index.ids[i] for i in index.matches("c0004567", ("customer_id",))] == [
        f"c{i:08d}" for i in range(45670, 45680)]


def test_an_empty_table_matches_nothing() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t (customer_id VARCHAR, customer_id_lower VARCHAR)")
    index = build_index(con, "t", ("customer_id",))
    assert index is not None and len(index.matches("c0001", ("customer_id",))) == 0
    assert isinstance(index.matches("c", ("customer_id",)), np.ndarray)
