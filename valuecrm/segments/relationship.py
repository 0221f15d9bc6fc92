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

from valuecrm.features.money import minor_units

if TYPE_CHECKING:
    from valuecrm.config import AnalysisConfig

KOTLER: dict[tuple[str, str], str] = {
    ("many", "high"): "accountable", ("many", "medium"): "reactive", ("many", "low"): "basic",
    ("medium", "high"): "proactive", ("medium", "medium"): "accountable",
    ("medium", "low"): "reactive",
    ("few", "high"): "partnership", ("few", "medium"): "proactive", ("few", "low"): "accountable",
}


def relationship_level(table: ir.Table, by: str | None = None,
                       config: AnalysisConfig | None = None) -> ir.Table:
    """``table`` plus ``relationship_level``; needs the ``by`` column, ``margin`` and the
    column named by ``config.relationship_value`` (default ``clv``).

    The groups' sizes and mean values come from one grouping of ``table`` (a few rows, one per
    group), joined back by group; the values are summed in whole minor units
    (:mod:`valuecrm.features.money`), so the means, and the levels, are the same in every run
    and on every engine whatever the order of the rows.
    """
    from valuecrm.config import AnalysisConfig

    cfg = (config or AnalysisConfig()).validated()
    by = by or cfg.relationship_by
    decimals = cfg.money_decimals
    basis = cfg.relationship_value
    margin = minor_units(table.margin.cast("float64").fill_null(0.0), decimals)
    chosen = (margin if basis == "margin"
              else minor_units(table[basis].cast("float64").fill_null(0.0), decimals))
    groups = table.group_by(_group=table[by]).aggregate(
        _customers=table.count(), _chosen=chosen.sum(), _margin=margin.sum(),
        _known=table[basis].count())
    # a snapshot without a purchase model has no CLV at all: fall back to the past margin
    has_value = groups._known.sum().over() > 0 if basis == "clv" else ibis.literal(True)
    groups = groups.mutate(
        _total=ibis.ifelse(has_value, groups._chosen, groups._margin).cast("float64"))
    total = groups._total
    customers = groups._customers.cast("float64")
    everyone = customers.sum().over()
    share = customers / everyone
    overall = total.sum().over() / everyone
    ratio = (total / customers) / ibis.ifelse(overall > 0, overall, ibis.null("float64"))
    size = ibis.cases((share >= cfg.many_share, "many"), (share <= cfg.few_share, "few"),
                      else_="medium")
    level = ibis.cases((ratio >= cfg.high_margin_ratio, "high"),
                       (ratio <= cfg.low_margin_ratio, "low"), else_="medium")
    key = size + ":" + level
    levels = groups.select("_group", _level=key.cases(
        *((f"{s}:{m}", name) for (s, m), name in KOTLER.items()), else_="reactive"))
    base = table.drop("relationship_level") if "relationship_level" in table.columns else table
    joined = base.left_join(levels, base[by].identical_to(levels._group))
    return joined.mutate(relationship_level=joined._level).drop("_group", "_level")
