"""Relationship lifecycle stages (Dwyer, Schurr & Oh 1987): 考察期, 形成期, 稳定期, 退化期.

Each customer's stage comes from the trend of their own purchase rate and spend, compared with
their own past (not with other customers):

- the **recent window** is the last ``W = min(trend_window_days, tenure / 2)`` days before the
  as-of date; the **earlier rate** is the customer's repeat purchases before it (the first purchase
  starts the clock and is not counted) per day of earlier tenure, and likewise for spend;
- ``expected_recent`` = earlier rate x W; ``rate_trend`` = recent purchases / expected_recent,
  ``spend_trend`` the same for spend (null when nothing was expected);
- **rising**: recent purchases >= ``rise_ratio`` x expected, and more than expected by at least
  ``min_trend_purchases`` and ``trend_z`` x sqrt(expected) (the Poisson standard deviation, so
  chance fluctuations of steady buyers rarely count), with spend rising too
  (``spend_trend > 1``); **falling**: the mirror image (``fall_ratio``, fewer purchases, spend
  falling: ``spend_trend < 1``).

Stages, first rule that matches:

1. exploration (考察期): tenure under ``exploration_days``, or a single purchase not older than
   ``gap_factor`` x the median inter-purchase time of the repeat buyers;
2. formation (形成期): tenure under ``formation_days`` (too young for a trend to mean much);
3. decline (退化期): the purchase rate is falling, or the time since the last purchase exceeds
   ``gap_factor`` x the customer's own mean inter-purchase time (one-time buyers: the median of
   the repeat buyers);
4. formation (形成期): the purchase rate is rising;
5. stability (稳定期): otherwise.

All of it is Ibis (window functions and joins), so it runs in the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir
import pandas as pd

if TYPE_CHECKING:
    from valuecrm.analysis.config import AnalysisConfig

TREND_COLUMNS = ("trend_window_days", "recent_purchases", "expected_recent", "rate_trend",
                 "spend_trend")


def _config(config: AnalysisConfig | None) -> AnalysisConfig:
    from valuecrm.analysis.config import AnalysisConfig

    return (config or AnalysisConfig()).validated()


def trend_features(purchases: ir.Table, customers: ir.Table, *, as_of: Any,
                   config: AnalysisConfig | None = None) -> ir.Table:
    """Recent against earlier purchase rate and spend of each customer (see the module doc).

    ``purchases`` has ``customer_id``, ``ordered_at`` and ``amount_signed`` (one row per
    purchase order); ``customers`` has ``customer_id`` and ``tenure_days``. Several orders on
    one day are one purchase. Returns ``customer_id`` and :data:`TREND_COLUMNS`.
    """
    cfg = _config(config)
    as_of_day = ibis.date(pd.Timestamp(as_of).date()).epoch_days()
    days = purchases.group_by(
        customer_id=purchases.customer_id,
        day=purchases.ordered_at.date().epoch_days(),
    ).agg(spend=purchases.amount_signed.sum())
    window = customers.mutate(
        w=ibis.least(ibis.literal(cfg.trend_window_days),
                     (customers.tenure_days // 2).cast("int64")))
    joined = days.join(window, "customer_id")
    age = as_of_day - joined.day  # days before the as-of date
    recent = age < joined.w
    per = joined.group_by("customer_id").agg(
        w=joined.w.max(),
        tenure=joined.tenure_days.max(),
        recent_purchases=joined.count(where=recent),
        earlier_purchases=joined.count(where=~recent),
        recent_spend=joined.spend.sum(where=recent).fill_null(0.0),
        earlier_spend=joined.spend.sum(where=~recent).fill_null(0.0),
        first_spend=joined.spend.argmin(joined.day),
    )
    earlier_days = (per.tenure - per.w).cast("float64")
    usable = (per.w > 0) & (earlier_days > 0)
    expected = ibis.ifelse(usable, (per.earlier_purchases - 1).cast("float64")
                           / earlier_days * per.w, ibis.null("float64"))
    expected_spend = ibis.ifelse(usable, (per.earlier_spend - per.first_spend)
                                 / earlier_days * per.w, ibis.null("float64"))
    return per.select(
        "customer_id",
        trend_window_days=per.w,
        recent_purchases=per.recent_purchases,
        expected_recent=expected,
        rate_trend=per.recent_purchases.cast("float64") / expected.nullif(0.0),
        spend_trend=per.recent_spend / expected_spend.nullif(0.0),
    )


def lifecycle_stage(table: ir.Table, config: AnalysisConfig | None = None) -> ir.Table:
    """``table`` plus ``lifecycle_stage`` (exploration, formation, stability, decline).

    Needs ``tenure_days``, ``days_since_last``, ``n_purchases``, ``recency`` (days from the
    first to the last purchase) and the trend columns of :func:`trend_features`.
    """
    cfg = _config(config)
    t = table
    repeat = t.n_purchases > 1
    own_gap = ibis.ifelse(repeat, t.recency.cast("float64") / (t.n_purchases - 1),
                          ibis.null("float64"))
    median_gap = own_gap.median().over()
    gap = own_gap.fill_null(median_gap)
    long_gap = t.days_since_last > cfg.gap_factor * gap.fill_null(float("inf"))
    expected = t.expected_recent
    recent = t.recent_purchases.cast("float64")
    # a change must be at least min_trend_purchases and trend_z Poisson standard deviations
    margin = ibis.greatest(ibis.literal(float(cfg.min_trend_purchases)),
                           cfg.trend_z * ibis.greatest(expected, 1.0).sqrt())
    rising = (expected.notnull() & (recent >= cfg.rise_ratio * expected)
              & (recent - expected >= margin)
              & (t.spend_trend.fill_null(float("inf")) > 1.0))
    falling = (expected.notnull() & (recent <= cfg.fall_ratio * expected)
               & (expected - recent >= margin)
               & (t.spend_trend.fill_null(0.0) < 1.0))
    stage = ibis.cases(
        ((t.tenure_days < cfg.exploration_days) | (~repeat & ~long_gap), "exploration"),
        (t.tenure_days < cfg.formation_days, "formation"),
        (falling.fill_null(False) | long_gap.fill_null(False), "decline"),
        (rising.fill_null(False), "formation"),
        else_="stability",
    )
    return t.mutate(lifecycle_stage=stage)
