"""top_partners: each item's most frequent partners, the one-to-one rules of association_rules
without thresholds, bounded per item."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from valuecrm import association_rules
from valuecrm.errors import ParameterError
from valuecrm.mining import top_partners


def _baskets(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    items = [f"i{k:02d}" for k in range(15)]
    rows = [(b, item) for b in range(300)
            for item in rng.choice(items, rng.integers(1, 5), replace=False)]
    return pd.DataFrame(rows, columns=["basket_id", "item"])


def test_the_partners_are_the_one_to_one_rules_of_most_baskets():
    baskets = _baskets()
    partners = top_partners(baskets, top=4)
    rules = association_rules(baskets, min_support=1 / 300, max_len=2)
    rules["a"] = rules["antecedent"].str[0]
    expected = (rules.sort_values(["a", "count", "consequent"], ascending=[True, False, True])
                .groupby("a").head(4))
    assert partners.groupby(partners["antecedent"].str[0]).size().max() == 4
    got = partners.assign(a=partners["antecedent"].str[0]).set_index(["a", "consequent"])
    want = expected.set_index(["a", "consequent"])
    assert set(got.index) == set(want.index)
    for column in ("support", "confidence", "lift", "count"):
        assert np.allclose(got.loc[want.index, column], want[column])


def test_only_the_items_asked_for():
    partners = top_partners(_baskets(), top=2, items=["i03", "i07"])
    assert set(partners["antecedent"].str[0]) == {"i03", "i07"}
    assert top_partners(_baskets(), items=[]).empty


def test_top_must_be_a_positive_integer():
    with pytest.raises(ParameterError, match="'top'"):
        top_partners(_baskets(), top=0)
