"""The customer value table on the CDNOW master data (23,570 customers) as of 1998-06-30."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.helpers.data import CDNOW_AS_OF, CDNOW_EARLIER
from valuecrm.analysis import AnalysisConfig, get_snapshot, list_snapshots
from valuecrm.reports.group_figures import group_summary
from valuecrm.segments.rfm_names import RFM_CLASSES, SEGMENTS
from valuecrm.segments.value_table_names import VALUE_LABELS, names
from valuecrm.store import connect

N_CUSTOMERS = 23_570
LABELS = {
    "rfm_segment": [s.name_en for s in SEGMENTS],
    "rfm_class": [c.name_zh for c in RFM_CLASSES],
    **{column: names(labels) for column, labels in VALUE_LABELS.items()},
}


def test_every_customer_once_with_exactly_one_of_each_label(cdnow_rows):
    rows = cdnow_rows
    assert len(rows) == N_CUSTOMERS and rows["customer_id"].is_unique
    for column, allowed in LABELS.items():
        assert rows[column].notna().all(), column
        assert set(rows[column]) <= set(allowed), (column, set(rows[column]) - set(allowed))
    # the strategy follows the quadrant, one to one
    assert rows.groupby("quadrant")["strategy"].nunique().eq(1).all()
    # prospects have no row: every customer here has bought
    assert (rows["n_purchases"] >= 1).all() and "prospect" not in set(rows["loyalty_stage"])


def test_history_columns_match_the_orders(cdnow_rows):
    from valuecrm.datasets import load_cdnow

    orders = load_cdnow()
    orders = orders[orders["ordered_at"] <= CDNOW_AS_OF]
    by_customer = orders.groupby("customer_id").agg(revenue=("amount", "sum"),
                                                    n_orders=("amount", "size"))
    rows = cdnow_rows.set_index("customer_id").loc[by_customer.index]
    assert np.allclose(rows["revenue"], by_customer["revenue"])
    assert (rows["margin"] == rows["revenue"]).all()  # CDNOW has no margin or cost: margin = amount
    assert (rows["n_orders"] == by_customer["n_orders"]).all()
    recent = orders[orders["ordered_at"] > pd.Timestamp(CDNOW_AS_OF) - pd.Timedelta(days=365)]
    current = recent.groupby("customer_id")["amount"].sum().reindex(by_customer.index,
                                                                    fill_value=0.0)
    assert np.allclose(rows["current_value"], current)


def test_tier_shares_match_the_configured_percentages_up_to_ties(cdnow_rows):
    value = cdnow_rows["current_value"].to_numpy()
    n = len(value)
    # position = customers at least as valuable, computed independently with numpy
    position = n - np.searchsorted(np.sort(value), value, side="left")
    for share, tier_above in zip((0.01, 0.05, 0.20), (["VIP"], ["VIP", "key"],
                                                      ["VIP", "key", "ordinary"]), strict=True):
        inside = cdnow_rows["tier"].isin(tier_above).to_numpy()
        assert (inside == (position <= share * n)).all()
        # the tier share misses the configured one by at most the tie group at the boundary
        boundary = np.sort(value)[::-1][int(share * n)]
        ties = int((value == boundary).sum())
        assert abs(inside.sum() - share * n) <= ties
    shares = cdnow_rows["tier"].value_counts(normalize=True)
    assert shares["VIP"] == pytest.approx(0.01, abs=0.001)
    assert shares["key"] == pytest.approx(0.04, abs=0.001)
    assert shares["ordinary"] == pytest.approx(0.15, abs=0.001)


def test_status_follows_the_documented_rules(cdnow_rows):
    cfg = AnalysisConfig()
    r = cdnow_rows
    p, days = r["p_alive"], r["days_since_last"]
    expected = np.select(
        [r["tenure_days"] <= cfg.new_days,
         (p < cfg.lost_p_alive) | (days > cfg.lost_days),
         (p < cfg.lapsed_p_alive) | (days > cfg.lapsed_days),
         (p < cfg.at_risk_p_alive) | (days > cfg.at_risk_days)],
        ["new", "lost", "lapsed", "at risk"], "active")
    assert (r["status"].to_numpy() == expected).all()
    # the first purchases were all in Q1 1997: nobody is new in June 1998
    assert "new" not in set(r["status"])


def test_predicted_value_is_consistent(cdnow_rows):
    r = cdnow_rows
    assert r["p_alive"].between(0, 1).all()
    assert (r["expected_purchases"] >= 0).all() and (r["clv"] > 0).all()
    assert (r["clv_lower"] <= r["clv"]).all() and (r["clv"] <= r["clv_upper"]).all()
    assert (r["clv_upper"] > r["clv_lower"]).mean() > 0.99  # the interval has a width
    # customers who bought recently and often are worth more than one-time buyers long gone
    champions = r.loc[r["rfm_segment"] == "Champions", "clv"].mean()
    lost = r.loc[r["rfm_segment"] == "Lost", "clv"].mean()
    assert champions > 10 * lost
    # the 12-month customer equity is in the range of the published models (about $1M)
    assert 3e5 < r["clv"].sum() < 2.5e6


def test_snapshots_are_kept_and_described(cdnow_path):
    with connect(cdnow_path, read_only=True) as database:
        snapshots = list_snapshots(database)
        assert [(s.snapshot_id, str(s.as_of)) for s in snapshots] == [
            (2, CDNOW_EARLIER), (1, CDNOW_AS_OF)]
        latest = get_snapshot(database)
        assert latest.snapshot_id == 1 and get_snapshot(database, "2").as_of.isoformat() == \
            CDNOW_EARLIER
        assert latest.model in {"BetaGeo", "ParetoNBD", "ModifiedBetaGeo"}
        assert latest.model in latest.model_reason and "holdout" in latest.model_reason
        assert latest.metadata["margin_source"] == "amount on 100% of order rows"
        assert latest.metadata["holdout"]["holdout_weeks"] == 25  # a third of 78 weeks
        assert latest.counts["customers"] == N_CUSTOMERS and latest.counts["prospects"] == 0
        assert latest.config["tier_shares"] == [0.01, 0.05, 0.2]
        assert "delta method" in latest.metadata["interval_method"]
        earlier = database.raw.execute(
            "SELECT count(*), max(last_purchase) FROM customer_value WHERE snapshot_id = 2"
        ).fetchone()
        assert earlier[0] == N_CUSTOMERS  # everyone had bought by the end of Q1 1997
        assert str(earlier[1]) <= CDNOW_EARLIER + " 23:59:59"


def test_group_summary(cdnow_path):
    with connect(cdnow_path, read_only=True) as database:
        for by in ("rfm_segment", "rfm_class", "status", "stage", "quadrant", "tier",
                   "value_class", "ladder", "relationship"):
            groups = group_summary(database, by=by)
            assert groups["customers"].sum() == N_CUSTOMERS, by
            assert groups["share"].sum() == pytest.approx(1.0)
            assert groups["clv_share"].sum() == pytest.approx(1.0)
        tiers = group_summary(database, CDNOW_AS_OF, by="tier")
        assert tiers["group"].tolist() == ["VIP", "key", "ordinary", "small"]
        assert tiers["name"].tolist() == ["VIP客户", "主要客户", "普通客户", "小客户"]
        assert tiers["mean_clv"].is_monotonic_decreasing


def test_relationship_level_follows_the_value_still_to_come(cdnow_rows):
    """Trust 12: on CDNOW as of 1998-06-30 the 6 "Can't Lose Them" customers (mean P(alive)
    0.00, mean CLV 0.41, mean past margin 4.5x the base's) were "partnership", and "At Risk"
    (P(alive) 0.11) "proactive". A segment whose customers have most likely left, or whose
    CLV is low, gets a level from Kotler's low-margin column."""
    groups = cdnow_rows.groupby("rfm_segment").agg(
        level=("relationship_level", "first"), levels=("relationship_level", "nunique"),
        clv=("clv", "mean"), p_alive=("p_alive", "mean"))
    assert (groups["levels"] == 1).all()
    config = AnalysisConfig()
    overall = cdnow_rows["clv"].mean()
    low_value = groups[(groups["clv"] <= config.low_margin_ratio * overall)
                       | (groups["p_alive"] < config.lost_p_alive)]
    assert "Can't Lose Them" in low_value.index and "At Risk" in low_value.index
    assert set(low_value["level"]) <= {"basic", "reactive", "accountable"}, low_value
    best = groups["clv"].idxmax()
    assert best == "Champions" and groups.loc[best, "level"] == "accountable"  # many, high
