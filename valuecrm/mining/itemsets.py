"""Frequent itemsets of baskets held in memory: Apriori on packed bit vectors.

Apriori (Agrawal & Srikant, 1994, "Fast algorithms for mining association rules", VLDB) one size
at a time: the frequent items are counted, then the frequent pairs by one sparse product
``X'X`` of the basket x item incidence matrix, then each larger size from the candidates of the
size below (two frequent itemsets sharing all but their last item, kept when every subset is
frequent). A candidate is counted vertically, as in MAFIA (Burdick, Calimlim & Gehrke, 2001,
ICDE): each item is a row of packed bits, one per basket, and the baskets holding a candidate
are the population count of its items' rows ANDed, for thousands of candidates in one
vectorised step.

The result, :class:`FrequentItemsets`, is shared with the engine's level-wise counting
(:mod:`valuecrm.mining.engine`): both give the same itemsets and counts.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

# a support threshold as a count: ceil(min_support * n), tolerant of the float product
# (0.07 * 100 is 7.000000000000001, and 7 baskets of 100 have support 0.07)
SUPPORT_TOLERANCE = 1e-9
# the most 64-bit words of basket bits ANDed at once (8 MB)
_CHUNK_WORDS = 1_000_000


def min_count_of(min_support: float, n_baskets: int) -> int:
    """The smallest number of baskets whose support is at least ``min_support`` (inclusive)."""
    return max(1, math.ceil(min_support * n_baskets - SUPPORT_TOLERANCE))


@dataclass
class FrequentItemsets:
    """Frequent itemsets by size: ``levels[k] = (codes, counts)`` where ``codes`` is a
    ``(r, k)`` array of item codes, each row ascending, and ``counts`` the number of baskets
    holding each itemset. Item ``c`` is ``labels[c]``; labels are sorted, so a row of codes
    names its items in sorted order."""

    labels: np.ndarray
    n_baskets: int
    levels: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    @property
    def item_counts(self) -> np.ndarray:
        """Count of each item, by code (every labelled item is frequent)."""
        return self.levels[1][1]

    def to_frame(self) -> pd.DataFrame:
        """One row per itemset: ``itemset`` (a sorted tuple), ``count``, ``support``."""
        rows, counts = [], []
        for codes, level_counts in self.levels.values():
            rows += [tuple(r) for r in self.labels[codes].tolist()]
            counts.append(level_counts)
        count = np.concatenate(counts) if counts else np.zeros(0, np.int64)
        return pd.DataFrame({"itemset": rows, "count": count,
                             "support": count / max(self.n_baskets, 1)})


def encode_baskets(basket_values: pd.Series, item_values: pd.Series
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Distinct (basket, item) pairs as integer codes: ``(basket_codes, item_codes, labels,
    n_baskets)``; items are coded in sorted label order and rows with a missing basket or item
    are dropped."""
    basket_codes, basket_labels = pd.factorize(basket_values, sort=False)
    item_codes, labels = pd.factorize(item_values, sort=True)
    keep = (basket_codes >= 0) & (item_codes >= 0)  # -1: missing
    n_items = max(len(labels), 1)
    pairs = basket_codes[keep].astype(np.int64) * n_items + item_codes[keep]
    pairs.sort()
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]] if len(pairs) else pairs
    basket_codes = pairs // n_items
    # baskets without any item are no baskets: number those left 0..n-1
    present = np.zeros(len(basket_labels), bool)
    present[basket_codes] = True
    renumber = np.cumsum(present) - 1
    return (renumber[basket_codes], (pairs % n_items).astype(np.int64),
            np.asarray(labels, dtype=object), int(present.sum()))


def mine_frequent_itemsets(basket_codes: np.ndarray, item_codes: np.ndarray,
                           labels: np.ndarray, n_baskets: int, min_count: int,
                           max_len: int | None) -> FrequentItemsets:
    """Every itemset held by at least ``min_count`` baskets, up to ``max_len`` items."""
    top = math.inf if max_len is None else max_len
    counts = np.bincount(item_codes, minlength=len(labels))
    frequent = np.flatnonzero(counts >= min_count)
    result = FrequentItemsets(labels=labels[frequent], n_baskets=n_baskets)
    result.levels[1] = (np.arange(len(frequent)).reshape(-1, 1), counts[frequent])
    if top < 2 or len(frequent) < 2:
        return result
    # recode the frequent items 0..m-1 (in label order) and drop the other rows
    recode = np.full(len(labels), -1, np.int64)
    recode[frequent] = np.arange(len(frequent))
    items = recode[item_codes]
    keep = items >= 0
    baskets, items = basket_codes[keep], items[keep]
    m = len(frequent)
    incidence = sparse.csr_matrix((np.ones(len(items), np.int32), (baskets, items)),
                                  shape=(n_baskets, m))
    product = sparse.triu(incidence.T @ incidence, k=1).tocoo()
    hit = product.data >= min_count
    first, second, pair_counts = product.row[hit], product.col[hit], product.data[hit]
    order = np.lexsort((second, first))
    first, second = first[order].astype(np.int64), second[order].astype(np.int64)
    pair_codes = np.column_stack([first, second])
    result.levels[2] = (pair_codes, pair_counts[order].astype(np.int64))
    if top > 2 and len(first):
        apriori_levels(result, baskets, items, n_baskets, m, min_count, top)
    return result


