"""association_rules reproduces the published rule counts and top rules (REFERENCE.md).

Groceries: Hahsler, Grün & Hornik (2005), arules, Journal of Statistical Software 14(15), the
counts of arules' apriori (equal to mlxtend's once its rules with several consequents are
dropped). Complete Journey: the one-to-one category rules of REFERENCE.md, refitted there with
arules on the same baskets.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from valuecrm import association_rules
from valuecrm.mining import frequent_itemsets

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(scope="module")
def groceries() -> pd.DataFrame:
    frame = pd.read_csv(DATA / "groceries" / "groceries_long.csv.gz")
    return frame.rename(columns={"transaction_id": "basket_id"})[["basket_id", "item"]]


@pytest.fixture(scope="module")
def cj_categories() -> pd.DataFrame:
    return pd.read_parquet(DATA / "completejourney" / "basket_categories.parquet")


def _rule(rules: pd.DataFrame, antecedent: tuple[str, ...], consequent: str) -> pd.Series:
    hit = rules[(rules["antecedent"] == antecedent) & (rules["consequent"] == consequent)]
    assert len(hit) == 1, (antecedent, consequent)
    return hit.iloc[0]


def test_groceries_410_rules_at_confidence_0_8(groceries):
    rules = association_rules(groceries, min_support=0.001, min_confidence=0.8)
    assert len(rules) == 410
    sizes = rules["antecedent"].map(len).value_counts().to_dict()  # left-hand sides
    assert sizes == {2: 29, 3: 229, 4: 140, 5: 12}
    top = rules.iloc[0]
    assert (top["antecedent"], top["consequent"]) == (("liquor", "red/blush wine"),
                                                      "bottled beer")
    assert top["support"] == pytest.approx(0.001932, abs=5e-7)
    assert top["confidence"] == pytest.approx(0.904762, abs=5e-7)
    assert top["lift"] == pytest.approx(11.235269, abs=5e-7)
    assert top["count"] == 19
    assert rules["lift"].is_monotonic_decreasing


def test_groceries_5668_rules_at_confidence_0_5_from_13492_itemsets(groceries):
    itemsets = frequent_itemsets(groceries, min_support=0.001).to_frame()
    assert len(itemsets) == 13492 and itemsets["count"].min() == 10
    whole_milk = itemsets[itemsets["itemset"] == ("whole milk",)].iloc[0]
    assert whole_milk["support"] == pytest.approx(0.255516, abs=5e-7)
    rules = association_rules(groceries, min_support=0.001, min_confidence=0.5)
    assert len(rules) == 5668
    assert rules["confidence"].min() >= 0.5
    assert rules["count"].min() >= 10  # support 0.001 of 9,835 baskets: 9.835, so 10


def test_complete_journey_2098_one_to_one_category_rules(cj_categories):
    rules = association_rules(cj_categories, min_support=0.01, max_len=2, basket="basket",
                              item="category")
    assert len(rules) == 2098
    assert rules["antecedent"].map(len).eq(1).all()
    pasta = _rule(rules, ("DRY NOODLES/PASTA",), "PASTA SAUCE")
    sauce = _rule(rules, ("PASTA SAUCE",), "DRY NOODLES/PASTA")
    assert rules["lift"].max() == pytest.approx(10.872320, abs=5e-7)
    assert pasta["lift"] == pytest.approx(10.872320, abs=5e-7)
    assert pasta["support"] == pytest.approx(0.022665, abs=5e-7)
    assert pasta["confidence"] == pytest.approx(0.450863, abs=5e-7)
    assert sauce["confidence"] == pytest.approx(0.546553, abs=5e-7)
    cheese = _rule(rules, ("CHEESES",), "DELI MEATS")
    assert cheese["lift"] == pytest.approx(10.277130, abs=5e-7)
    assert cheese["support"] == pytest.approx(0.026083, abs=5e-7)
    assert cheese["confidence"] == pytest.approx(0.631513, abs=5e-7)
