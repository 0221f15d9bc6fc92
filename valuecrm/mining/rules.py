"""Association rules from baskets: ``association_rules``.

Rules are made as arules' ``apriori`` makes them (Hahsler, Grün & Hornik, 2005, "arules - a
computational environment for mining association rules and frequent item sets", Journal of
Statistical Software 14(15)): from every frequent itemset of two items or more, one rule per
item, that item alone on the right-hand side and the others on the left. Measures (Agrawal,
Imielinski & Swami, 1993; Brin, Motwani, Ullman & Tsur, 1997, for lift and conviction;
Piatetsky-Shapiro, 1991, for leverage), with ``s`` the share of baskets holding an itemset:

- support ``s(A u C)``; count, the number of such baskets;
- confidence ``s(A u C) / s(A)``; lift ``confidence / s(C)``;
- leverage ``s(A u C) - s(A) s(C)``; conviction ``(1 - s(C)) / (1 - confidence)`` (infinite
  when the confidence is 1).
"""

from __future__ import annotations

import numbers
from typing import Any

import ibis.expr.types as ir
import numpy as np
import pandas as pd

from valuecrm.errors import ParameterError, SchemaError
from valuecrm.mining.engine import engine_frequent_itemsets
from valuecrm.mining.itemsets import (
    FrequentItemsets,
    encode_baskets,
    min_count_of,
    mine_frequent_itemsets,
    row_keys,
)

RULE_COLUMNS = ["antecedent", "consequent", "support", "confidence", "lift", "count",
                "leverage", "conviction"]
_OWNER = "association_rules"


def association_rules(baskets: pd.DataFrame | ir.Table, *, min_support: float,
                      min_confidence: float = 0.0, max_len: int | None = None,
                      basket: str = "basket_id", item: str = "item") -> pd.DataFrame:
    """Association rules with one item on the right-hand side, from baskets of items.

    ``baskets`` has one row per item of a basket (repeats and missing values are ignored): a
    pandas DataFrame, mined in memory (Apriori on bit vectors), or an Ibis table on any engine
    (DuckDB, PySpark...), where the frequent items and pairs are counted (and the larger
    itemsets, by level-wise joins, when the lines of frequent items are too many to fetch) and
    only the counts come back.
    ``min_support`` (share of baskets, in (0, 1]) and ``min_confidence`` (in [0, 1]) are
    inclusive; ``max_len`` bounds the items of a rule (``max_len=2``: one-to-one rules).

    Returns one row per rule: ``antecedent`` (a sorted tuple of items), ``consequent`` (one
    item), ``support``, ``confidence``, ``lift``, ``count``, ``leverage``, ``conviction``, by
    lift, then confidence, then support, highest first.
    """
    _check(min_support, min_confidence, max_len)
    itemsets = frequent_itemsets(baskets, min_support=min_support, max_len=max_len,
                                 basket=basket, item=item)
    return rules_from_itemsets(itemsets, min_confidence=min_confidence)


def frequent_itemsets(baskets: pd.DataFrame | ir.Table, *, min_support: float,
                      max_len: int | None = None, basket: str = "basket_id",
                      item: str = "item") -> FrequentItemsets:
    """The itemsets held by at least ``min_support`` of the baskets (see
    :func:`association_rules` for the input)."""
    _check(min_support, 0.0, max_len, allow_single=True)
    if isinstance(baskets, ir.Table):
        _check_columns(list(baskets.columns), basket, item)
        return engine_frequent_itemsets(baskets, basket=basket, item=item,
                                        min_support=min_support, max_len=max_len)
    if not isinstance(baskets, pd.DataFrame):
        raise ParameterError.of("baskets", _OWNER, "a pandas DataFrame or an Ibis table",
                                type(baskets).__name__)
    _check_columns(list(baskets.columns), basket, item)
    basket_codes, item_codes, labels, n = encode_baskets(baskets[basket], baskets[item])
    return mine_frequent_itemsets(basket_codes, item_codes, labels, n,
                                  min_count_of(min_support, n), max_len)


