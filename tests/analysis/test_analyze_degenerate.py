"""Degenerate bases get a clear message or a snapshot with a warning, never a crash."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.helpers.data import insert, small_database
from valuecrm.analysis import AnalysisConfig, analyze, get_snapshot, list_snapshots, read_snapshot
from valuecrm.errors import DatabaseError, DataError, NotFoundError, ParameterError
from valuecrm.store import connect

LABEL_COLUMNS = ("rfm_segment", "rfm_class", "status", "lifecycle_stage", "quadrant", "tier",
                 "value_class", "loyalty_stage", "relationship_level")


def test_an_empty_database_is_refused_with_what_to_do(db):
    with pytest.raises(DataError, match="no orders") as caught:
        analyze(db)
    assert "Load orders" in caught.value.hint
    assert list_snapshots(db) == []
    with pytest.raises(NotFoundError, match="no snapshot"):
        get_snapshot(db)


def test_a_single_customer_gets_a_snapshot_with_a_warning(db_path):
    with small_database(db_path, [("c1", "2024-01-05", 20.0), ("c1", "2024-03-01", 35.0),
                                  ("c1", "2024-06-10", 15.0)]) as database:
        snapshot = analyze(database)
        rows = read_snapshot(database).to_pandas()
    assert str(snapshot.as_of) == "2024-06-10" and snapshot.model is None
    assert any("too few to fit a purchase model" in w for w in snapshot.warnings)
    assert len(rows) == 1
    row = rows.iloc[0]
    assert all(isinstance(row[c], str) for c in LABEL_COLUMNS)
    assert row["n_purchases"] == 3 and row["revenue"] == 70.0 and pd.isna(row["clv"])
    assert row["tier"] == "small"  # one customer: position 1 > 1% of 1


def test_nobody_bought_twice_gets_a_snapshot_with_a_warning(db_path):
    days = pd.date_range("2023-01-01", "2024-12-31", periods=40)
    rows = [(f"c{i}", str(day.date()), 10.0 + i) for i, day in enumerate(days)]
    with small_database(db_path, rows) as database:
        snapshot = analyze(database)
        table = read_snapshot(database).to_pandas()
    assert any("Nobody bought twice" in w for w in snapshot.warnings)
    assert snapshot.counts == {"customers": 40, "repeat_buyers": 0, "purchase_orders": 40,
                               "returned_orders": 0, "purchases": 40, "prospects": 0}
    assert len(table) == 40 and table["clv"].isna().all()
    for column in LABEL_COLUMNS:
        assert table[column].notna().all(), column
    assert set(table["loyalty_stage"]) == {"first-time buyer"}
    assert set(table["lifecycle_stage"]) <= {"exploration", "formation"}
    # without P(alive) the status rests on the days since the last purchase
    old = table.loc[table["days_since_last"] > 365, "status"]
    assert len(old) > 0 and set(old) == {"lost"}


def test_an_as_of_before_every_order_is_refused(db_path):
    with small_database(db_path, [("c1", "2024-01-05", 20.0)]) as database:
        with pytest.raises(DataError, match="No customer bought anything up to 2023-12-31"):
            analyze(database, as_of="2023-12-31")
        with pytest.raises(ParameterError, match="'as_of' parameter of analyze"):
            analyze(database, as_of="someday")
        with pytest.raises(ParameterError, match="'tier_shares'"):
            analyze(database, config=AnalysisConfig(tier_shares=(0.5, 0.2, 0.1)))


def test_a_read_only_database_is_refused(db_path):
    small_database(db_path, [("c1", "2024-01-05", 20.0)]).close()
    with connect(db_path, read_only=True) as database, pytest.raises(DatabaseError,
                                                                     match="read-only"):
        analyze(database)


def test_cancelled_orders_never_count_and_returns_subtract(db_path):
    rows = [("a", "2024-01-01", 100.0), ("a", "2024-02-01", 50.0), ("a", "2024-02-03", -50.0),
            ("a", "2024-03-01", 80.0), ("b", "2024-01-10", 30.0), ("b", "2024-04-01", 30.0)]
    with small_database(db_path, rows,
                        status=["completed", "completed", "returned", "cancelled", None, None],
                        cost=[60.0, 30.0, 2.0, 40.0, None, None],
                        margin=[None, None, None, None, 10.0, None]) as database:
        snapshot = analyze(database)
        table = read_snapshot(database).to_pandas().set_index("customer_id")
    assert str(snapshot.as_of) == "2024-04-01"  # not the cancelled order's day when it is last
    a = table.loc["a"]
    assert a["n_purchases"] == 2 and a["n_returns"] == 1
    assert a["revenue"] == 100.0
    assert a["margin"] == pytest.approx(40 + 20 - 52)  # the return: -50 - 2 handling cost
    assert table.loc["b", "margin"] == pytest.approx(10.0 + 30.0)
    assert snapshot.metadata["margin_source_rows"] == {"amount - cost": 3, "orders.margin": 1,
                                                       "amount": 1}


def test_rerunning_an_as_of_replaces_that_snapshot_only(db_path):
    rows = [(f"c{i % 7}", str(day.date()), 5.0 + i % 11)
            for i, day in enumerate(pd.date_range("2023-01-01", "2024-06-30", periods=120))]
    with small_database(db_path, rows) as database:
        first = analyze(database, as_of="2024-03-31")
        second = analyze(database)
        insert(database, "orders", pd.DataFrame({
            "order_id": ["late"], "customer_id": ["c1"],
            "ordered_at": [pd.Timestamp("2024-03-31 12:00")], "amount": [999.0]}))
        again = analyze(database, as_of="2024-03-31")
        counts = dict(database.raw.execute(
            "SELECT snapshot_id, count(*) FROM customer_value GROUP BY 1").fetchall())
        latest_revenue = read_snapshot(database, again.snapshot_id).to_pandas().set_index(
            "customer_id").loc["c1", "revenue"]
    assert (first.snapshot_id, second.snapshot_id, again.snapshot_id) == (1, 2, 1)
    assert counts == {1: 7, 2: 7}
    assert latest_revenue > 999.0  # the replacement saw the new order
