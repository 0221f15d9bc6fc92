"""Suggested relationship level (Kotler, *Marketing Management*): basic, reactive, accountable,
proactive, partnership, chosen by the number of customers and the margin of their segment.

For each group of ``relationship_by`` (default: the RFM segment): its size is "many" when it
holds at least ``many_share`` of the customers, "few" at most ``few_share``, else "medium"; its
margin is "high" when its mean margin per customer is at least ``high_margin_ratio`` times the
overall mean, "low" at most ``low_margin_ratio`` times, else "medium". Kotler's matrix:

============  ===========  ===========  ===========
size/margin   high         medium       low
============  ===========  ===========  ===========
many          accountable  reactive     basic
medium        proactive    accountable  reactive
few           partnership  proactive    accountable
============  ===========  ===========  ===========
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir

if TYPE_CHECKING:
    from valuecrm.analysis.config import AnalysisConfig

KOTLER: dict[tuple[str, str], str] = {
    ("many", "high"): "accountable", ("many", "medium"): "reactive", ("many", "low"): "basic",
    ("medium", "high"): "proactive", ("medium", "medium"): "accountable",
    ("medium", "low"): "reactive",
    ("few", "high"): "partnership", ("few", "medium"): "proactive", ("few", "low"): "accountable",
}


def relationship_level(table: ir.Table, by: str | None = None,
                       config: AnalysisConfig | None = None) -> ir.Table:
    """``table`` plus ``relationship_level``; needs ``margin`` and the ``by`` column."""
    from valuecrm.analysis.config import AnalysisConfig

    cfg = (config or AnalysisConfig()).validated()
    by = by or cfg.relationship_by
    margin = table.margin.cast("float64").fill_null(0.0)
    group = ibis.window(group_by=table[by])
    share = table.count().over(group).cast("float64") / table.count().over().cast("float64")
    overall = margin.mean().over()
    ratio = margin.mean().over(group) / ibis.ifelse(overall > 0, overall, ibis.null("float64"))
    size = ibis.cases((share >= cfg.many_share, "many"), (share <= cfg.few_share, "few"),
                      else_="medium")
    level = ibis.cases((ratio >= cfg.high_margin_ratio, "high"),
                       (ratio <= cfg.low_margin_ratio, "low"), else_="medium")
    key = size + ":" + level
    return table.mutate(relationship_level=key.cases(
        *((f"{s}:{m}", name) for (s, m), name in KOTLER.items()), else_="reactive"))
