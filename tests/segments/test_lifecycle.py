"""Lifecycle stages from each customer's own purchase trend (valuecrm.segments.lifecycle)."""

from __future__ import annotations

import ibis
import pandas as pd
import pytest

from valuecrm.analysis import AnalysisConfig
from valuecrm.features.summary import daily_summary
from valuecrm.segments.lifecycle import (
    TREND_COLUMNS,
    lifecycle_stage,
    trend_features,
    trend_of_summary,
)

AS_OF = pd.Timestamp("2024-12-31")
CFG = AnalysisConfig()


def purchases_on(days_before: dict[str, list[int]], spend: float = 10.0) -> pd.DataFrame:
    rows = [(c, AS_OF - pd.Timedelta(days=d), spend) for c, days in days_before.items()
            for d in days]
    return pd.DataFrame(rows, columns=["customer_id", "ordered_at", "amount_signed"])


def stages(days_before: dict[str, list[int]], config=CFG) -> dict[str, str]:
    """Stage of each customer from the days (before the as-of date) they bought on."""
    orders = purchases_on(days_before)
    first = orders.groupby("customer_id")["ordered_at"].min()
    last = orders.groupby("customer_id")["ordered_at"].max()
    n = orders.groupby("customer_id")["ordered_at"].nunique()
    base = pd.DataFrame({
        "customer_id": first.index,
        "tenure_days": (AS_OF - first).dt.days.to_numpy(),
        "days_since_last": (AS_OF - last).dt.days.to_numpy(),
        "n_purchases": n.to_numpy(),
        "recency": (last - first).dt.days.to_numpy().astype(float),
    })
    customers = ibis.memtable(base)
    trend = trend_features(ibis.memtable(orders), customers.select("customer_id", "tenure_days"),
                           as_of=AS_OF, config=config)
    table = customers.join(trend, "customer_id")
    out = lifecycle_stage(table, config).to_pandas()
    return dict(zip(out["customer_id"], out["lifecycle_stage"], strict=True))


STEADY = list(range(0, 720, 30))               # every 30 days for two years, last one today
RISING = list(range(0, 90, 6)) + list(range(90, 720, 60))   # sped up in the last 90 days
FALLING = [100, *range(130, 720, 10)]          # every 10 days, stopped 100 days ago


def test_each_stage_from_its_own_trend():
    result = stages({"young": [0, 20, 40], "one_recent": [80], "one_old": [700],
                     "forming": [0, 50, 120], "steady": STEADY, "rising": RISING,
                     "falling": FALLING, "steady2": [5, 40, 75, 110, 145, 180, 215, 250],
                     "early_burst": [600, *range(610, 700, 5)]},
                    config=CFG)
    assert result["young"] == "exploration"         # tenure under 60 days
    # one purchase, 80 days ago: within 3 x the median gap of the repeat buyers (28.8 days)
    assert result["one_recent"] == "exploration"
    # one purchase long ago: never went past the trial (status says whether it is lost)
    assert result["one_old"] == "exploration"
    assert result["forming"] == "formation"          # tenure under 180 days
    assert result["steady"] == "stability"
    assert result["steady2"] == "stability"
    assert result["rising"] == "formation"           # rate rising on an old relationship
    assert result["falling"] == "decline"            # silent for 100 days after 10-day gaps
    assert result["early_burst"] == "decline"        # all purchases in its first 100 days


def test_decline_needs_significance_at_the_configured_level():
    # repeat purchases at ages 50 .. 400 and 690 of T = 690 days: mean age 266.25, so
    # U = (266.25 - 345) / (690 / sqrt(96)) = -1.12 (one-sided p = 0.13); bought today
    days = {"a": [690, 640, 600, 550, 500, 440, 370, 290, 0]}
    assert stages(days) == {"a": "decline"}  # beyond the default one-sided 25% level
    assert stages(days, config=CFG.replace(fall_level=0.05)) == {"a": "stability"}


