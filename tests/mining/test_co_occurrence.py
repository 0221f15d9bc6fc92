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


def _table(backend, name: str, frame: pd.DataFrame, schema: str):
    if backend.name == "pyspark":
        backend._session.createDataFrame(  # type: ignore[attr-defined]
            list(frame.itertuples(index=False, name=None)), schema
        ).createOrReplaceTempView(name)
        return backend.table(name)
    return backend.create_table(name, frame)


@pytest.mark.spark
@pytest.mark.slow  # on Spark: a few small jobs
def test_the_engine_ranks_the_same_partners_and_up_sell_offers(backend):
    """Pairs counted and ranked inside DuckDB and PySpark equal the in-memory answer, and so
    do the up-sell offers (joins and window ranks in the engine)."""
    from valuecrm.actions.up_sell import up_sell_products

    baskets = _baskets(2)
    table = _table(backend, "partner_baskets", baskets, "basket_id long, item string")
    want = top_partners(baskets, top=3, items=["i01", "i02"])
    pd.testing.assert_frame_equal(top_partners(table, top=3, items=["i01", "i02"]), want)
    products = pd.DataFrame({"product_id": ["a1", "a2", "a3", "b1", "b2"],
                             "category": ["A", "A", "A", "B", "B"],
                             "unit_price": [10.0, 15.0, 19.0, 5.0, 8.0],
                             "unit_cost": [6.0, 8.0, 13.0, 3.0, 4.0]})
    bought = pd.DataFrame({"customer_id": ["x", "x", "y"], "product_id": ["a1", "b1", "a2"]})
    expected = up_sell_products(bought, products)
    got = up_sell_products(
        _table(backend, "upsell_bought", bought, "customer_id string, product_id string"),
        _table(backend, "upsell_products", products, "product_id string, category string, "
               "unit_price double, unit_cost double"))
    pd.testing.assert_frame_equal(got, expected)


def test_no_basket_gives_no_rule_and_no_partner():
    """A shop without order lines (CDNOW) has no basket: empty answers, not an error."""
    import ibis

    empty = ibis.memtable(pd.DataFrame({"basket_id": pd.Series([], dtype=str),
                                        "item": pd.Series([], dtype=str)}))
    assert association_rules(empty, min_support=0.01).empty
    assert top_partners(empty).empty
