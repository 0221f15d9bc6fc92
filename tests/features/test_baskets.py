"""Baskets: every purchase of a customer or a guest, at the product or a catalogue level."""

from __future__ import annotations

import pandas as pd
import pytest

from valuecrm.features.baskets import basket_items, item_margins


def test_every_purchase_is_a_basket_guest_checkouts_included(db):
    lines = pd.DataFrame([
        ["1", "P1", 1, "2024-01-02", 2.0, "c1"], ["1", "P2", 1, "2024-01-02", 3.0, "c1"],
        ["2", "P1", 1, "2024-01-03", 2.0, ""], ["2", "P3", 2, "2024-01-03", 1.0, ""],
        ["C3", "P1", -1, "2024-01-04", 2.0, "c1"],
    ], columns=["InvoiceNo", "StockCode", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID"])
    db.ingest("orders", lines, create_customers=True, cancel_prefix="C")
    db.raw.execute("UPDATE products SET category = CASE product_id WHEN 'P3' THEN NULL "
                   "ELSE 'tea' END")
    items = basket_items(db).to_pandas().sort_values(["basket_id", "item"])
    assert items[["basket_id", "item"]].values.tolist() == [
        ["1", "P1"], ["1", "P2"], ["2", "P1"], ["2", "P3"]]  # the return is no basket
    assert items["customer_id"].isna().tolist() == [False, False, True, True]
    by_category = basket_items(db, level="category").to_pandas()
    assert sorted(by_category["basket_id"]) == ["1", "2"] and set(by_category["item"]) == {"tea"}


def test_item_margins_are_per_unit_and_keep_to_the_orders_before_a_day(db):
    lines = pd.DataFrame([
        ["1", "P1", 2, "2024-01-02", 5.0, "c1"], ["2", "P1", 1, "2024-03-02", 5.0, "c1"],
        ["3", "P2", 1, "2024-01-05", 4.0, ""],
    ], columns=["InvoiceNo", "StockCode", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID"])
    db.ingest("orders", lines, create_customers=True)
    db.raw.execute("UPDATE order_lines SET cost = CASE order_id WHEN '2' THEN 4.9 "
                   "ELSE quantity * 3.1 END")
    every = item_margins(db).to_pandas().set_index("item")["margin"]
    assert every.to_dict() == pytest.approx({"P1": (10 - 6.2 + 5 - 4.9) / 3, "P2": 0.9})
    before = item_margins(db, up_to="2024-02-01").to_pandas().set_index("item")["margin"]
    assert before.to_dict() == pytest.approx({"P1": (10 - 6.2) / 2, "P2": 0.9})