def test_trend_features_count_recent_and_expected_purchases():
    orders = purchases_on({"a": STEADY})
    customers = ibis.memtable(pd.DataFrame({"customer_id": ["a"], "tenure_days": [690]}))
    out = trend_features(ibis.memtable(orders), customers, as_of=AS_OF).to_pandas().iloc[0]
    assert out["trend_window_days"] == CFG.trend_window_days
    assert out["recent_purchases"] == 3                     # days 0, 30, 60
    # 20 repeat purchases in the 600 earlier days (the first one starts the clock)
    assert out["expected_recent"] == pytest.approx(20 / 600 * 90)
    assert out["rate_trend"] == pytest.approx(3 / (20 / 600 * 90))


def test_short_tenure_uses_half_the_tenure_as_window():
    orders = purchases_on({"a": [0, 10, 40]})
    customers = ibis.memtable(pd.DataFrame({"customer_id": ["a"], "tenure_days": [40]}))
    out = trend_features(ibis.memtable(orders), customers, as_of=AS_OF).to_pandas().iloc[0]
    assert out["trend_window_days"] == 20
    assert out["recent_purchases"] == 2


def test_trend_statistic_and_silence_probability_by_hand():
    """Laplace's U and (1 - s/T)^n for repeat purchases at ages 10, 20, 60 of T = 100 days."""
    orders = purchases_on({"a": [100, 90, 80, 40], "one": [50]})
    customers = ibis.memtable(pd.DataFrame({"customer_id": ["a", "one"],
                                            "tenure_days": [100, 50]}))
    out = trend_features(ibis.memtable(orders), customers, as_of=AS_OF).to_pandas()
    a = out.set_index("customer_id").loc["a"]
    assert a["trend_statistic"] == pytest.approx((30 - 50) / (100 / (12 * 3) ** 0.5))
    assert a["silence_probability"] == pytest.approx((1 - 40 / 100) ** 3)
    one = out.set_index("customer_id").loc["one"]
    assert pd.isna(one["trend_statistic"]) and pd.isna(one["silence_probability"])


def test_nobody_bought_twice_gives_exploration_not_a_crash():
    result = stages({"a": [300], "b": [400], "c": [10]})
    assert set(result.values()) == {"exploration"}


def test_trend_of_the_daily_summary_equals_the_trend_of_the_purchases():
    """``analyze`` groups the purchases into days once: the trend from the daily summary's
    sums (and the recent window's purchases only) is the trend of every purchase, bit for
    bit, for every kind of customer (several orders a day, short tenures, one purchase,
    everything recent, nothing recent)."""
    days = {"young": [0, 20, 40], "one_recent": [80], "one_old": [700], "forming": [0, 50, 120],
            "steady": STEADY, "rising": RISING, "falling": FALLING, "same_day": [0, 0, 5, 300],
            "early_burst": [600, *range(610, 700, 5)], "all_recent": [1, 2, 3, 89, 89]}
    orders = purchases_on(days)
    orders["amount_signed"] = [round(1.01 + 0.37 * i, 2) for i in range(len(orders))]
    summary = daily_summary(ibis.memtable(orders), observation_end=AS_OF,
                            amount_col="amount_signed")
    summary = summary.mutate(tenure_days=summary["T"].cast("int64"),
                             days_since_last=summary.time_since_last.cast("int64"))
    expected = trend_features(ibis.memtable(orders), summary.select("customer_id", "tenure_days"),
                              as_of=AS_OF).to_pandas()
    got = trend_of_summary(summary, ibis.memtable(orders), as_of=AS_OF).to_pandas()
    columns = ["customer_id", *TREND_COLUMNS]
    pd.testing.assert_frame_equal(
        got[columns].sort_values("customer_id").reset_index(drop=True),
        expected[columns].sort_values("customer_id").reset_index(drop=True),
        check_exact=True, check_dtype=False)
    assert set(got["customer_id"]) == set(days)
