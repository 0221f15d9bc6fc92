"""Frequent itemsets counted where the baskets are: level-wise joins in any Ibis engine.

Apriori (Agrawal & Srikant, 1994, "Fast algorithms for mining association rules", VLDB) in its
set-oriented form (Houtsma & Swami, 1995, "Set-oriented mining for association rules in
relational databases", ICDE): the items of the baskets are counted, then the pairs of frequent
items within a basket (a self-join on the basket); then each basket's frequent k-itemsets are
extended by a later item of the same basket whose pair with the itemset's last item is frequent
(Apriori's pruning), counted, and those below the threshold dropped. Only
the counts of the frequent itemsets leave the engine; each level's per-basket itemsets stay
there (``cache``).

Items and pairs are always counted in the engine. When the lines of the frequent items are no
more than ``LOCAL_ROWS``, the larger itemsets are counted in memory instead, which is much
faster than the joins: the lines of the baskets with three frequent items or more are read in
basket order, in batches of whole baskets of about ``BATCH_ROWS`` lines (only a basket's id and
an item number cross), and each size's candidates counted in every batch and the counts added
(one read of the lines per size; one in all when a batch holds them all). Memory holds one batch,
never the lines. Beyond ``LOCAL_ROWS``, the engine counts every level.

No backend is imported: the expressions run on DuckDB, PySpark or any engine Ibis speaks to.
"""

from __future__ import annotations

from collections.abc import Iterator

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd
import pyarrow as pa

from valuecrm.mining.itemsets import (
    SUPPORT_TOLERANCE,
    FrequentItemsets,
    candidate_counts,
    grow_levels,
    min_count_of,
    packed_baskets,
)

# the most lines of frequent items whose itemsets of three items and more are counted in memory
# (from batches, one read of the lines per size); beyond, the engine counts every level by joins
LOCAL_ROWS = 20_000_000
# the lines read from the engine at once to count those itemsets (a basket id and an item
# number each, then the batch's baskets as bits); a batch is whole baskets, so it may add the
# rest of the basket the read before left unfinished
BATCH_ROWS = 250_000


def _column(k: int) -> str:
    return f"i{k}"


def engine_frequent_itemsets(table: ir.Table, *, basket: str, item: str, min_support: float,
                             max_len: int | None, local_rows: int = LOCAL_ROWS,
                             batch_rows: int = BATCH_ROWS) -> FrequentItemsets:
    """Frequent itemsets of the baskets in ``table``, counted by its engine.

    Items and pairs are always counted there. Larger itemsets too when the lines of the
    frequent items number more than ``local_rows``; up to that, those lines (of baskets holding
    three frequent items or more) are read in batches of whole baskets of about ``batch_rows``
    lines and the itemsets counted in memory (:func:`valuecrm.mining.itemsets.grow_levels`),
    much faster than the joins."""
    cached: list[ir.Table] = []
    try:
        pairs = (table.select(basket=table[basket], i0=table[item])
                 .filter(lambda t: t.basket.notnull() & t.i0.notnull()).distinct().cache())
        cached.append(pairs)
        # the frequent items and the number of baskets in one query: the threshold as a count
        # is ceil(min_support * n), as min_count_of has it
        n_table = pairs.aggregate(n=pairs.basket.nunique())
        item_counts = pairs.group_by("i0").aggregate(count=pairs.basket.count())
        item_counts = item_counts.cross_join(n_table)
        item_counts = item_counts.filter(
            item_counts["count"] >= (item_counts.n * min_support - SUPPORT_TOLERANCE).ceil())
        # each frequent item numbered in the engine (its order there), so that the lines read
        # in batches carry a number, not the item, whatever its type
        item_counts = item_counts.mutate(number=ibis.row_number().over(order_by=item_counts.i0))
        item_counts = item_counts.cache()
        cached.append(item_counts)
        counted = item_counts.to_pandas()
        n_baskets = int(counted["n"].iloc[0] if len(counted)
                        else n_table.to_pandas()["n"].iloc[0])  # no frequent item
        return _levels(pairs, item_counts, counted, n_baskets,
                       min_count_of(min_support, n_baskets), max_len, cached, local_rows,
                       batch_rows)
    finally:
        for table_ in cached:
            table_.release()


def _levels(pairs: ir.Table, item_counts: ir.Table, counted: pd.DataFrame, n_baskets: int,
            min_count: int, max_len: int | None, cached: list[ir.Table], local_rows: int,
            batch_rows: int) -> FrequentItemsets:
    labels = np.asarray(sorted(counted["i0"].tolist()), dtype=object)
    code = pd.Index(labels)
    result = FrequentItemsets(labels=labels, n_baskets=n_baskets)
    result.levels[1] = (np.arange(len(labels)).reshape(-1, 1),
                        counted.set_index("i0")["count"].reindex(labels).to_numpy(np.int64))
    top = np.inf if max_len is None else max_len
    if top < 2 or len(labels) < 2:
        return result
    frequent = pairs.semi_join(item_counts.select("i0"), "i0").cache()
    cached.append(frequent)
    grown = _pairs_per_basket(frequent)  # each basket's pairs of frequent items
    size = 2
    while True:
        level = _counts(grown, size, min_count).cache()
        cached.append(level)
        counts = level.to_pandas()
        if not len(counts):
            break
        result.levels[size] = _coded(counts, size, code)
        if size >= top:
            break
        if size == 2 and int(counted["count"].sum()) <= local_rows:
            numbers = item_counts.select("i0", "number")
            _finish_in_memory(result, frequent, numbers, _codes_of_numbers(counted, code),
                              min_count, top, batch_rows, cached)
            break
        if size == 2:
            frequent_pairs = level.select(a=level.i0, b=level.i1)
        # this size's frequent itemsets in each basket, then one more item of that basket
        kept = grown.semi_join(level, [_column(k) for k in range(size)])
        grown = _extended(kept, frequent, frequent_pairs, size).cache()
        cached.append(grown)
        size += 1
    return result


