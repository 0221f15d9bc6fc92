"""up_sell_products: in a category the customer buys, a dearer product (at most max_step times
the dearest they bought there) with a higher unit margin; the largest margin gain per category,
categories ranked by that gain."""

from __future__ import annotations

import ibis
import pandas as pd
import pytest

from valuecrm.actions.up_sell import UP_SELL_COLUMNS, up_sell_products
from valuecrm.errors import ParameterError

PRODUCTS = pd.DataFrame({
    "product_id": ["a1", "a2", "a3", "a4", "a5", "b1", "b2", "c1"],
    "category": ["A", "A", "A", "A", "A", "B", "B", "C"],
    "unit_price": [10.0, 15.0, 18.0, 19.0, 40.0, 5.0, 8.0, 9.0],
    "unit_cost": [6.0, 8.0, 14.0, 13.0, 20.0, 3.0, 4.0, None],
})


def test_the_rule():
    bought = pd.DataFrame({"customer_id": ["x", "x", "x", "y", None],
                           "product_id": ["a1", "b1", "c1", "a2", "a1"]})
    got = up_sell_products(bought, PRODUCTS)
    assert list(got.columns) == UP_SELL_COLUMNS
    x = got[got["customer_id"] == "x"]
    # A: reference a1 (10, margin 4): a2 gains 3, a3 none (margin 4), a4 gains 2, a5 too dear
    # B: reference b1 (5, margin 2): b2 gains 2; C: no margin known, no offer
    assert x["product"].tolist() == ["a2", "b2"] and x["rank"].tolist() == [1, 2]
    assert x["instead_of"].tolist() == ["a1", "b1"]
    assert x["margin_gain"].tolist() == pytest.approx([3.0, 2.0])
    # y's reference a2 (15, margin 7): nothing dearer within 30 has a higher margin
    assert "y" not in set(got["customer_id"])


def test_a_wider_step_and_the_engine():
    bought = ibis.memtable(pd.DataFrame({"customer_id": ["y"], "product_id": ["a2"]}))
    got = up_sell_products(bought, ibis.memtable(PRODUCTS), max_step=3.0)
    assert got["product"].tolist() == ["a5"] and got["margin_gain"].tolist() == [13.0]


def test_bad_settings():
    bought = pd.DataFrame({"customer_id": ["x"], "product_id": ["a1"]})
    with pytest.raises(ParameterError, match="'max_step'"):
        up_sell_products(bought, PRODUCTS, max_step=1.0)
    with pytest.raises(ParameterError, match="'top'"):
        up_sell_products(bought, PRODUCTS, top=0)
