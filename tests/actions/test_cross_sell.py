"""next_best_products: rules whose antecedent a customer bought and whose consequent they did
not; co-occurrence for customers with one purchase; a planted affinity is what gets suggested."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from valuecrm import association_rules, export_list
from valuecrm.actions.cross_sell import NEXT_BEST_COLUMNS, next_best_products
from valuecrm.errors import ParameterError


def _lines(rows: list[tuple[str, int, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["customer_id", "basket_id", "item"])


def _planted(seed: int = 0, customers: int = 400) -> tuple[pd.DataFrame, dict[str, str]]:
    """Baskets of random items where buying ``pasta`` makes ``sauce`` likely and ``tea`` makes
    ``biscuits`` likely: the affinities a cross-sell should find."""
    rng = np.random.default_rng(seed)
    affinity = {"pasta": "sauce", "tea": "biscuits"}
    others = ["milk", "bread", "eggs", "apples", "rice", "soap"]
    rows, basket = [], 0
    for c in range(customers):
        for _ in range(rng.integers(1, 5)):
            basket += 1
            items = set(rng.choice(others, rng.integers(1, 4), replace=False))
            for cause, effect in affinity.items():
                if rng.random() < 0.3:
                    items.add(cause)
                    if rng.random() < 0.8:
                        items.add(effect)
            rows += [(f"c{c:03d}", basket, i) for i in sorted(items)]
    return _lines(rows), affinity


def test_a_rule_fires_when_its_whole_antecedent_was_bought():
    lines = _lines([("ann", 1, "a"), ("ann", 2, "b"), ("bob", 3, "a"), ("bob", 4, "c"),
                    ("cat", 5, "a"), ("cat", 6, "b"), ("cat", 7, "c")])
    rules = pd.DataFrame({"antecedent": [("a", "b"), ("a",)], "consequent": ["c", "d"],
                          "confidence": [0.9, 0.4], "lift": [3.0, 1.5]})
    got = next_best_products(lines, rules)
    assert list(got.columns) == NEXT_BEST_COLUMNS
    ann = got[got["customer_id"] == "ann"]
    assert ann["product"].tolist() == ["c", "d"] and ann["rank"].tolist() == [1, 2]
    assert ann.iloc[0]["because"] == ("a", "b") and ann.iloc[0]["source"] == "rule"
    assert got[got["customer_id"] == "bob"]["product"].tolist() == ["d"]  # lacks b
    assert got[got["customer_id"] == "cat"]["product"].tolist() == ["d"]  # has c already


def test_margins_reorder_the_suggestions():
    lines = _lines([("ann", 1, "a"), ("ann", 2, "b")])
    rules = pd.DataFrame({"antecedent": [("a",), ("b",)], "consequent": ["x", "y"],
                          "confidence": [0.6, 0.3], "lift": [2.0, 2.0]})
    assert next_best_products(lines, rules)["product"].tolist() == ["x", "y"]
    by_margin = next_best_products(lines, rules, margins={"x": 1.0, "y": 5.0}, top=1)
    assert by_margin["product"].tolist() == ["y"]
    assert by_margin.iloc[0]["score"] == pytest.approx(0.3 * 5.0)


def test_a_product_sold_at_a_loss_is_not_offered():
    lines = _lines([("ann", 1, "a"), ("ann", 2, "b")])
    rules = pd.DataFrame({"antecedent": [("a",), ("b",), ("a",)], "consequent": ["x", "y", "z"],
                          "confidence": [0.6, 0.3, 0.2], "lift": [2.0, 2.0, 2.0]})
    got = next_best_products(lines, rules, margins={"x": -1.0, "y": 0.0, "z": 2.0})
    assert got["product"].tolist() == ["z", "y"]  # x loses money on every sale


def test_single_purchase_customers_get_co_occurrence():
    lines = _lines([("ann", 1, "a"), ("ann", 1, "b"), ("bob", 2, "a"), ("bob", 2, "c"),
                    ("bob", 3, "a"), ("bob", 3, "b"), ("cat", 4, "b")])
    rules = pd.DataFrame({"antecedent": [("b",)], "consequent": ["z"], "confidence": [0.9],
                          "lift": [1.0]})
    got = next_best_products(lines, rules)
    cat = got[got["customer_id"] == "cat"]
    # cat bought b once; b is with a in 2 of its 3 baskets
    assert cat["product"].tolist() == ["a"] and set(cat["source"]) == {"co-occurrence"}
    assert cat.iloc[0]["confidence"] == pytest.approx(2 / 3)
    assert got[got["customer_id"] == "bob"]["source"].tolist() == ["rule"]


def test_the_planted_affinities_are_suggested():
    lines, affinity = _planted()
    rules = association_rules(lines, min_support=0.02, min_confidence=0.3)
    got = next_best_products(lines, rules, top=1)
    firsts = got.set_index("customer_id")
    for cause, effect in affinity.items():
        owners = set(lines.loc[lines["item"] == cause, "customer_id"])
        missing = owners - set(lines.loc[lines["item"] == effect, "customer_id"])
        offered = [c for c in missing if c in firsts.index]
        assert offered
        share = np.mean([firsts.loc[c, "product"] == effect for c in offered])
        assert share >= 0.9, (cause, effect, share)


def test_top_must_be_a_positive_integer():
    with pytest.raises(ParameterError, match="'top'"):
        next_best_products(_lines([("a", 1, "x")]), pd.DataFrame(
            columns=["antecedent", "consequent", "confidence", "lift"]), top=0)


def test_the_suggestions_export_as_a_campaign_list(tmp_path):
    lines, _ = _planted(seed=1, customers=60)
    rules = association_rules(lines, min_support=0.02, min_confidence=0.3)
    suggestions = next_best_products(lines, rules, top=2)
    written = export_list(suggestions, tmp_path / "cross_sell.parquet")
    back = pd.read_parquet(written)
    assert len(back) == len(suggestions) and list(back.columns) == NEXT_BEST_COLUMNS
    assert back["because"].map(list).tolist() == suggestions["because"].map(list).tolist()


def test_guest_baskets_count_for_the_co_occurrence():
    """Guest checkouts (no customer) are baskets: here they alone tie b to c, so a customer
    who bought b once is offered c; they are nobody's purchases and get no offer."""
    lines = _lines([("ann", 1, "b")]
                   + [(None, 10 + k, item) for k in range(3) for item in ("b", "c")]
                   + [(None, 20, "b"), (None, 20, "d")])
    rules = pd.DataFrame(columns=["antecedent", "consequent", "confidence", "lift"])
    got = next_best_products(lines, rules)
    assert got["customer_id"].tolist() == ["ann", "ann"]
    assert got["product"].tolist() == ["c", "d"]
    # b is in 5 baskets (ann's and four guests'), with c in 3 of them
    assert got.iloc[0]["confidence"] == pytest.approx(3 / 5)


def test_the_co_occurrence_is_bounded_per_item_and_runs_in_the_engine():
    """One-purchase customers' items keep their ``partners`` most frequent partners, the same
    whether the lines are a DataFrame or a table of the engine."""
    import ibis

    lines = _lines([("ann", 1, "a")]
                   + [(f"g{k}", 100 + k, item) for k in range(40)
                      for item in ("a", f"p{k % 8}")])
    rules = pd.DataFrame(columns=["antecedent", "consequent", "confidence", "lift"])
    bounded = next_best_products(lines, rules, top=10, partners=3)
    ann = bounded[bounded["customer_id"] == "ann"]
    assert len(ann) == 3 and ann["product"].tolist() == ["p0", "p1", "p2"]  # ties: by item
    in_engine = next_best_products(ibis.memtable(lines), rules, top=10, partners=3)
    pd.testing.assert_frame_equal(in_engine[in_engine["customer_id"] == "ann"]
                                  .reset_index(drop=True), ann.reset_index(drop=True))
