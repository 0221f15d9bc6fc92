"""The leaving-reason rules on hand-made complaints, order lines and campaign responses."""

from __future__ import annotations

import pandas as pd

from tests.helpers.data import insert
from valuecrm.actions.reasons import ReasonRules, suggested_action, with_reasons

AS_OF = "2024-06-30"


def test_rules_first_match_wins(db):
    t = pd.Timestamp
    people = ["fail", "poor", "fine", "old", "discount", "offer", "none"]
    insert(db, "customers", pd.DataFrame({"customer_id": people}))
    insert(db, "orders", pd.DataFrame({
        "order_id": [f"o{i}" for i in range(len(people))], "customer_id": people,
        "ordered_at": t("2024-03-01"), "amount": 50.0}))
    insert(db, "products", pd.DataFrame({"product_id": ["p"], "category": ["books"]}))
    insert(db, "order_lines", pd.DataFrame({
        "order_id": [f"o{i}" for i in range(len(people))], "line_no": 1, "product_id": "p",
        "amount": 50.0, "discount": [0, 0, 0, 0, 50.0, 0, 5.0]}))
    insert(db, "complaints", pd.DataFrame({
        "complaint_id": ["k1", "k2", "k3", "k4", "k5"],
        "customer_id": ["fail", "poor", "fine", "old", "fail"],
        "opened_at": [t("2024-03-05"), t("2024-03-05"), t("2024-03-05"), t("2023-01-05"),
                      t("2024-02-01")],
        "resolved_at": [None, t("2024-03-05 10:00"), t("2024-03-05 05:00"),
                        t("2023-01-06"), t("2024-02-01 01:00")],
        "category": ["billing", "delivery", "quality", "staff", "price"],
        "satisfaction_after": [None, 2.0, 6.0, 6.0, 7.0],
        "outcome_justice": [None, 3.0, 6.0, 6.0, 7.0],
        "procedural_justice": [None, 5.0, 6.0, 6.0, 7.0],
        "interactional_justice": [None, 5.0, 6.0, 6.0, 7.0]}))
    insert(db, "campaigns", pd.DataFrame({"campaign_id": ["k"], "offer": ["10% off your order"],
                                          "kind": ["retention"]}))
    insert(db, "campaign_members", pd.DataFrame({
        "campaign_id": ["k", "k"], "customer_id": ["offer", "none"], "group": "treatment",
        "responded_at": [t("2024-04-01"), None]}))
    db.raw.execute("CREATE TABLE _who AS SELECT customer_id, TIMESTAMP '2024-03-01' AS "
                   "last_purchase FROM customers")
    got = (with_reasons(db.table("_who"), db, AS_OF, ReasonRules()).to_pandas()
           .set_index("customer_id"))
    assert got.loc["fail", "reason"] == "service failure"
    assert got.loc["poor", "reason"] == "complaint: delivery" and got.loc["poor", "poor_recovery"]
    assert got.loc["fine", "reason"] == "complaint: quality"
    assert not got.loc["fine", "poor_recovery"]
    # complaint outside the look-back: the orders speak (one order each here)
    assert got.loc["old", "reason"] == "left after one purchase"
    assert got.loc["discount", "reason"] == "price sensitivity"
    assert got.loc["offer", "reason"] == "price sensitivity"
    # 5 of 55 discounted, no response
    assert got.loc["none", "reason"] == "left after one purchase"
    slow = with_reasons(db.table("_who"), db, AS_OF,
                        ReasonRules(long_resolution_hours=8.0)).to_pandas()
    assert slow.set_index("customer_id").loc["poor", "reason"] == "service failure"


def test_suggested_actions_name_the_reason():
    assert "delivery" in suggested_action("complaint: delivery", True, "lost", True)
    assert "apology" in suggested_action("complaint: delivery", True, "lost", True)
    assert "price" in suggested_action("price sensitivity", False, "lapsed", False)
    assert "service case" in suggested_action("service failure", False, "lost", True)
    assert suggested_action("unknown", False, "at risk", False) != suggested_action(
        "unknown", False, "lost", True)
