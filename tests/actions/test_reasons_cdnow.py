"""Trust 13: on CDNOW (no complaints, no prices, no categories) the reasons come from the orders,
are varied, and each one is the first rule that holds on the customer's own orders, recomputed
here with pandas from the orders file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.helpers.analysed import AnalysedDatabases, cdnow_tables_of
from valuecrm.actions import ReasonRules, retention_list, winback_list
from valuecrm.actions.reasons import reason_rule
from valuecrm.store import connect

AS_OF = "1998-06-30"


@pytest.fixture(scope="module")
def cdnow(analysed_db: AnalysedDatabases) -> tuple[Path, pd.DataFrame]:
    """The CDNOW sample (2,357 customers) analysed as of 1998-06-30 with BG/NBD, and its
    orders."""
    return analysed_db("cdnow_sample", AS_OF), cdnow_tables_of("cdnow_sample")[1]


def expected_codes(orders: pd.DataFrame, rules: ReasonRules) -> pd.Series:
    """The order rules, first match wins, per customer (no returns or categories in CDNOW)."""
    orders = orders[orders["ordered_at"] < pd.Timestamp(AS_OF) + pd.Timedelta(days=1)]
    days = (orders.assign(day=orders["ordered_at"].dt.normalize())
            .groupby(["customer_id", "day"])["amount"].sum().reset_index())
    out = {}
    for customer, own in days.groupby("customer_id"):
        amounts = own["amount"].to_numpy(dtype=float)
        gaps = np.diff(own["day"].to_numpy()).astype("timedelta64[D]").astype(float)
        silent = (pd.Timestamp(AS_OF) - own["day"].iloc[-1]).days
        if len(amounts) == 1:
            out[customer] = "one_purchase"
        elif amounts[:-1].mean() > 0 and amounts[-1] <= rules.spend_fall * amounts[:-1].mean():
            out[customer] = "spend_fell"
        elif len(gaps) >= 2 and gaps[-1] >= rules.gap_growth * gaps[:-1].mean():
            out[customer] = "intervals_lengthened"
        elif silent >= rules.gap_growth * gaps.mean():
            out[customer] = "overdue"
        else:
            out[customer] = "no_sign"
    return pd.Series(out, name="expected")


@pytest.mark.parametrize("make", [retention_list, winback_list])
def test_reasons_come_from_the_orders_and_match_their_rule(cdnow, make):
    path, orders = cdnow
    rules = ReasonRules()
    with connect(path, read_only=True) as database:
        frame = make(database)
    assert len(frame) > 100
    counts = frame["reason_code"].value_counts()
    assert "unknown" not in counts.index
    assert len(counts) >= 4, counts  # varied, not one label for everyone
    assert counts.max() < 0.8 * len(frame), counts
    expected = expected_codes(orders, rules)
    got = frame.set_index("customer_id")["reason_code"]
    assert (got == expected.loc[got.index]).all(), \
        pd.concat([got, expected.loc[got.index]], axis=1)[got != expected.loc[got.index]]
    for code, rule, label in frame[["reason_code", "reason_rule", "reason"]].itertuples(
            index=False):
        assert rule == reason_rule(code, rules) and label