def rules_from_itemsets(itemsets: FrequentItemsets, *, min_confidence: float = 0.0
                        ) -> pd.DataFrame:
    """The rules of :func:`association_rules` from already counted itemsets."""
    n = itemsets.n_baskets
    parts = []
    for size in sorted(itemsets.levels):
        if size < 2:
            continue
        codes, counts = itemsets.levels[size]
        below_codes, below_counts = itemsets.levels[size - 1]
        for position in range(size):
            antecedent = np.delete(codes, position, axis=1)
            found = _lookup(below_codes, antecedent, len(itemsets.labels))
            parts.append((antecedent, codes[:, position], counts, below_counts[found]))
    if not parts:
        return _empty()
    width = max(p[0].shape[1] for p in parts)
    antecedent = np.concatenate([np.pad(a, ((0, 0), (0, width - a.shape[1])),
                                        constant_values=-1) for a, *_ in parts])
    consequent = np.concatenate([p[1] for p in parts])
    count = np.concatenate([p[2] for p in parts]).astype(np.int64)
    antecedent_count = np.concatenate([p[3] for p in parts]).astype(np.int64)
    keep = count >= min_confidence * antecedent_count * (1 - 1e-12)
    antecedent, consequent = antecedent[keep], consequent[keep]
    count, antecedent_count = count[keep], antecedent_count[keep]
    support = count / n
    confidence = count / antecedent_count
    consequent_support = itemsets.item_counts[consequent] / n
    lift = confidence / consequent_support
    leverage = support - antecedent_count / n * consequent_support
    with np.errstate(divide="ignore"):
        conviction = np.where(confidence >= 1.0, np.inf,
                              (1 - consequent_support) / np.maximum(1 - confidence, 1e-300))
    order = np.lexsort((consequent, *antecedent.T[::-1], -support, -confidence, -lift))
    labels = np.asarray(itemsets.labels, dtype=object)
    rows = antecedent[order]
    names = [tuple(labels[r[r >= 0]].tolist()) for r in rows]
    frame = pd.DataFrame({
        "antecedent": pd.Series(names, dtype=object),
        "consequent": pd.Series(labels[consequent[order]], dtype=object),
        "support": support[order], "confidence": confidence[order], "lift": lift[order],
        "count": count[order], "leverage": leverage[order], "conviction": conviction[order],
    })
    return frame


def _lookup(table: np.ndarray, rows: np.ndarray, m: int) -> np.ndarray:
    """Index in ``table`` (rows sorted, unique) of each row of ``rows`` (all present)."""
    return np.searchsorted(row_keys(table, m), row_keys(rows, m))


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=float) for c in RULE_COLUMNS})
    frame["antecedent"] = frame["antecedent"].astype(object)
    frame["consequent"] = frame["consequent"].astype(object)
    frame["count"] = frame["count"].astype(np.int64)
    return frame


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and value == value


def _check(min_support: Any, min_confidence: Any, max_len: Any,
           allow_single: bool = False) -> None:
    if not _is_number(min_support) or not 0 < min_support <= 1:
        raise ParameterError.of("min_support", _OWNER, "a share of baskets in (0, 1], e.g. "
                                "0.01 for rules found in at least 1% of the baskets",
                                min_support)
    if not _is_number(min_confidence) or not 0 <= min_confidence <= 1:
        raise ParameterError.of("min_confidence", _OWNER, "a float in [0, 1]", min_confidence)
    lowest = 1 if allow_single else 2
    if max_len is not None and (not isinstance(max_len, numbers.Integral)
                                or isinstance(max_len, bool) or max_len < lowest):
        raise ParameterError.of("max_len", _OWNER,
                                f"None or an integer >= {lowest} (items in a rule)", max_len)


def _check_columns(columns: list[str], basket: str, item: str) -> None:
    missing = [c for c in (basket, item) if c not in columns]
    if missing:
        raise SchemaError(
            f"The baskets have no column {', '.join(map(repr, missing))} (columns: "
            f"{', '.join(map(str, columns))}).",
            hint="Name the basket and item columns with basket=... and item=...")
