"""A generated base analysed once (signup channels, order lines and referrals filled by the
generator), and a small hand-made one whose acquisition figures can be worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tests.helpers.data import insert, orders_frame, store_snapshot

GENERATED_CUSTOMERS = 600
GENERATED_SEED = 3


def generated_analysed(path: Path) -> Path:
    """``generate(600, seed=3)`` into ``path``, analysed once (BG/NBD, as of its last day);
    the truth parquet sits in ``path.truth``."""
    from valuecrm import generate
    from valuecrm.analysis import AnalysisConfig, analyze
    from valuecrm.store import connect

    generate(GENERATED_CUSTOMERS, db=path, seed=GENERATED_SEED)
    with connect(path) as database:
        analyze(database, config=AnalysisConfig(min_selection_customers=10**9))
    return path


# customer -> (signup channel, first order lines as (product, amount), clv, margin, p_alive)
HAND = {
    "a1": ("web", [("p1", 10.0), ("p2", 30.0)], 100.0, 20.0, 0.9),
    "a2": ("web", [("p3", 5.0)], 60.0, 10.0, 0.5),
    "a3": ("web", [("p1", 8.0), ("p3", 8.0)], 20.0, 4.0, 0.4),
    "a4": ("store", [("p2", 50.0)], 300.0, 60.0, 0.8),
    "a5": ("store", [("p1", 1.0)], 100.0, 30.0, 0.6),
    "a6": (None, [("p3", 2.0)], 20.0, 2.0, 0.1),
}
CATEGORIES = {"p1": "Books", "p2": "Home", "p3": "Apparel"}


def hand_made(database) -> None:
    """Fill ``database`` with :data:`HAND`: customers signed up in 2023 (a1-a3) or 2024, their
    first order (lines as listed) and a later one, a snapshot as of 2024-12-31 with CLV, margin
    and P(alive), and referrals: a1 brought a4 (reward 10) and asked someone who never joined;
    a2 brought a5 (reward 5) and a9, who joined but never bought; a referral by a3 after the
    as-of date does not count."""
    signup = ["2023-03-01"] * 3 + ["2024-02-01"] * 3
    insert(database, "customers", pd.DataFrame({
        "customer_id": list(HAND), "signup_channel": [v[0] for v in HAND.values()],
        "signup_at": pd.to_datetime(signup)}))
    insert(database, "customers", pd.DataFrame({"customer_id": ["a9"]}))
    insert(database, "products", pd.DataFrame({"product_id": list(CATEGORIES),
                                               "category": list(CATEGORIES.values())}))
    rows = [(c, "2024-03-01", sum(a for _, a in v[1])) for c, v in HAND.items()]
    rows += [(c, "2024-06-01", 999.0) for c in HAND]  # later orders: not the first
    insert(database, "orders", orders_frame(rows))
    lines = [(f"o{i}", n + 1, p, a) for i, v in enumerate(HAND.values())
             for n, (p, a) in enumerate(v[1])]
    lines += [(f"o{i + len(HAND)}", 1, "p2", 999.0) for i in range(len(HAND))]
    insert(database, "order_lines", pd.DataFrame(
        lines, columns=["order_id", "line_no", "product_id", "amount"]))
    store_snapshot(database, "2024-12-31", pd.DataFrame({
        "customer_id": list(HAND), "clv": [v[2] for v in HAND.values()],
        "margin": [v[3] for v in HAND.values()], "p_alive": [v[4] for v in HAND.values()],
        "first_purchase": pd.to_datetime(["2024-03-01"] * len(HAND))}))
    insert(database, "referrals", pd.DataFrame({
        "referral_id": ["r1", "r2", "r3", "r4", "r5"],
        "referrer_id": ["a1", "a1", "a2", "a2", "a3"],
        "referred_customer_id": ["a4", None, "a5", "a9", "a6"],
        "referred_at": pd.to_datetime(["2024-01-20", "2024-05-01", "2024-01-25", "2024-03-03",
                                       "2025-02-01"]),
        "converted": [True, False, True, True, True],
        "reward": [10.0, 0.0, 5.0, 0.0, 7.0]}))
