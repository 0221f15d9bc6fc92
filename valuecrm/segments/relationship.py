"""Suggested relationship level (Kotler, *Marketing Management*, "relationship levels as a
function of profit margin and number of customers"): basic, reactive, accountable, proactive,
partnership, chosen by the number of customers of a segment and the margin each brings.

Kotler's margin is what the relationship will earn, so the margin axis weighs the value the
relationship can still bring, not only what it brought: by default the customer's CLV
(``relationship_value="clv"``: the discounted margin expected over the horizon, which already
weighs P(alive); Gupta & Lehmann 2003), so a segment of customers who spent much but have most
likely left (P(alive) near 0, CLV near 0) is "low", however large its past margin. When the
snapshot has no CLV (no purchase model could be fitted) the historic ``margin`` stands in, and
``relationship_value="margin"`` (or ``"current_value"``) chooses the older, backward-looking
reading on purpose.

For each group of ``relationship_by`` (default: the RFM segment): its size is "many" when it
holds at least ``many_share`` of the customers, "few" at most ``few_share``, else "medium"; its
value is "high" when its mean value per customer is at least ``high_margin_ratio`` times the
overall mean, "low" at most ``low_margin_ratio`` times, else "medium". Kotler's matrix:

============  ===========  ===========  ===========
size/value    high         medium       low
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
    from valuecrm.config import AnalysisConfig

KOTLER: dict[tuple[str, str], str] = {
    ("many", "high"): "accountable", ("many", "medium"): "reactive", ("many", "low"): "basic",
    ("medium", "high"): "proactive", ("medium", "medium"): "accountable",
    ("medium", "low"): "reactive",
    ("few", "high"): "partnership", ("few", "medium"): "proactive", ("few", "low"): "accountable",
}


def relationship_value(table: ir.Table, basis: str) -> ir.FloatingValue:
    """The value each customer's relationship is judged on: ``basis`` (``clv``, ``margin`` or
    ``current_value``), or the historic ``margin`` when no customer has a CLV."""
    margin = table.margin.cast("float64").fill_null(0.0)
    if basis == "margin":
        return margin
    chosen = table[basis].cast("float64")
    if basis != "clv":
        return chosen.fill_null(0.0)
    # a snapshot without a purchase model has no CLV at all: fall back to the past margin
    return ibis.ifelse(chosen.count().over() > 0, chosen.fill_null(0.0), margin)


def relationship_level(table: ir.Table, by: str | None = None,
                       config: AnalysisConfig | None = None) -> ir.Table:
    """``table`` plus ``relationship_level``; needs the ``by`` column, ``margin`` and the
    column named by ``config.relationship_value`` (default ``clv``)."""
    from valuecrm.config import AnalysisConfig

    cfg = (config or AnalysisConfig()).validated()
    by = by or cfg.relationship_by
    t = table.mutate(_relationship_value=relationship_value(table, cfg.relationship_value))
    value = t._relationship_value
    group = ibis.window(group_by=t[by])
    share = t.count().over(group).cast("float64") / t.count().over().cast("float64")
    overall = value.mean().over()
    ratio = value.mean().over(group) / ibis.ifelse(overall > 0, overall, ibis.null("float64"))
    size = ibis.cases((share >= cfg.many_share, "many"), (share <= cfg.few_share, "few"),
                      else_="medium")
    level = ibis.cases((ratio >= cfg.high_margin_ratio, "high"),
                       (ratio <= cfg.low_margin_ratio, "low"), else_="medium")
    key = size + ":" + level
    return t.mutate(relationship_level=key.cases(
        *((f"{s}:{m}", name) for (s, m), name in KOTLER.items()), else_="reactive")
    ).drop("_relationship_value")
