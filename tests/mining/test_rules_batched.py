"""The engine's itemsets of three items and more are counted from batches of whole baskets:
the same itemsets, counts and rules as counted at once, and no read larger than the batch.

Groceries (Hahsler, Grün & Hornik, 2005; REFERENCE.md: 13,492 itemsets at support 0.001, 5,668
rules at confidence 0.5) read 100 lines at a time, so every basket with three frequent items or
more is in one of hundreds of batches and many span two reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ibis
import numpy as np
import pandas as pd
import pytest

import valuecrm.mining.engine as engine
from valuecrm.mining import FrequentItemsets, frequent_itemsets, rules_from_itemsets

DATA = Path(__file__).parent.parent / "data"
BUDGET = 100  # lines per read


@pytest.fixture(scope="module")
def groceries() -> pd.DataFrame:
    frame = pd.read_csv(DATA / "groceries" / "groceries_long.csv.gz")
    return frame.rename(columns={"transaction_id": "basket_id"})[["basket_id", "item"]]


def _assert_same(got: FrequentItemsets, want: FrequentItemsets) -> None:
    assert list(got.labels) == list(want.labels) and got.n_baskets == want.n_baskets
    assert sorted(got.levels) == sorted(want.levels)
    for size, (codes, counts) in want.levels.items():
        np.testing.assert_array_equal(got.levels[size][0], codes)
        np.testing.assert_array_equal(got.levels[size][1], counts)


class _Reads:
    """What the engine hands to pandas and in Arrow batches, and the batches of whole baskets
    counted, by their number of rows."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.frames: list[int] = []
        self.arrow: list[int] = []
        self.baskets: list[tuple[int, int]] = []  # (lines, largest basket) of each batch
        record_batches, basket_batches = engine._record_batches, engine._basket_batches
        to_pandas = ibis.expr.types.Table.to_pandas

        def read_frame(table: Any, *args: Any, **kwargs: Any) -> pd.DataFrame:
            frame = to_pandas(table, *args, **kwargs)
            self.frames.append(len(frame))
            return frame

        def read_arrow(lines: Any, batch_rows: int) -> Iterator[Any]:
            for batch in record_batches(lines, batch_rows):
                self.arrow.append(batch.num_rows)
                yield batch

        def counted(*args: Any) -> Iterator[tuple[np.ndarray, np.ndarray]]:
            for baskets, items in basket_batches(*args):
                self.baskets.append((len(items), int(np.bincount(baskets).max())))
                yield baskets, items

        monkeypatch.setattr(ibis.expr.types.Table, "to_pandas", read_frame)
        monkeypatch.setattr(engine, "_record_batches", read_arrow)
        monkeypatch.setattr(engine, "_basket_batches", counted)


def test_groceries_counted_in_batches_equal_the_whole(groceries, monkeypatch):
    want = frequent_itemsets(groceries, min_support=0.001)  # in memory, all baskets at once
    assert len(want.to_frame()) == 13492
    con = ibis.duckdb.connect()
    table = con.create_table("groceries", groceries)
    whole = engine.engine_frequent_itemsets(table, basket="basket_id", item="item",
                                            min_support=0.001, max_len=None)
    reads = _Reads(monkeypatch)
    batched = engine.engine_frequent_itemsets(table, basket="basket_id", item="item",
                                              min_support=0.001, max_len=None,
                                              batch_rows=BUDGET)
    _assert_same(whole, want)
    _assert_same(batched, want)
    pd.testing.assert_frame_equal(rules_from_itemsets(batched, min_confidence=0.5),
                                  rules_from_itemsets(want, min_confidence=0.5))
    assert len(rules_from_itemsets(batched, min_confidence=0.5)) == 5668
    # the lines of the frequent items in baskets holding three of them or more came in reads
    # of at most BUDGET rows, once per size counted in memory (3 to 6) ...
    distinct = groceries.drop_duplicates()
    frequent = distinct[distinct.groupby("item")["basket_id"].transform("size") >= 10]
    per_basket = frequent.groupby("basket_id")["item"].transform("size")
    lines = int((per_basket >= 3).sum())
    assert max(want.levels) == 6 and lines > 100 * BUDGET
    assert max(reads.arrow) <= BUDGET and sum(reads.arrow) == 4 * lines
    # ... counted in batches of whole baskets: a batch adds to a read what its last basket
    # left in the read before, so it is at most the budget and one basket more
    assert sum(n for n, _ in reads.baskets) == 4 * lines
    assert all(n <= BUDGET + largest for n, largest in reads.baskets)
    assert any(n > BUDGET for n, _ in reads.baskets)  # baskets did span two reads
    # pandas saw the counts only: items and pairs, never the lines
    assert max(reads.frames) <= len(want.levels[2][0]) < groceries.shape[0]


@pytest.mark.spark
@pytest.mark.slow  # on Spark: about 10 small jobs
def test_batches_split_no_basket_in_any_engine(backend):
    """Baskets whose lines span two or more reads (3 rows each) are counted whole, in DuckDB
    and PySpark, with basket ids that do not sort as numbers do."""
    rng = np.random.default_rng(5)
    rows = [(f"b{basket}", f"item{i}") for basket in range(120) for i in range(7)
            if rng.random() < 0.55]
    baskets = pd.DataFrame(rows, columns=["basket_id", "item"])
    if backend.name == "pyspark":
        backend._session.createDataFrame(  # type: ignore[attr-defined]
            rows, "basket_id string, item string").createOrReplaceTempView("split_baskets")
        table = backend.table("split_baskets")
    else:
        table = backend.create_table("split_baskets", baskets)
    want = frequent_itemsets(baskets, min_support=0.05)
    assert max(want.levels) >= 4
    got = engine.engine_frequent_itemsets(table, basket="basket_id", item="item",
                                          min_support=0.05, max_len=None, batch_rows=3)
    _assert_same(got, want)