def packed_baskets(baskets: np.ndarray, items: np.ndarray, n_baskets: int, m: int
                   ) -> np.ndarray:
    """One row of packed bits per item (bit ``b`` set when basket ``b`` holds it); baskets with
    fewer than three frequent items cannot hold a triple and are left out."""
    sizes = np.bincount(baskets, minlength=n_baskets)
    wanted = sizes >= 3
    renumber = np.cumsum(wanted) - 1
    keep = wanted[baskets]
    baskets, items = renumber[baskets[keep]], items[keep]
    words = max(1, (int(wanted.sum()) + 63) // 64)
    flat = items * words + (baskets >> 6)
    bit = np.left_shift(np.uint64(1), (baskets & 63).astype(np.uint64))
    order = np.argsort(flat, kind="stable")
    flat, bit = flat[order], bit[order]
    starts = np.flatnonzero(np.r_[True, flat[1:] != flat[:-1]])
    bits = np.zeros(m * words, np.uint64)
    if len(flat):
        bits[flat[starts]] = np.bitwise_or.reduceat(bit, starts)
    return bits.reshape(m, words)


def apriori_levels(result: FrequentItemsets, baskets: np.ndarray, items: np.ndarray, n_baskets: int,
             m: int, min_count: int, top: float) -> None:
    """Itemsets of three items and more, one size at a time from the frequent pairs of
    ``result``: ``baskets`` and ``items`` are the codes (items 0..m-1 as in ``result``) of the
    lines of the frequent items."""
    bits = packed_baskets(baskets, items, n_baskets, m)
    grow_levels(result, m, min_count, top, lambda candidates: candidate_counts(bits, candidates))


def grow_levels(result: FrequentItemsets, m: int, min_count: int, top: float,
                count: Callable[[np.ndarray], np.ndarray]) -> None:
    """Apriori's levels of three items and more (up to ``top``) from the frequent pairs of
    ``result``: each size's candidates (:func:`candidate_itemsets`) are counted by ``count``
    (the number of baskets holding each) and those below ``min_count`` dropped."""
    size = 3
    while size <= top:
        candidates = candidate_itemsets(result.levels[size - 1][0], m)
        if not len(candidates):
            return
        counts = count(candidates)
        hit = counts >= min_count
        if not hit.any():
            return
        result.levels[size] = (candidates[hit], counts[hit])
        size += 1


def candidate_counts(bits: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Baskets of ``bits`` (:func:`packed_baskets`) holding each candidate itemset, counted
    for at most :data:`_CHUNK_WORDS` words of bits at a time."""
    chunk = max(1, _CHUNK_WORDS // bits.shape[1])
    counts = [_count(bits, candidates[start:start + chunk])
              for start in range(0, len(candidates), chunk)]
    return np.concatenate(counts) if counts else np.zeros(0, np.int64)


def _count(bits: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Baskets holding each candidate itemset: the AND of its items' bit rows, counted."""
    joint = bits[candidates[:, 0]] & bits[candidates[:, 1]]
    for column in range(2, candidates.shape[1]):
        joint &= bits[candidates[:, column]]
    return np.bitwise_count(joint).sum(axis=1, dtype=np.int64)


def candidate_itemsets(frequent: np.ndarray, m: int) -> np.ndarray:
    """Apriori's candidates of one more item (Agrawal & Srikant, 1994): two frequent itemsets
    (rows sorted) that share all but their last item make one candidate, kept when every one of
    its subsets of the same size is frequent. Rows come out sorted."""
    rows, width = frequent.shape
    if rows < 2:
        return np.zeros((0, width + 1), np.int64)
    new_group = np.r_[True, (frequent[1:, :-1] != frequent[:-1, :-1]).any(axis=1)]
    group = np.cumsum(new_group) - 1
    group_end = np.r_[np.flatnonzero(new_group)[1:], rows][group]
    partners = group_end - np.arange(rows) - 1
    left = np.repeat(np.arange(rows), partners)
    offsets = np.arange(len(left)) - np.repeat(np.cumsum(partners) - partners, partners)
    right = left + 1 + offsets
    candidates = np.column_stack([frequent[left], frequent[right, -1]])
    keep = np.ones(len(candidates), bool)
    known = row_keys(frequent, m)
    order = np.argsort(known)
    known = known[order]
    for drop in range(width - 1):  # dropping one of the last two items gives left, right
        keys = row_keys(np.delete(candidates, drop, axis=1), m)
        at = np.minimum(np.searchsorted(known, keys), len(known) - 1)
        keep &= known[at] == keys
    return candidates[keep]


def row_keys(rows: np.ndarray, m: int) -> np.ndarray:
    """One integer per row of item codes (each below ``m``), equal for equal rows and ordered
    as the rows are: the row read as a number in base ``m``."""
    width = rows.shape[1]
    wide = width * math.log2(max(m, 2)) >= 63  # then Python's integers, slower but exact
    keys = np.zeros(len(rows), object if wide else np.int64)
    for column in range(width):
        keys = keys * m + (rows[:, column].astype(object) if wide else rows[:, column])
    return keys
