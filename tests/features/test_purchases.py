"""One definition of a purchase (trust 16): rfm_summary, analyze's history, the tracking chart
and the P(alive) history all read valuecrm.features.purchases, on every engine."""

from __future__ import annotations

import datetime as dt

import ibis
import pandas as pd
import pytest

from valuecrm.features import rfm_summary
from valuecrm.features.history import Window, order_rows, purchase_days_sql
from valuecrm.features.purchases import is_purchase, is_purchase_status, order_kind
from valuecrm.store import connect
from valuecrm.views.palive import counts_as_purchase, purchase_days

STATUSES = ["completed", None, " Completed ", "completed\t", "returned", "RETURNED ",
            "cancelled", "pending"]
KINDS = ["purchase"] * 4 + ["returned"] * 2 + ["other"] * 2


def orders() -> pd.DataFrame:
    """One customer, one order a day, each with another status; returns recorded negative."""
    n = len(STATUSES)
    return pd.DataFrame({
        "order_id": [f"o{i}" for i in range(n)],
        "customer_id": ["c1"] * n,
        "ordered_at": pd.date_range("2024-01-01", periods=n, freq="D"),
        "amount": [10.0, 20.0, 30.0, 40.0, -10.0, -20.0, 50.0, 60.0],
        "status": STATUSES,
    })


def test_the_rule_in_ibis_and_in_python_agree() -> None:
    t = ibis.memtable(pd.DataFrame({"status": STATUSES}))
    got = t.select(kind=order_kind(t.status), purchase=is_purchase(t.status)).to_pandas()
    assert got.kind.tolist() == KINDS
    assert got.purchase.tolist() == [k == "purchase" for k in KINDS]
    assert [is_purchase_status(s) for s in STATUSES] == got.purchase.tolist()
    assert [counts_as_purchase({"status": s}) for s in STATUSES] == got.purchase.tolist()


def orders_in(backend: ibis.BaseBackend, frame: pd.DataFrame) -> ibis.Table:
    """``frame`` as a table of ``backend`` (on Spark with its schema, so a missing status is a
    null, not the text 'NaN' a pandas conversion makes of it)."""
    if backend.name != "pyspark":
        return ibis.memtable(frame)
    rows = [(o, c, t.to_pydatetime(), a, s) for o, c, t, a, s in frame.itertuples(index=False)]
    rows = [(*r[:4], None if r[4] is None or r[4] != r[4] else r[4]) for r in rows]
    backend._session.createDataFrame(  # type: ignore[attr-defined]
        rows, "order_id string, customer_id string, ordered_at timestamp, amount double, "
        "status string").createOrReplaceTempView("status_orders")
    return backend.table("status_orders")


def test_rfm_summary_counts_purchases_only(backend: ibis.BaseBackend) -> None:
    frame = orders()
    got = backend.execute(rfm_summary(orders_in(backend, frame), observation_end="2024-01-31",
                                      freq="D")).iloc[0]
    assert (got.n_purchases, got.n_orders, got.total_spend) == (4, 4, 100.0)
    assert got.monetary_value == pytest.approx(30.0)  # (20 + 30 + 40) / 3: no return in it
    every = rfm_summary(frame, observation_end="2024-01-31", freq="D", status_col=None)
    assert int(every.to_pandas().n_orders.iloc[0]) == len(frame)


def test_history_tracking_and_palive_read_the_same_purchases(tmp_path) -> None:
    database = connect(tmp_path / "shop.duckdb")
    try:
        database.raw.register("frame", orders())
        database.raw.execute("INSERT INTO customers (customer_id) VALUES ('c1')")
        database.raw.execute("INSERT INTO orders BY NAME SELECT * FROM frame")
        as_of = dt.date(2024, 1, 31)
        rows = order_rows(database, Window(pd.Timestamp(as_of))).to_pandas()
        rows = rows.sort_values("ordered_at")
        assert rows.kind.tolist() == [k for k in KINDS if k != "other"]
        assert rows.amount_signed.tolist() == [10.0, 20.0, 30.0, 40.0, -10.0, -20.0]
        history_days = [d.date() for d in rows[rows.kind == "purchase"].ordered_at]
        tracked = database.raw.execute(f"SELECT day FROM ({purchase_days_sql(as_of)}) "
                                       "ORDER BY day").fetchall()
        assert [r[0] for r in tracked] == history_days
        assert purchase_days(database.raw, "c1", as_of) == history_days
    finally:
        database.close()
