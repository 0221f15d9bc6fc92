"""The value table's rows of an analysis: the customers' history and scores plus their labels
(status, lifecycle stage, quadrant and strategy, value class, tier, loyalty stage,
relationship level), as one Ibis expression computed in the engine."""

from __future__ import annotations

from typing import Any

from valuecrm.config import AnalysisConfig
from valuecrm.segments.ladder import loyalty_stage
from valuecrm.segments.lifecycle import lifecycle_stage_of
from valuecrm.segments.matrix import growth_potential, quadrant_of, strategy_of, value_class_of
from valuecrm.segments.pyramid import pyramid_tier_of
from valuecrm.segments.relationship import relationship_level
from valuecrm.segments.status import customer_status
from valuecrm.store.snapshots import VALUE_COLUMNS

__all__ = ["LABEL_INPUTS", "LABEL_OUTPUTS", "labelled_rows", "labels_of"]

LABEL_INPUTS = ("customer_id", "tenure_days", "days_since_last", "n_purchases", "recency",
                "p_alive", "clv", "current_value", "margin", "net_value", "categories_bought",
                "loyalty_member", "referrals", "rfm_segment", "rfm_class",
                "trend_statistic", "silence_probability", "spend_trend")
LABEL_OUTPUTS = ("status", "lifecycle_stage", "cross_buy_headroom", "growth_potential",
                 "quadrant", "strategy", "tier", "value_class", "loyalty_stage",
                 "relationship_level")


def labelled_rows(table: Any, n_categories: int, cfg: AnalysisConfig, keep: Any) -> Any:
    """The value table's rows (an Ibis expression): ``table`` plus the labels.

    The labels need whole-base windows (medians, ranks) and group shares; computed on the few
    columns they read and stored, they cost a fraction of what they cost on the wide table.
    The relationship level is computed on the stored labels (its groups are one grouping of
    them, joined back).
    """
    inputs = table.select(*LABEL_INPUTS)
    carried = [c for c in dict.fromkeys((cfg.relationship_by, cfg.relationship_value, "margin",
                                         "clv")) if c not in LABEL_OUTPUTS]
    labelled = keep("labels", labels_of(inputs, n_categories, cfg).select(
        "customer_id", *[c for c in LABEL_OUTPUTS if c != "relationship_level"], *carried))
    labels = relationship_level(labelled, cfg.relationship_by, cfg).select(
        "customer_id", *LABEL_OUTPUTS)
    rows = table.drop(*[c for c in LABEL_OUTPUTS if c in table.columns]).join(labels,
                                                                             "customer_id")
    columns = [c for c in VALUE_COLUMNS if c not in ("snapshot_id", "as_of")]
    return rows.select(*columns)


def labels_of(table: Any, n_categories: int, cfg: AnalysisConfig) -> Any:
    """Every label but the relationship level. The whole-base ones (lifecycle stage, quadrant,
    value class, tier) are computed in one select, so the engine reads the customers once for
    the medians and sorts them once per ranking (current value: value class and tier alike,
    growth potential)."""
    table = customer_status(table, cfg)
    table = growth_potential(table, n_categories=n_categories, config=cfg)
    table = table.mutate(
        lifecycle_stage=lifecycle_stage_of(table, cfg),
        quadrant=quadrant_of(table, cfg),
        value_class=value_class_of(table, cfg),
        tier=pyramid_tier_of(table[cfg.pyramid_value], cfg.tier_shares,
                             money_decimals=cfg.money_decimals),
    )
    table = table.mutate(strategy=strategy_of(table.quadrant))
    return loyalty_stage(table, cfg)
