"""Frequent itemsets counted where the baskets are: level-wise joins in any Ibis engine.

Apriori (Agrawal & Srikant, 1994, "Fast algorithms for mining association rules", VLDB) in its
set-oriented form (Houtsma & Swami, 1995, "Set-oriented mining for association rules in
relational databases", ICDE): the items of each basket are counted, then the pairs of frequent
items within a basket (a self-join on the basket), then each basket's frequent k-itemsets are
extended by a later item of the same basket whose pair with the itemset's last item is frequent
(the Apriori pruning), counted, and those below the threshold dropped. Only the counts of the
frequent itemsets leave the engine; each level's per-basket itemsets stay there (``cache``).

No backend is imported: the expressions run on DuckDB, PySpark or any engine Ibis speaks to.
"""

from __future__ import annotations

import ibis.expr.types as ir
import numpy as np
import pandas as pd

from valuecrm.mining.itemsets import SUPPORT_TOLERANCE, FrequentItemsets, min_count_of


def _column(k: int) -> str:
    return f"i{k}"


def engine_frequent_itemsets(table: ir.Table, *, basket: str, item: str, min_support: float,
                             max_len: int | None) -> FrequentItemsets:
    """Frequent itemsets of the baskets in ``table``, counted by its engine."""
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
        n_baskets = int(counted["n"].iloc[0]) if len(counted) else int(n_table.n.execute())
        return _levels(pairs, item_counts, counted, n_baskets,
                       min_count_of(min_support, n_baskets), max_len, cached)
    finally:
        for table_ in cached:
            table_.release()


def _levels(pairs: ir.Table, item_counts: ir.Table, counted: pd.DataFrame, n_baskets: int,
            min_count: int, max_len: int | None, cached: list[ir.Table]) -> FrequentItemsets:
    labels = np.asarray(sorted(counted["i0"].tolist()), dtype=object)
    code = pd.Index(labels)
    result = FrequentItemsets(labels=labels, n_baskets=n_baskets)
    result.levels[1] = (np.arange(len(labels)).reshape(-1, 1),
                        counted.set_index("i0")["count"].reindex(labels).to_numpy(np.int64))
    top = np.inf if max_len is None else max_len
    if top < 2 or len(labels) < 2:
        return result
    frequent = pairs.semi_join(item_counts.select("i0"), "i0")
    per_basket = _pairs_per_basket(frequent)
    level = _counts(per_basket, 2, min_count).cache()
    cached.append(level)
    counts = level.to_pandas()
    size = 2
    frequent_pairs = level.select(a=level.i0, b=level.i1)
    while len(counts):
        result.levels[size] = _coded(counts, size, code)
        if size >= top:
            break
        # this level's itemsets in each basket, then one more item of that basket
        per_basket = per_basket.semi_join(level, [_column(k) for k in range(size)]).cache()
        cached.append(per_basket)
        per_basket = _extended(per_basket, frequent, frequent_pairs, size)
        size += 1
        level = _counts(per_basket, size, min_count).cache()
        cached.append(level)
        counts = level.to_pandas()
    return result


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
    # Apriori pruning: the new item must make a frequent pair with the last one
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
