"""A small hand-made base with customer attributes and a snapshot, for the profile tests."""

from __future__ import annotations

import pandas as pd

from tests.helpers.data import insert, orders_frame, store_snapshot

# customer -> (age band, income band, orders as (day, amount), RFM class code, clv, p_alive)
BASE = {
    "c1": ("19-24", "Under 15K", [("2024-01-02", 10.0), ("2024-02-02", 30.0)], "HHH", 100.0, 0.9),
    "c2": ("19-24", "15-24K", [("2024-01-05", 5.0)], "LLL", 10.0, 0.2),
    "c3": ("19-24", None, [("2024-03-01", 50.0), ("2024-03-09", 20.0), ("2024-04-01", 5.0)],
           "HHH", 150.0, 0.95),
    "c4": ("65+", "250K+", [("2024-01-09", 7.0)], "LLL", 5.0, 0.1),
    "c5": ("65+", "15-24K", [("2024-02-01", 12.0), ("2024-02-03", 8.0)], "HLH", 40.0, 0.6),
    "c6": ("25-34", "250K+", [("2024-05-01", 100.0), ("2024-05-02", 1.0)], "HHH", 300.0, 0.99),
    "c7": ("25-34", "Under 15K", [("2024-05-01", 3.0)], "LLL", 2.0, 0.3),
    "c8": (None, "15-24K", [("2024-01-01", 9.0)], "LLL", 1.0, 0.4),
}


def profiled_database(db):
    """Fill ``db`` with :data:`BASE`: customers (``age`` kept as an attribute, ``income`` read
    as ``income_band``), their orders, a return and a cancelled order of c1 and c2, and a
    snapshot as of 2024-06-30 holding RFM classes, segments, CLV and P(alive)."""
    customers = pd.DataFrame({"customer_id": list(BASE),
                              "age": [v[0] for v in BASE.values()],
                              "income": [v[1] for v in BASE.values()]})
    db.ingest("customers", customers)  # income -> income_band, age kept as an attribute
    rows = [(c, day, amount) for c, v in BASE.items() for day, amount in v[2]]
    insert(db, "orders", orders_frame(rows))
    # a returned order lowers c1's spend but is no purchase; a cancelled one counts nowhere
    insert(db, "orders", pd.DataFrame({
        "order_id": ["r1", "x1"], "customer_id": ["c1", "c2"], "amount": [-4.0, 99.0],
        "ordered_at": pd.to_datetime(["2024-03-01", "2024-03-02"]),
        "status": ["returned", "cancelled"]}))
    store_snapshot(db, "2024-06-30", pd.DataFrame({
        "customer_id": list(BASE), "rfm_class_code": [v[3] for v in BASE.values()],
        "clv": [v[4] for v in BASE.values()], "p_alive": [v[5] for v in BASE.values()],
        "rfm_segment": ["Champions", "Lost", "Champions", "Lost", "Loyal", "Champions", "Lost",
                        "Lost"]}))
    return db
