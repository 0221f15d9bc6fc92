"""Customer status by relationship: new, active, at risk, lapsed, lost (流失客户).

Thresholds on the probability that the customer is still active, P(alive) from the purchase model,
and on the days since the last purchase (both in :class:`valuecrm.AnalysisConfig`); the first
rule that matches wins:

1. new: the first purchase is at most ``new_days`` old (too early to judge);
2. lost: P(alive) < ``lost_p_alive`` or no purchase for more than ``lost_days``;
3. lapsed: P(alive) < ``lapsed_p_alive`` or no purchase for more than ``lapsed_days``;
4. at risk: P(alive) < ``at_risk_p_alive`` or no purchase for more than ``at_risk_days``;
5. active: otherwise.

The day limits matter most for one-time buyers, whose BG/NBD P(alive) is 1 whatever their age.
Without a purchase model (P(alive) null) only the day limits apply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir

if TYPE_CHECKING:
    from valuecrm.config import AnalysisConfig


def customer_status(table: ir.Table, config: AnalysisConfig | None = None) -> ir.Table:
    """``table`` plus ``status``; needs ``tenure_days``, ``days_since_last`` and ``p_alive``."""
    from valuecrm.config import AnalysisConfig

    cfg = (config or AnalysisConfig()).validated()
    p = table.p_alive.cast("float64").fill_null(1.0)
    days = table.days_since_last
    status = ibis.cases(
        (table.tenure_days <= cfg.new_days, "new"),
        ((p < cfg.lost_p_alive) | (days > cfg.lost_days), "lost"),
        ((p < cfg.lapsed_p_alive) | (days > cfg.lapsed_days), "lapsed"),
        ((p < cfg.at_risk_p_alive) | (days > cfg.at_risk_days), "at risk"),
        else_="active",
    )
    return table.mutate(status=status)
