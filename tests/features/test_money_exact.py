"""Money sums are exact: RFM scores on CDNOW do not change between runs or engines (trust 3).

CDNOW master customers 14704 and 3770 both spent exactly 133.95 by 1998-06-30. Added as floats
in whatever order a parallel engine chooses, the two totals used to differ in the last bit on some
runs, and 14704's M score went from 4 to 5. The reference here is independent of the engine: each
amount in whole cents (Python integers), summed per customer, ranked with pandas
(``rank(method="min")``, score = 1 + floor(5 * (rank - 1) / N)).
"""

from __future__ import annotations

import ibis
import numpy as np
import pandas as pd
import pytest

from valuecrm.datasets import load_cdnow
from valuecrm.errors import ParameterError
from valuecrm.features import rfm_summary
from valuecrm.segments import rfm_scores

AS_OF = "1998-06-30"
RUNS = 12


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return load_cdnow()[["customer_id", "ordered_at", "amount"]]


@pytest.fixture(scope="module")
def reference(orders: pd.DataFrame) -> pd.DataFrame:
    """Total spend from exact cents and the M score ranked on it, per customer."""
    cents = (orders.amount * 100).round().astype("int64")
    total = cents.groupby(orders.customer_id).sum()
    rank = total.rank(method="min").to_numpy(dtype=np.int64)
    return pd.DataFrame({"total_spend": total.to_numpy() / 100,
                         "m_score": 1 + 5 * (rank - 1) // len(total)}, index=total.index)


def _scores(table: ibis.Table, backend: ibis.BaseBackend) -> pd.DataFrame:
    summary = rfm_summary(table, observation_end=AS_OF, freq="D", passes=4)
    out = backend.execute(rfm_scores(summary))
    return out.set_index("customer_id").sort_index()


def test_twelve_parallel_runs_give_identical_exact_scores(orders, reference) -> None:
    """Every run (DuckDB with 4 threads, 4 passes) gives the exact totals and the same scores."""
    con = ibis.duckdb.connect(threads=4)
    table = con.create_table("orders", orders)
    first = None
    for run in range(RUNS):
        got = _scores(table, con)
        assert got.total_spend.to_numpy().tolist() == reference.total_spend.tolist(), run
        cells = got[["r_score", "f_score", "m_score"]].astype(int)
        if first is None:
            first = cells
        assert cells.equals(first), f"run {run + 1} differs from run 1"
    assert first.m_score.tolist() == reference.m_score.tolist()
    assert first.loc[["14704", "03770"], "m_score"].nunique() == 1


@pytest.mark.spark
def test_spark_gives_the_scores_of_duckdb(orders, reference, spark_session) -> None:
    frame = spark_session.createDataFrame(orders.astype({"customer_id": str}))
    frame.createOrReplaceTempView("cdnow_master_orders")
    spark = ibis.pyspark.connect(spark_session)
    got = _scores(spark.table("cdnow_master_orders"), spark)
    duck = ibis.duckdb.connect()
    expected = _scores(duck.create_table("orders", orders), duck)
    assert got.total_spend.tolist() == reference.total_spend.tolist()
    columns = ["r_score", "f_score", "m_score", "rfm_segment", "rfm_class_code"]
    pd.testing.assert_frame_equal(got[columns], expected[columns], check_dtype=False)


def test_other_currencies_round_to_their_own_precision() -> None:
    """Yen have no minor unit: money_decimals=0 sums whole yen (100.4 + 100.4 = 200)."""
    orders = pd.DataFrame({"customer_id": ["a", "a", "b"],
                           "ordered_at": pd.to_datetime(["2024-01-01", "2024-01-02",
                                                         "2024-01-01"]),
                           "amount": [100.4, 100.4, 200.2]})
    yen = rfm_summary(orders, observation_end="2024-01-31", freq="D", money_decimals=0)
    assert yen.to_pandas().total_spend.tolist() == [200.0, 200.0]
    cents = rfm_summary(orders, observation_end="2024-01-31", freq="D")
    assert cents.to_pandas().total_spend.tolist() == [200.8, 200.2]
    scores = rfm_scores(yen).to_pandas().set_index("customer_id")
    assert scores.m_score.nunique() == 1  # equal in yen, so tied
    with pytest.raises(ParameterError, match="money_decimals"):
        rfm_summary(orders, observation_end="2024-01-31", money_decimals=-1)
