"""rfm_summary: the CDNOW summary file rebuilt, and one expression agreeing on every engine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import valuecrm
from valuecrm.datasets import load_cdnow, load_cdnow_summary
from valuecrm.errors import ParameterError, SchemaError
from valuecrm.features import rfm_summary
from valuecrm.features.summary import TREND_INPUTS, daily_summary

UNITS = {"H": pd.Timedelta(hours=1), "D": pd.Timedelta(days=1), "W": pd.Timedelta(days=7),
         "M": pd.Timedelta(days=365.25 / 12)}


def reference_summary(orders: pd.DataFrame, observation_end: str, calibration_end: str | None,
                      freq: str) -> pd.DataFrame:
    """A plain pandas rendering of the docstring of rfm_summary, customer by customer."""
    floor = "h" if freq == "H" else "D"
    unit = UNITS[freq]
    end = pd.Timestamp(observation_end).floor(floor)
    cut = pd.Timestamp(calibration_end).floor(floor) if calibration_end else end
    o = orders.assign(period=orders.ordered_at.dt.floor(floor))
    o = o[o.period <= end]
    per_period = o.groupby(["customer_id", "period"], as_index=False).agg(
        value=("amount", "sum"), orders=("amount", "size"))
    rows = []
    for customer, g in per_period.groupby("customer_id"):
        cal = g[g.period <= cut].sort_values("period")
        hold = g[g.period > cut]
        if cal.empty:
            continue
        first, last = cal.period.iloc[0], cal.period.iloc[-1]
        repeat = len(cal) - 1
        row = {
            "customer_id": customer, "frequency": repeat, "recency": (last - first) / unit,
            "T": (cut - first) / unit,
            "monetary_value": cal.value.iloc[1:].mean() if repeat else 0.0,
            "time_since_last": (cut - last) / unit, "n_orders": cal.orders.sum(),
            "n_purchases": len(cal), "total_spend": cal.value.sum(),
            "first_purchase": first, "last_purchase": last,
        }
        if calibration_end:
            row |= {"frequency_holdout": len(hold),
                    "monetary_value_holdout": hold.value.mean() if len(hold) else 0.0,
                    "duration_holdout": (end - cut) / unit}
        rows.append(row)
    columns = list(rows[0])
    columns[5:5] = columns[11:]  # holdout columns follow monetary_value
    return pd.DataFrame(rows)[columns[:len(rows[0])]]


def synthetic_orders(seed: int = 7) -> pd.DataFrame:
    """40 customers over 1997-1998, with same-day repeats and orders on the cut-off edges."""
    rng = np.random.default_rng(seed)
    n = 400
    start = pd.Timestamp("1997-01-01")
    seconds = rng.integers(0, 540 * 86400, n)
    frame = pd.DataFrame({
        "customer_id": [f"c{i:02d}" for i in rng.integers(0, 40, n)],
        "ordered_at": start + pd.to_timedelta(seconds, unit="s"),
        "amount": rng.gamma(2.0, 20.0, n).round(2),
    })
    edges = pd.DataFrame({
        "customer_id": ["c00", "c00", "c00", "c01", "c01", "late", "late"],
        "ordered_at": pd.to_datetime(["1997-09-30 23:59:59", "1997-10-01 00:00:00",
                                      "1997-09-30 08:15:00", "1998-06-30 23:30:00",
                                      "1998-07-01 00:00:00", "1997-10-02 10:00:00",
                                      "1998-01-05 11:00:00"]),
        "amount": [10.0, 20.0, 5.0, 7.5, 1000.0, 3.0, 4.0],
    })
    frame = pd.concat([frame, edges, frame.iloc[:25]], ignore_index=True)  # exact duplicates too
    frame["ordered_at"] = frame.ordered_at.astype("datetime64[us]")
    return frame


def assert_same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    got = got.sort_values("customer_id").reset_index(drop=True)
    expected = expected.sort_values("customer_id").reset_index(drop=True)
    assert list(got.columns) == list(expected.columns)
    assert got.customer_id.tolist() == expected.customer_id.tolist()
    for name in expected.columns.drop("customer_id"):
        if name in ("first_purchase", "last_purchase"):
            left = pd.to_datetime(got[name]).dt.tz_localize(None).astype("datetime64[us]")
            right = pd.to_datetime(expected[name]).astype("datetime64[us]")
            assert (left == right).all(), name
        else:
            np.testing.assert_allclose(got[name].astype(float), expected[name].astype(float),
                                       rtol=1e-9, atol=1e-9, err_msg=name)


CASES = [(freq, cut) for freq in ("D", "W", "M", "H") for cut in (None, "1997-09-30")]
# Other engines run the distinct expression shapes only (D, W and M differ by a constant).
FEW_CASES = [("W", None), ("W", "1997-09-30"), ("H", "1997-09-30")]


def test_matches_pandas_reference_on_every_engine(backend: ibis.BaseBackend) -> None:
    """The same expression on each engine equals the pandas reference (and DuckDB's result)."""
    orders = synthetic_orders()
    table = ibis.memtable(orders)
    duckdb = ibis.duckdb.connect()
    for freq, cut in CASES if backend.name == "duckdb" else FEW_CASES:
        end = "1998-06-30"
        expr = rfm_summary(table, observation_end=end, calibration_end=cut, freq=freq)
        got = backend.execute(expr)
        expected = reference_summary(orders, end, cut, freq)
        assert_same(got, expected)
        if backend.name != "duckdb":
            assert_same(got, duckdb.execute(expr))
        assert got.frequency.dtype.kind == "i" and got.n_orders.dtype.kind == "i"
    assert "late" not in set(got.customer_id)  # first bought after calibration_end


def test_rebuilds_the_cdnow_summary_file() -> None:
    """x exact, t_x, T and zbar within 0.01 of the file the papers fitted (FHL 2005)."""
    summary = rfm_summary(load_cdnow(sample=True), observation_end="1997-09-30",
                          freq="W").to_pandas()
    published = load_cdnow_summary(published_names=True)
    summary["ID"] = summary.customer_id.astype(int)
    both = published.merge(summary, on="ID", how="outer", validate="1:1", indicator=True)
    assert (both._merge == "both").all() and len(both) == 2357
    assert (both.x == both.frequency).all()
    assert np.abs(both.t_x - both.recency).max() < 0.01
    assert np.abs(both.T_x - both.T_y).max() < 0.01
    assert np.abs(both.zbar - both.monetary_value).max() < 0.01
    assert (both.zbar > 0).sum() == 946


def test_t_runs_from_the_first_purchase_day_to_the_end_day() -> None:
    """Joined 1997-01-01, calibration ends 1997-09-30: T = 272 days / 7 = 38.857 weeks (38.86
    in the summary file); 273 / 7 (counting the end day as a whole day) would be 39.0."""
    orders = pd.DataFrame({"customer_id": ["a", "a"], "amount": [1.0, 2.0],
                           "ordered_at": pd.to_datetime(["1997-01-01 18:00", "1997-09-30 23:00"])})
    row = rfm_summary(orders, observation_end="1997-09-30", freq="W").to_pandas().iloc[0]
    assert row["T"] == pytest.approx(272 / 7) and round(row["T"], 2) == 38.86
    assert row.recency == pytest.approx(272 / 7) and row.frequency == 1
    published = load_cdnow_summary(published_names=True)
    joined_jan_1 = load_cdnow(sample=True).groupby("customer_id").ordered_at.min()
    ids = joined_jan_1[joined_jan_1 == "1997-01-01"].index.astype(int)
    assert set(published.set_index("ID").loc[ids, "T"]) == {38.86}


def test_cdnow_calibration_and_holdout() -> None:
    """Calibration columns equal the summary file; holdout columns count 1997-10-01..1998-06-30."""
    orders = load_cdnow(sample=True)
    both = rfm_summary(orders, observation_end="1998-06-30", calibration_end="1997-09-30",
                       freq="W").to_pandas()
    alone = rfm_summary(orders, observation_end="1997-09-30", freq="W").to_pandas()
    pd.testing.assert_frame_equal(both[alone.columns], alone)
    assert both.duration_holdout.unique().tolist() == [pytest.approx(273 / 7)]
    holdout = orders[orders.ordered_at > "1997-09-30"]
    days = holdout.groupby("customer_id").ordered_at.nunique()
    counted = both.set_index("customer_id").frequency_holdout
    assert counted.sum() == days.sum() and counted.loc[days.index].tolist() == days.tolist()
    value = holdout.groupby(["customer_id", "ordered_at"]).amount.sum().groupby(level=0).mean()
    np.testing.assert_allclose(both.set_index("customer_id").loc[value.index,
                                                                 "monetary_value_holdout"], value)


def test_date_column_and_own_column_names() -> None:
    orders = synthetic_orders()
    renamed = orders.rename(columns={"customer_id": "cust", "ordered_at": "day", "amount": "v"})
    renamed["day"] = renamed.day.dt.date
    table = ibis.memtable(renamed).mutate(day=ibis._.day.cast("date"))
    got = rfm_summary(table, observation_end="1998-06-30", calibration_end="1997-09-30",
                      freq="W", customer_col="cust", time_col="day", amount_col="v").to_pandas()
    expected = reference_summary(orders.assign(ordered_at=orders.ordered_at.dt.normalize()),
                                 "1998-06-30", "1997-09-30", "W")
    assert_same(got, expected)


def test_reads_the_orders_of_a_database(db) -> None:
    db.raw.execute("INSERT INTO orders (order_id, customer_id, ordered_at, amount) VALUES "
                   "('1', 'a', '2024-01-01 10:00', 10), ('2', 'a', '2024-01-01 12:00', 5), "
                   "('3', 'a', '2024-01-08', 30), ('4', 'b', '2024-01-05', 7)")
    expr = rfm_summary(db, observation_end="2024-01-15", freq="D")
    assert expr.schema()["first_purchase"].is_date()  # the purchase day
    assert expr.to_pandas().to_dict("list") == {
        "customer_id": ["a", "b"], "frequency": [1, 0], "recency": [7.0, 0.0], "T": [14.0, 10.0],
        "monetary_value": [30.0, 0.0], "time_since_last": [7.0, 10.0], "n_orders": [3, 1],
        "n_purchases": [2, 1], "total_spend": [45.0, 7.0],
        "first_purchase": [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-05")],
        "last_purchase": [pd.Timestamp("2024-01-08"), pd.Timestamp("2024-01-05")]}


@pytest.mark.parametrize(("kwargs", "error", "text"), [
    ({"freq": "Q"}, ParameterError, "'freq' parameter of rfm_summary must be one of"),
    ({"calibration_end": "1999-01-01"}, ParameterError, "before observation_end"),
    ({"observation_end": "not a date"}, ParameterError, "'observation_end' parameter"),
    ({"customer_col": "client"}, SchemaError, "no column 'client'"),
    ({"amount_col": "customer_id"}, SchemaError, "not numbers"),
    ({"time_col": "customer_id"}, SchemaError, "not dates or timestamps"),
    ({"passes": 0}, ParameterError, "'passes' parameter of rfm_summary must be a whole number"),
])
def test_bad_arguments_say_what_to_do(kwargs, error, text) -> None:
    arguments = {"observation_end": "1998-06-30"} | kwargs
    with pytest.raises(error, match=text):
        rfm_summary(synthetic_orders(), **arguments)


@pytest.mark.parametrize("id_type", ["string", "int64"])
def test_passes_split_the_work_not_the_result(id_type: str) -> None:
    """Any number of passes gives the same rows (ids hashed or, when whole numbers, used as
    they are; negative ones too); the default is one, as analyze uses (it was four on
    DuckDB), and several are one UNION ALL."""
    orders = synthetic_orders()
    if id_type == "int64":
        codes = {c: i - 20 for i, c in enumerate(sorted(set(orders.customer_id)))}
        orders["customer_id"] = orders.customer_id.map(codes).astype("int64")
    table = ibis.memtable(orders)
    once = rfm_summary(table, observation_end="1998-06-30", calibration_end="1997-09-30")
    assert "UNION" not in ibis.to_sql(once)
    expected = once.to_pandas()
    assert len(expected) > 30
    for passes in (None, 1, 3, 7):
        expr = rfm_summary(table, observation_end="1998-06-30", calibration_end="1997-09-30",
                           passes=passes)
        assert ibis.to_sql(expr).count("UNION ALL") == (passes or 1) - 1
        pd.testing.assert_frame_equal(expr.to_pandas(), expected)


def test_refuses_what_is_not_a_table() -> None:
    with pytest.raises(ParameterError, match="an Ibis table, a pandas DataFrame"):
        rfm_summary([("a", "2024-01-01", 1.0)], observation_end="2024-02-01")


def test_public_name_and_pyarrow_input() -> None:
    orders = synthetic_orders()
    got = valuecrm.rfm_summary(pa.Table.from_pandas(orders), observation_end="1998-06-30",
                               freq="D").to_pandas()
    assert_same(got, reference_summary(orders, "1998-06-30", None, "D"))


def test_features_import_no_engine() -> None:
    """The feature expressions are pure Ibis: no backend is imported, in code or at run time."""
    package = Path(valuecrm.__file__).parent / "features"
    for source in package.glob("*.py"):
        text = source.read_text()
        assert "import duckdb" not in text and "pyspark" not in text, source.name
    code = ("import sys, valuecrm.features as f, pandas as pd; "
            "f.rfm_summary(pd.DataFrame({'customer_id': ['a'], 'ordered_at': "
            "[pd.Timestamp('2024-01-01')], 'amount': [1.0]}), observation_end='2024-02-01'); "
            "print(sorted(m for m in sys.modules if m.startswith(('duckdb', 'pyspark'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_daily_summary_is_the_daily_rfm_summary_plus_the_day_sums() -> None:
    """``analyze`` groups the purchases into days once (``daily_summary``): the same summary
    as ``rfm_summary(freq="D")``, with the sums the lifecycle trend reads, checked by hand."""
    orders = synthetic_orders()
    table = ibis.memtable(orders)
    got = daily_summary(table, observation_end="1998-06-30").to_pandas()
    expected = rfm_summary(table, observation_end="1998-06-30", freq="D").to_pandas()
    assert_same(got[list(expected.columns)], expected)
    kept = orders[orders.ordered_at < pd.Timestamp("1998-07-01")].copy()
    kept["day"] = (kept.ordered_at.dt.normalize() - pd.Timestamp("1970-01-01")).dt.days
    kept["cents"] = (kept.amount * 100).round().astype("int64")
    days = kept.groupby(["customer_id", "day"], as_index=False)["cents"].sum()
    by_hand = days.groupby("customer_id").agg(
        day_sum=("day", "sum"), spend_units=("cents", "sum"),
        first_units=("cents", "first"))  # days are in order within each customer
    got = got.set_index("customer_id").loc[by_hand.index]
    for column in TREND_INPUTS:
        assert got[column].astype("int64").tolist() == by_hand[column].tolist(), column
