"""kpis on hand-made snapshots: every figure against its definition."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.helpers.data import store_snapshot
from valuecrm.errors import NotFoundError
from valuecrm.reports.kpis import METHODS, kpis


def snapshot_rows(statuses: list[str], clv: list[float], **extra: list) -> pd.DataFrame:
    n = len(statuses)
    frame = pd.DataFrame({"customer_id": [f"c{i}" for i in range(n)], "status": statuses,
                          "clv": clv, "n_purchases": [1 + i % 3 for i in range(n)],
                          "categories_bought": [i % 4 for i in range(n)],
                          "first_purchase": pd.Timestamp("2023-01-01"),
                          "last_purchase": pd.Timestamp("2023-03-02")})
    for name, values in extra.items():
        frame[name] = values
    return frame


@pytest.fixture
def two(db):
    first = snapshot_rows(["active", "active", "at risk", "lapsed", "lost"],
                          [10.0, 20.0, 5.0, 1.0, 0.5])
    second = snapshot_rows(["active", "lost", "lapsed", "active", "lost", "new", "new"],
                           [12.0, 0.1, 2.0, 8.0, 0.2, 4.0, 4.0],
                           customer_id=["c0", "c1", "c2", "c3", "c4", "c5", "c6"])
    store_snapshot(db, "2023-12-31", first)
    store_snapshot(db, "2024-06-30", second)
    return first, second


def test_figures_follow_their_definitions(db, two):
    first, second = two
    result = kpis(db)
    latest = {k: f.value for k, f in result.latest.items()}
    assert latest["customers"] == 7
    assert latest["active_customers"] == 4  # c0, c3, c5, c6
    assert latest["new_active"] == 3  # c3 reactivated, c5 and c6 new
    assert latest["lost_active"] == 2  # c1, c2
    assert latest["net_growth"] == 4 - 3 == latest["new_active"] - latest["lost_active"]
    assert latest["retention_rate"] == pytest.approx(1 / 3)
    assert latest["churn_rate"] == pytest.approx(2 / 3)
    assert latest["repeat_purchase_rate"] == pytest.approx((second["n_purchases"] >= 2).mean())
    assert latest["categories_per_customer"] == pytest.approx(second["categories_bought"].mean())
    assert latest["customer_equity"] == pytest.approx(second["clv"].sum())
    assert latest["equity_change"] == pytest.approx(second["clv"].sum() - first["clv"].sum())
    # lapsed and lost end at the last purchase (60 days), the others at the as-of date
    ended = second["status"].isin(["lapsed", "lost"])
    days = [60 if e else (pd.Timestamp("2024-06-30") - pd.Timestamp("2023-01-01")).days
            for e in ended]
    assert latest["avg_relationship_days"] == pytest.approx(sum(days) / len(days))
    assert set(result.latest) <= set(METHODS)
    assert all(f.method == METHODS[k] for k, f in result.latest.items())
    assert result.by_snapshot["active_customers"].tolist() == [3, 4]
    assert pd.isna(result.by_snapshot["net_growth"].iloc[0])
    cohort = result.by_cohort.iloc[0]
    assert (cohort["cohort"], cohort["customers"], cohort["active"]) == (2023, 7, 4)
    assert cohort["churn"] == pytest.approx(3 / 7)
    payload = result.to_dict()
    assert payload["figures"]["net_growth"] == 1
    assert payload["methods"]["net_growth"] == METHODS["net_growth"]
    assert list(payload)[:3] == ["snapshot_id", "as_of", "figures"]
    assert payload["figures"]["active_customers"] == 4  # a plain integer, the first one


def test_no_categories_and_a_single_snapshot(db):
    store_snapshot(db, "2024-06-30", snapshot_rows(["active", "lost"], [1.0, 2.0],
                                                   categories_bought=[0, 0]))
    result = kpis(db)
    assert result.latest["categories_per_customer"].value is None
    assert result.latest["net_growth"].value is None
    assert result.latest["customer_equity"].value == pytest.approx(3.0)


def test_no_snapshot(db):
    with pytest.raises(NotFoundError) as error:
        kpis(db)
    assert "valuecrm analyze" in error.value.hint
