"""association_rules: the rules of a brute-force count, inclusive thresholds, max_len, the same
result in memory and in each engine, and clear errors."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from valuecrm import association_rules
from valuecrm.errors import ParameterError, SchemaError
from valuecrm.mining import RULE_COLUMNS, rules_from_itemsets
from valuecrm.mining.engine import engine_frequent_itemsets
from valuecrm.mining.itemsets import candidate_itemsets, min_count_of, row_keys


def _random_baskets(seed: int, n_baskets: int = 300, n_items: int = 12) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    popularity = rng.uniform(0.05, 0.6, n_items)
    rows = [(b, f"item{i:02d}") for b in range(n_baskets) for i in range(n_items)
            if rng.random() < popularity[i]]
    return pd.DataFrame(rows, columns=["basket_id", "item"])


def _brute_force(baskets: pd.DataFrame, min_support: float, min_confidence: float,
                 max_len: int | None) -> pd.DataFrame:
    """Every rule by enumerating every itemset of every basket (the definition, slowly)."""
    sets = [frozenset(g) for _, g in baskets.groupby("basket_id")["item"]]
    n = len(sets)
    counts: dict[frozenset, int] = {}
    for basket in sets:
        for size in range(1, min(len(basket), max_len or len(basket)) + 1):
            for combo in itertools.combinations(sorted(basket), size):
                counts[frozenset(combo)] = counts.get(frozenset(combo), 0) + 1
    rows = []
    for itemset, count in counts.items():
        if len(itemset) < 2 or count / n < min_support:
            continue
        for consequent in itemset:
            antecedent = itemset - {consequent}
            confidence = count / counts[antecedent]
            if confidence >= min_confidence:
                lift = confidence / (counts[frozenset([consequent])] / n)
                rows.append((tuple(sorted(antecedent)), consequent, count / n, confidence,
                             lift, count))
    return pd.DataFrame(rows, columns=RULE_COLUMNS[:6])


def _by_rule(rules: pd.DataFrame) -> pd.DataFrame:
    return rules.set_index(["antecedent", "consequent"]).sort_index()


@pytest.mark.parametrize(("seed", "min_support", "min_confidence", "max_len"),
                         [(0, 0.05, 0.0, None), (1, 0.02, 0.3, None), (2, 0.1, 0.5, 3),
                          (3, 0.03, 0.0, 2)])
def test_rules_equal_a_brute_force_count(seed, min_support, min_confidence, max_len):
    baskets = _random_baskets(seed)
    got = _by_rule(association_rules(baskets, min_support=min_support,
                                     min_confidence=min_confidence, max_len=max_len))
    want = _by_rule(_brute_force(baskets, min_support, min_confidence, max_len))
    assert list(got.index) == list(want.index)
    for column in ("support", "confidence", "lift", "count"):
        assert got[column].to_numpy() == pytest.approx(want[column].to_numpy(), rel=1e-12)
    if max_len is not None:
        assert (got.index.get_level_values("antecedent").map(len) < max_len).all()


def test_measures_follow_their_definitions():
    # 10 baskets: a in 5, b in 4, {a, b} in 4, c in 2, z in the 4 others
    baskets = pd.DataFrame(
        [(i, "a") for i in range(5)] + [(i, "b") for i in range(4)] + [(0, "c"), (9, "c")]
        + [(i, "z") for i in range(5, 9)],
        columns=["basket_id", "item"])
    rules = association_rules(baskets, min_support=0.1, max_len=2)
    by_rule = {(r.antecedent, r.consequent): r for r in rules.itertuples(index=False)}
    a_to_b = by_rule[("a",), "b"]._asdict()
    assert a_to_b["support"] == pytest.approx(0.4)
    assert a_to_b["confidence"] == pytest.approx(0.8)
    assert a_to_b["lift"] == pytest.approx(0.8 / 0.4)
    assert a_to_b["leverage"] == pytest.approx(0.4 - 0.5 * 0.4)
    assert a_to_b["conviction"] == pytest.approx((1 - 0.4) / (1 - 0.8))
    b_to_a = by_rule[("b",), "a"]
    assert b_to_a.confidence == 1.0 and math.isinf(b_to_a.conviction)
    assert list(association_rules(baskets, min_support=0.1).columns) == RULE_COLUMNS


def test_thresholds_are_inclusive():
    # 100 baskets, {a, b} in exactly 7 (support 0.07, whose product with 100 is not 7 in
    # floating point), a in 10: confidence of a => b exactly 0.7
    rows = [(i, "a") for i in range(10)] + [(i, "b") for i in range(7)]
    rows += [(i, "z") for i in range(10, 100)]
    baskets = pd.DataFrame(rows, columns=["basket_id", "item"])
    assert min_count_of(0.07, 100) == 7
    rules = _by_rule(association_rules(baskets, min_support=0.07, min_confidence=0.7))
    assert (("a",), "b") in rules.index
    assert association_rules(baskets, min_support=0.0701).empty
    assert (("a",), "b") not in _by_rule(association_rules(baskets, min_support=0.07,
                                                           min_confidence=0.7001)).index


def test_repeats_and_missing_values_are_ignored():
    baskets = pd.DataFrame({"basket_id": [1, 1, 1, 2, 2, None, 3],
                            "item": ["a", "a", "b", "a", "b", "a", None]})
    rules = association_rules(baskets, min_support=0.5)
    # baskets 1 and 2 hold {a, b}; basket 3 holds no item, so there are 2 baskets
    assert set(rules["count"]) == {2} and set(rules["support"]) == {1.0}


def test_candidates_are_pruned_by_their_subsets():
    pairs = np.array([[0, 1], [0, 2], [0, 3], [1, 2]])
    # {0,1,2}: all pairs frequent; {0,1,3} lacks {1,3}; {0,2,3} lacks {2,3}
    assert candidate_itemsets(pairs, 4).tolist() == [[0, 1, 2]]


def test_no_rules_is_an_empty_frame_with_the_columns():
    baskets = pd.DataFrame({"basket_id": [1, 2], "item": ["a", "b"]})
    rules = association_rules(baskets, min_support=0.5)
    assert rules.empty and list(rules.columns) == RULE_COLUMNS


@pytest.mark.parametrize(("arguments", "parameter"), [
    ({"min_support": 0}, "min_support"), ({"min_support": 1.5}, "min_support"),
    ({"min_support": float("nan")}, "min_support"),
    ({"min_support": 0.1, "min_confidence": -0.1}, "min_confidence"),
    ({"min_support": 0.1, "max_len": 1}, "max_len"),
    ({"min_support": 0.1, "max_len": 2.5}, "max_len"),
])
def test_bad_thresholds_are_refused(arguments, parameter):
    baskets = pd.DataFrame({"basket_id": [1], "item": ["a"]})
    with pytest.raises(ParameterError, match=parameter) as caught:
        association_rules(baskets, **arguments)
    assert caught.value.parameter == parameter and caught.value.status == 400


def test_missing_columns_are_named():
    baskets = pd.DataFrame({"order": [1], "product": ["a"]})
    with pytest.raises(SchemaError, match="'basket_id', 'item'"):
        association_rules(baskets, min_support=0.1)
    rules = association_rules(baskets, min_support=0.1, basket="order", item="product")
    assert rules.empty


@pytest.mark.spark
@pytest.mark.slow  # on Spark: about 8 small jobs (a minute on a busy 2-core machine)
def test_the_engine_counts_the_same_rules(backend):
    """Frequent items and pairs counted inside DuckDB and PySpark, then larger itemsets either
    in memory (few lines) or by the engine's level-wise joins, equal the in-memory count."""
    baskets = _random_baskets(4, n_baskets=100, n_items=8)
    if backend.name == "pyspark":
        backend._session.createDataFrame(  # type: ignore[attr-defined]
            list(baskets.itertuples(index=False, name=None)), "basket_id long, item string"
        ).createOrReplaceTempView("rule_baskets")
        table = backend.table("rule_baskets")
    else:
        table = backend.create_table("rule_baskets", baskets)
    want = association_rules(baskets, min_support=0.1, min_confidence=0.2, max_len=3)
    assert want["antecedent"].map(len).max() == 2  # itemsets beyond pairs are counted
    got = association_rules(table, min_support=0.1, min_confidence=0.2, max_len=3)
    pd.testing.assert_frame_equal(got, want)
    in_engine = engine_frequent_itemsets(table, basket="basket_id", item="item",
                                         min_support=0.1, max_len=3, local_rows=0)
    pd.testing.assert_frame_equal(rules_from_itemsets(in_engine, min_confidence=0.2), want)


def test_itemset_keys_stay_exact_beyond_63_bits():
    rows = np.array([[0, 5, 2**20 - 1, 7], [0, 5, 2**20 - 1, 6], [1, 0, 0, 0]])
    keys = row_keys(rows, 2**20)  # 4 x 20 bits: Python integers
    assert keys.dtype == object and len(set(keys)) == 3
    assert list(np.argsort(keys)) == [1, 0, 2]  # ordered as the rows are
    small = row_keys(rows[:, :3], 2**20)  # 60 bits: int64
    assert small.dtype == np.int64 and small[0] == small[1] < small[2]
