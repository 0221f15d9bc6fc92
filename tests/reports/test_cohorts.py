"""cohort_retention against a pandas computation of the same definition."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.helpers.data import insert
from valuecrm.errors import DataError, ParameterError
from valuecrm.reports.cohorts import cohort_retention

AS_OF = "2024-09-15"


@pytest.fixture
def orders(db) -> pd.DataFrame:
    rng = np.random.default_rng(11)
    n = 3000
    frame = pd.DataFrame({
        "order_id": [f"o{i}" for i in range(n)],
        "customer_id": [f"c{i}" for i in rng.integers(0, 300, n)],
        "ordered_at": pd.Timestamp("2023-01-01")
        + pd.to_timedelta(rng.uniform(0, 700, n), unit="D"),
        "amount": rng.gamma(2, 20, n).round(2),
        "status": rng.choice(["completed", "returned", "cancelled", None], n,
                             p=[0.8, 0.05, 0.05, 0.1]),
    })
    insert(db, "customers", pd.DataFrame({"customer_id": sorted(set(frame["customer_id"]))}))
    insert(db, "orders", frame)
    return frame


def expected_table(orders: pd.DataFrame, as_of: str, period: str) -> pd.DataFrame:
    bought = orders[orders["status"].isna() | (orders["status"] == "completed")]
    bought = bought[bought["ordered_at"] < pd.Timestamp(as_of) + pd.Timedelta(days=1)]
    index = bought["ordered_at"].dt.to_period(period)
    frame = pd.DataFrame({"customer_id": bought["customer_id"], "index": index})
    frame["cohort"] = frame.groupby("customer_id")["index"].transform("min")
    frame["period"] = [(i - c).n for i, c in zip(frame["index"], frame["cohort"], strict=True)]
    active = frame.groupby(["cohort", "period"])["customer_id"].nunique()
    sizes = active.xs(0, level="period")
    end = pd.Timestamp(as_of).to_period(period)
    rows = [(str(c), k, int(sizes[c]), int(active.get((c, k), 0)))
            for c in sizes.index for k in range((end - c).n + 1)]
    table = pd.DataFrame(rows, columns=["cohort", "period", "cohort_size", "active"])
    table["share"] = table["active"] / table["cohort_size"]
    return table


@pytest.mark.parametrize("period", ["M", "Q"])
def test_matches_pandas(db, orders, period):
    result = cohort_retention(db, as_of=AS_OF, period=period)
    expected = expected_table(orders, AS_OF, period)
    got = result.table.copy()
    if period == "Q":  # pandas writes 2023Q1 as well
        assert got["cohort"].iloc[0] == "2023Q1"
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert (result.table.loc[result.table["period"] == 0, "share"] == 1.0).all()
    pivot = result.pivot
    assert pivot.shape == (expected["cohort"].nunique(), expected["period"].max() + 1)
    first = expected[expected["cohort"] == expected["cohort"].iloc[0]]
    np.testing.assert_allclose(pivot.iloc[0].to_numpy(), first["share"].to_numpy())


def test_defaults_to_the_last_order(db, orders):
    result = cohort_retention(db)
    assert result.as_of == orders["ordered_at"].max().normalize()
    assert result.table["cohort_size"].groupby(result.table["cohort"]).nunique().eq(1).all()


def test_empty_and_bad_period(db):
    with pytest.raises(DataError, match="no orders"):
        cohort_retention(db)
    with pytest.raises(ParameterError):
        cohort_retention(db, period="W")
    insert(db, "customers", pd.DataFrame({"customer_id": ["a"]}))
    insert(db, "orders", pd.DataFrame({"order_id": ["o1"], "customer_id": ["a"],
                                       "ordered_at": [pd.Timestamp("2024-05-01")],
                                       "amount": [5.0]}))
    with pytest.raises(DataError, match="No customer bought"):
        cohort_retention(db, as_of="2024-01-01")
