"""The same analysis where the data lives: rfm_summary and a BG/NBD fit on DuckDB and PySpark.

The orders are a table inside each engine; the summary and the model's grouping of identical
rows both run there, and the fitted parameters must agree.
"""

from __future__ import annotations

import ibis
import pytest

from valuecrm.datasets import load_cdnow
from valuecrm.features import rfm_summary
from valuecrm.models import BetaGeo

pytestmark = pytest.mark.spark


def _orders_in(backend_name: str, spark_session: object | None) -> ibis.Table:
    orders = load_cdnow(sample=True)[["customer_id", "ordered_at", "amount"]]
    rows = list(orders.astype({"customer_id": object}).itertuples(index=False, name=None))
    if backend_name == "duckdb":
        con = ibis.duckdb.connect()
        return con.create_table("cdnow_orders", orders)
    frame = spark_session.createDataFrame(  # type: ignore[attr-defined]
        [(c, t.to_pydatetime(), float(a)) for c, t, a in rows],
        "customer_id string, ordered_at timestamp, amount double")
    frame.createOrReplaceTempView("cdnow_orders")
    return ibis.pyspark.connect(spark_session).table("cdnow_orders")


def test_bgnbd_on_spark_equals_duckdb(spark_session):
    fits = {}
    summaries = {}
    for name in ("duckdb", "pyspark"):
        orders = _orders_in(name, spark_session)
        summary = rfm_summary(orders, observation_end="1997-09-30", freq="W")
        summaries[name] = summary.to_pandas().sort_values("customer_id").reset_index(drop=True)
        fits[name] = BetaGeo().fit(summary)  # identical rows grouped inside the engine
    duck, spark = summaries["duckdb"], summaries["pyspark"]
    assert len(spark) == 2357
    for column in ("frequency", "recency", "T", "monetary_value"):
        assert spark[column].to_numpy() == pytest.approx(duck[column].to_numpy(), rel=1e-12)
    for param, value in fits["duckdb"].params_.items():
        assert fits["pyspark"].params_[param] == pytest.approx(value, rel=1e-9)
    assert fits["pyspark"].log_likelihood_ == pytest.approx(-9582.429, abs=0.01)
