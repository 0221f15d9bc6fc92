"""Frequent itemsets counted where the baskets are: level-wise joins in any Ibis engine.

Apriori (Agrawal & Srikant, 1994, "Fast algorithms for mining association rules", VLDB) in its
set-oriented form (Houtsma & Swami, 1995, "Set-oriented mining for association rules in
relational databases", ICDE): the items of the baskets are counted, then the pairs of frequent
items within a basket (a self-join on the basket); then each basket's frequent k-itemsets are
extended by a later item of the same basket whose pair with the itemset's last item is frequent
(Apriori's pruning), counted, and those below the threshold dropped. Only
the counts of the frequent itemsets leave the engine; each level's per-basket itemsets stay
there (``cache``).

Items and pairs are always counted in the engine. When the lines of the frequent items are few
enough to hold in memory (``LOCAL_ROWS``), those of the baskets with three frequent items or
more are fetched instead and the larger itemsets counted in memory, which is much faster than
the joins; beyond, the engine counts every level.

No backend is imported: the expressions run on DuckDB, PySpark or any engine Ibis speaks to.
"""

from __future__ import annotations

import ibis.expr.types as ir
import numpy as np
import pandas as pd

from valuecrm.mining.itemsets import (
    SUPPORT_TOLERANCE,
    FrequentItemsets,
    apriori_levels,
    min_count_of,
)

# the most lines of frequent items fetched to count itemsets of three items and more in memory
# (about 16 bytes each there); beyond, the engine counts every level
LOCAL_ROWS = 20_000_000


def _column(k: int) -> str:
    return f"i{k}"


def engine_frequent_itemsets(table: ir.Table, *, basket: str, item: str, min_support: float,
                             max_len: int | None, local_rows: int = LOCAL_ROWS
                             ) -> FrequentItemsets:
    """Frequent itemsets of the baskets in ``table``, counted by its engine.

    Items and pairs are always counted there. Larger itemsets too when the lines of the
    frequent items number more than ``local_rows``; up to that, those lines (of baskets holding
    three frequent items or more) are fetched and counted in memory
    (:func:`valuecrm.mining.itemsets.apriori_levels`), much faster than the joins."""
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
        counted = item_counts.to_pandas()
        n_baskets = int(counted["n"].iloc[0] if len(counted)
                        else n_table.to_pandas()["n"].iloc[0])  # no frequent item
        return _levels(pairs, item_counts, counted, n_baskets,
                       min_count_of(min_support, n_baskets), max_len, cached, local_rows)
    finally:
        for table_ in cached:
            table_.release()


def _levels(pairs: ir.Table, item_counts: ir.Table, counted: pd.DataFrame, n_baskets: int,
            min_count: int, max_len: int | None, cached: list[ir.Table], local_rows: int
            ) -> FrequentItemsets:
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
            _finish_in_memory(result, frequent, code, min_count, top)
            break
        if size == 2:
            frequent_pairs = level.select(a=level.i0, b=level.i1)
        # this size's frequent itemsets in each basket, then one more item of that basket
        kept = grown.semi_join(level, [_column(k) for k in range(size)])
        grown = _extended(kept, frequent, frequent_pairs, size).cache()
        cached.append(grown)
        size += 1
    return result


def _finish_in_memory(result: FrequentItemsets, frequent: ir.Table, code: pd.Index,
                      min_count: int, top: float) -> None:
    """Itemsets of three items and more from the lines of the frequent items in baskets that
    hold at least three of them, fetched from the engine."""
    sizes = frequent.group_by("basket").aggregate(items=frequent.i0.count())
    lines = frequent.semi_join(sizes.filter(sizes["items"] >= 3), "basket").to_pandas()
    baskets, _ = pd.factorize(lines["basket"])
    items = code.get_indexer(lines["i0"]).astype(np.int64)
    apriori_levels(result, baskets.astype(np.int64), items, int(baskets.max(initial=-1)) + 1,
                   len(code), min_count, top)


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
