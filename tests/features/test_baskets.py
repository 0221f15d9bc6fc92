"""Baskets: every purchase of a customer or a guest, at the product or a catalogue level."""

from __future__ import annotations

import pandas as pd

from valuecrm.features.baskets import basket_items


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