def _finish_in_memory(result: FrequentItemsets, frequent: ir.Table, numbers: ir.Table,
                      code_of_number: np.ndarray, min_count: int, top: float, batch_rows: int,
                      cached: list[ir.Table]) -> None:
    """Itemsets of three items and more from the lines of the frequent items in baskets that
    hold at least three of them, read from the engine in batches of whole baskets: each size's
    candidates are counted in every batch and the counts added, so the counts are those of all
    the lines at once."""
    sizes = frequent.group_by("basket").aggregate(items=frequent.i0.count())
    lines = frequent.semi_join(sizes.filter(sizes["items"] >= 3), "basket")
    lines = lines.join(numbers, "i0").select("basket", "number").cache()
    cached.append(lines)
    m = len(result.labels)
    only_batch: list[np.ndarray] = []  # its bits, when one batch holds every line

    def count(candidates: np.ndarray) -> np.ndarray:
        if only_batch:
            return candidate_counts(only_batch[0], candidates)
        total, batches, bits = np.zeros(len(candidates), np.int64), 0, None
        for baskets, items in _basket_batches(lines, code_of_number, batch_rows):
            bits = packed_baskets(baskets, items, int(baskets[-1]) + 1, m)
            total += candidate_counts(bits, candidates)
            batches += 1
        if batches == 1:  # read once: kept for the next sizes
            only_batch.append(bits)
        return total

    grow_levels(result, m, min_count, top, count)


def _codes_of_numbers(counted: pd.DataFrame, code: pd.Index) -> np.ndarray:
    """The item code (position in ``code``) of each item's number in the engine."""
    numbers = counted["number"].to_numpy(np.int64)
    code_of_number = np.full(int(numbers.max()) + 1, -1, np.int64)
    code_of_number[numbers] = code.get_indexer(counted["i0"])
    return code_of_number


def _basket_batches(lines: ir.Table, code_of_number: np.ndarray, batch_rows: int
                    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """``(basket codes 0..b-1, item codes)`` of the lines, in batches of whole baskets: read in
    basket order, ``batch_rows`` at a time, the lines of the last basket read waiting for the
    next read, which may hold more of them."""
    held: pa.RecordBatch | None = None  # the last basket read so far
    for read in _record_batches(lines.order_by("basket"), batch_rows):
        batch = read if held is None else pa.concat_batches([held, read])
        if not batch.num_rows:
            continue
        # the baskets come in order: numbered in order of appearance, they ascend
        baskets = batch.column("basket").dictionary_encode().indices.to_numpy()
        last = int(np.searchsorted(baskets, baskets[-1]))
        held = batch.slice(last)
        if last:
            yield (baskets[:last].astype(np.int64),
                   code_of_number[batch.column("number").to_numpy()[:last]])
    if held is not None and held.num_rows:
        yield (np.zeros(held.num_rows, np.int64),
               code_of_number[held.column("number").to_numpy()])


def _record_batches(lines: ir.Table, batch_rows: int) -> Iterator[pa.RecordBatch]:
    """The rows of ``lines`` from its engine, ``batch_rows`` at most at a time, in order."""
    with lines.to_pyarrow_batches(chunk_size=batch_rows) as reader:
        yield from reader


def _pairs_per_basket(frequent: ir.Table) -> ir.Table:
    other = frequent.view()
    joined = frequent.join(other, [frequent.basket == other.basket, frequent.i0 < other.i0])
    return joined.select(basket=frequent.basket, i0=frequent.i0, i1=other.i0)


def _extended(per_basket: ir.Table, frequent: ir.Table, frequent_pairs: ir.Table,
              size: int) -> ir.Table:
    last = _column(size - 1)
    new = frequent.view()
    joined = per_basket.join(new, [per_basket.basket == new.basket, per_basket[last] < new.i0])
    grown = joined.select(basket=per_basket.basket,
                          **{_column(k): per_basket[_column(k)] for k in range(size)},
                          **{_column(size): new.i0})
    # Apriori pruning: the new item makes a frequent pair with the last one
    return grown.semi_join(frequent_pairs, [grown[last] == frequent_pairs.a,
                                            grown[_column(size)] == frequent_pairs.b])


def _counts(per_basket: ir.Table, size: int, min_count: int) -> ir.Table:
    columns = [_column(k) for k in range(size)]
    counted = per_basket.group_by(columns).aggregate(count=per_basket.basket.count())
    return counted.filter(counted["count"] >= min_count)


def _coded(counts: pd.DataFrame, size: int, code: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    """Item codes (each row ascending, rows sorted) and counts of one level's itemsets."""
    codes = np.column_stack([code.get_indexer(counts[_column(k)]) for k in range(size)])
    codes = np.sort(codes, axis=1)
    order = np.lexsort(codes.T[::-1])
    return codes[order].astype(np.int64), counts["count"].to_numpy(np.int64)[order]
