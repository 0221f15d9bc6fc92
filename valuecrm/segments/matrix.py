"""The customer value matrix (客户价值矩阵) and the MVC / MGC / BZ classes.

Value matrix: current value x growth potential (增值潜力), four quadrants with their strategy:

- current value: the margin of the last ``current_value_days`` (``current_value``);
- growth potential = max(CLV - current value x horizon / 12, 0) + cross-buying headroom, where
  CLV is the predicted discounted margin over the horizon (``clv``; 0 when no model) and the
  headroom is ``cross_sell_weight`` x (current value per category bought) x (categories of the
  catalogue not yet bought): the value the customer would add by buying in a share
  ``cross_sell_weight`` of the missing categories as they buy in theirs (0 without order lines);
- each axis is high when strictly above its mean or median (``matrix_cut``) over the customers,
  both read at the currency's precision (``money_decimals``; the mean taken over whole minor
  units, see :mod:`valuecrm.features.money`), so the quadrant never depends on float noise;
  high/high: invest, high value/low potential: maintain, low/high: develop, low/low: reduce.

MVC / MGC / BZ (Peppers & Rogers): BZ (below zero) when margin minus cost to serve
(``net_value``) is negative; else MVC when in the top ``mvc_share`` by current value (and above
0); else MGC when in the top ``mgc_share`` by growth potential (and above 0); else other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir

from valuecrm.features.money import money, money_mean
from valuecrm.segments.pyramid import top_share

if TYPE_CHECKING:
    from valuecrm.config import AnalysisConfig

STRATEGY_OF = {
    "high value, high potential": "invest",
    "high value, low potential": "maintain",
    "low value, high potential": "develop",
    "low value, low potential": "reduce",
}


def _config(config: AnalysisConfig | None) -> AnalysisConfig:
    from valuecrm.config import AnalysisConfig

    return (config or AnalysisConfig()).validated()


def growth_potential(table: ir.Table, *, n_categories: int,
                     config: AnalysisConfig | None = None) -> ir.Table:
    """``table`` plus ``cross_buy_headroom`` and ``growth_potential`` (see the module doc).

    Needs ``current_value``, ``clv`` (may be null) and ``categories_bought``; ``n_categories``
    is the number of categories in the catalogue.
    """
    cfg = _config(config)
    current = table.current_value.cast("float64").fill_null(0.0)
    bought = table.categories_bought.cast("float64").fill_null(0.0)
    missing = ibis.greatest(ibis.literal(float(n_categories)) - bought, 0.0)
    per_category = ibis.greatest(current, 0.0) / ibis.greatest(bought, 1.0)
    headroom = ibis.ifelse(bought > 0, cfg.cross_sell_weight * per_category * missing, 0.0)
    beyond = ibis.greatest(table.clv.cast("float64").fill_null(0.0)
                           - current * (cfg.horizon_months / 12.0), 0.0)
    return table.mutate(cross_buy_headroom=headroom, growth_potential=beyond + headroom)


def value_quadrant(table: ir.Table, config: AnalysisConfig | None = None) -> ir.Table:
    """``table`` plus ``quadrant`` and ``strategy``.

    Needs ``current_value`` and ``growth_potential``.
    """
    with_quadrant = table.mutate(quadrant=quadrant_of(table, config))
    return with_quadrant.mutate(strategy=strategy_of(with_quadrant.quadrant))


def quadrant_of(table: ir.Table, config: AnalysisConfig | None = None) -> ir.StringValue:
    """The ``quadrant`` column of :func:`value_quadrant`, as an expression over ``table``."""
    cfg = _config(config)
    decimals = cfg.money_decimals
    current = money(table.current_value.cast("float64").fill_null(0.0), decimals)
    growth = money(table.growth_potential.cast("float64").fill_null(0.0), decimals)
    if cfg.matrix_cut == "mean":
        current_cut = money_mean(current, decimals).over()
        growth_cut = money_mean(growth, decimals).over()
    else:
        current_cut, growth_cut = current.median().over(), growth.median().over()
    high_value, high_growth = current > current_cut, growth > growth_cut
    return ibis.cases(
        (high_value & high_growth, "high value, high potential"),
        (high_value, "high value, low potential"),
        (high_growth, "low value, high potential"),
        else_="low value, low potential",
    )


def strategy_of(quadrant: ir.StringValue) -> ir.StringValue:
    """The strategy of each quadrant (invest, maintain, develop, reduce)."""
    return quadrant.cases(*STRATEGY_OF.items(), else_="reduce")


def value_class(table: ir.Table, config: AnalysisConfig | None = None) -> ir.Table:
    """``table`` plus ``value_class`` (MVC, MGC, BZ or other).

    Needs ``net_value``, ``current_value`` and ``growth_potential``.
    """
    return table.mutate(value_class=value_class_of(table, config))


def value_class_of(table: ir.Table, config: AnalysisConfig | None = None) -> ir.StringValue:
    """The ``value_class`` column of :func:`value_class`, as an expression over ``table``.

    The shares rank the columns themselves, by the same expression as
    :func:`~valuecrm.segments.pyramid.pyramid_tier`, so an engine that computes both in one
    pass sorts the customers by current value once.
    """
    cfg = _config(config)
    decimals = cfg.money_decimals
    current = money(table.current_value.cast("float64").fill_null(0.0), decimals)
    growth = money(table.growth_potential.cast("float64").fill_null(0.0), decimals)
    net = money(table.net_value.cast("float64").fill_null(0.0), decimals)
    return ibis.cases(
        (net < 0, "BZ"),
        (top_share(table.current_value, cfg.mvc_share, decimals) & (current > 0), "MVC"),
        (top_share(table.growth_potential, cfg.mgc_share, decimals) & (growth > 0), "MGC"),
        else_="other",
    )
