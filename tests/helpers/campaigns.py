"""A small analysed base for the campaign tests: 600 customers with names and e-mails, one
order each in 2024, and a stored snapshot as of 2024-12-31 (RFM segment, tier, status)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tests.helpers.data import insert, store_snapshot
from valuecrm.store import connect

AS_OF = "2024-12-31"
SEGMENTS = ("Champions", "Loyal", "At Risk")
TIERS = ("VIP", "key", "ordinary")


def campaign_database(path: Path, n: int = 600, seed: int = 1) -> Path:
    """Write the base to ``path`` and return it."""
    rng = np.random.default_rng(seed)
    ids = [f"C{i:04d}" for i in range(n)]
    customers = pd.DataFrame({"customer_id": ids, "name": [f"Customer {i}" for i in range(n)],
                              "email": [f"c{i}@example.com" for i in range(n)],
                              "phone": [f"+86 138 0000 {i:04d}" for i in range(n)]})
    days = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 360, n), unit="D")
    orders = pd.DataFrame({"order_id": [f"o{i}" for i in range(n)], "customer_id": ids,
                           "ordered_at": days, "amount": np.round(rng.gamma(2, 30, n), 2),
                           "status": "completed"})
    snapshot = pd.DataFrame({"customer_id": ids,
                             "rfm_segment": [SEGMENTS[i % 3] for i in range(n)],
                             "tier": [TIERS[(i // 3) % 3] for i in range(n)],
                             "status": "active", "clv": rng.gamma(2, 100, n)})
    with connect(path) as database:
        insert(database, "customers", customers)
        insert(database, "orders", orders)
        store_snapshot(database, AS_OF, snapshot)
    return path
