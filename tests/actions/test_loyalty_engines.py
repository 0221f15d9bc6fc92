"""The ledger figures are Ibis expressions: DuckDB and PySpark give the same balances,
first-in-first-out cohorts and tiers on the hand-written ledger."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.helpers.loyalty import LEDGER
from valuecrm.actions.loyalty import rules_from_dict
from valuecrm.actions.loyalty.ledger import balances, point_cohorts, tiers_as_of

RULES = rules_from_dict({"tiers": {"levels": [{"name": "bronze", "min": 0},
                                              {"name": "silver", "min": 1000}]}})


def _ledger(backend):
    frame = pd.DataFrame(LEDGER, columns=["entry_id", "customer_id", "occurred_at", "points",
                                          "kind", "order_id", "tier"])
    frame["occurred_at"] = pd.to_datetime(frame["occurred_at"])
    if backend.name == "pyspark":
        backend._session.createDataFrame(  # type: ignore[attr-defined]
            [(*row[:2], pd.Timestamp(row[2]).to_pydatetime(), *row[3:]) for row in LEDGER],
            "entry_id string, customer_id string, occurred_at timestamp, points long, "
            "kind string, order_id string, tier string",
        ).createOrReplaceTempView("loyalty_ledger_sample")
        return backend.table("loyalty_ledger_sample")
    return backend.create_table("loyalty_ledger_sample", frame)


@pytest.mark.spark
def test_every_engine_gives_the_same_ledger_figures(backend):
    ledger = _ledger(backend)
    got = balances(ledger).to_pandas().set_index("customer_id").sort_index()
    assert got["balance"].tolist() == [300, 0, 100]
    assert got["redeemed"].tolist() == [1000, 0, 0] and got["expired"].tolist() == [0, 300, 0]
    cohorts = point_cohorts(ledger).to_pandas().set_index("cohort")
    assert cohorts[["issued", "redeemed", "expired", "adjusted", "outstanding"]].astype(
        int).values.tolist() == [[900, 600, 300, 0, 0], [820, 400, 0, 20, 400]]
    tiers = tiers_as_of(ledger, None, RULES, "2025-12-31").to_pandas()
    assert dict(zip(tiers["customer_id"], tiers["tier"], strict=True)) == {
        "A": "silver", "B": "bronze", "C": "bronze"}
