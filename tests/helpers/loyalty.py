"""A small loyalty base for the loyalty tests: three members and one non-member, their orders
(one with a line in the Electronics category, one returned), a hand-written ledger, and a
snapshot with CLV and P(alive); and the same base with an empty ledger."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tests.helpers.data import insert, store_snapshot
from valuecrm.store import connect

AS_OF = "2025-12-31"
LEDGER = [  # entry_id, customer_id, occurred_at, points, kind, order_id, tier
    ("L1", "A", "2024-03-01", 600, "earn", "o1", "bronze"),
    ("L2", "A", "2025-02-01", 700, "earn", "o2", "silver"),
    ("L3", "A", "2025-03-01", -1000, "redeem", None, "silver"),
    ("L4", "B", "2024-05-01", 300, "earn", "o3", "bronze"),
    ("L5", "B", "2025-06-01", -300, "expire", None, "bronze"),
    ("L6", "C", "2025-04-01", 120, "earn", "o4", "bronze"),
    ("L7", "C", "2025-05-01", -20, "adjust", "o5", "bronze"),
]
ORDERS = [  # order_id, customer_id, ordered_at, amount, status
    ("o1", "A", "2024-03-01", 600.40, "completed"), ("o2", "A", "2025-02-01", 700.99, "completed"),
    ("o3", "B", "2024-05-01", 300.00, "completed"), ("o4", "C", "2025-04-01", 120.50, "completed"),
    ("o5", "C", "2025-05-01", -20.00, "returned"), ("o6", "D", "2025-06-01", 999.00, "completed"),
    ("o7", "C", "2025-07-01", 50.00, "cancelled"),
]


def loyalty_database(path: Path, *, ledger: bool = True) -> Path:
    """Write the base to ``path`` (without ledger entries when ``ledger`` is False)."""
    customers = pd.DataFrame({"customer_id": list("ABCD"),
                              "name": ["Ann Lee", "Bo Li", "Cy Wu", "Di Xu"],
                              "email": [f"{c.lower()}@example.com" for c in "ABCD"]})
    orders = pd.DataFrame(ORDERS, columns=["order_id", "customer_id", "ordered_at", "amount",
                                           "status"])
    orders["ordered_at"] = pd.to_datetime(orders["ordered_at"])
    products = pd.DataFrame({"product_id": ["P1", "P2"], "category": ["Electronics", "Books"]})
    lines = pd.DataFrame({"order_id": ["o2", "o2", "o4"], "line_no": [1, 2, 1],
                          "product_id": ["P1", "P2", "P2"], "amount": [200.0, 500.99, 120.5]})
    entries = pd.DataFrame(LEDGER, columns=["entry_id", "customer_id", "occurred_at", "points",
                                            "kind", "order_id", "tier"])
    entries["occurred_at"] = pd.to_datetime(entries["occurred_at"])
    snapshot = pd.DataFrame({"customer_id": list("ABCD"), "clv": [100.0, 50.0, 30.0, 400.0],
                             "p_alive": [0.9, 0.2, 0.6, 0.8],
                             "revenue": [1301.39, 300.0, 100.5, 999.0],
                             "loyalty_member": [True, True, True, False]})
    with connect(path) as database:
        insert(database, "customers", customers)
        insert(database, "products", products)
        insert(database, "orders", orders)
        insert(database, "order_lines", lines)
        if ledger:
            insert(database, "loyalty_ledger", entries)
        store_snapshot(database, AS_OF, snapshot)
    return path


def with_earlier_snapshot(path: Path, as_of: str = "2024-12-31") -> int:
    """Store a second snapshot (the same customers) as of ``as_of``; its id."""
    snapshot = pd.DataFrame({"customer_id": list("ABCD"), "clv": [90.0, 60.0, 20.0, 300.0],
                             "p_alive": [0.9, 0.5, 0.5, 0.8],
                             "revenue": [600.4, 300.0, 0.0, 0.0],
                             "loyalty_member": [True, True, False, False]})
    with connect(path) as database:
        return store_snapshot(database, as_of, snapshot).snapshot_id
