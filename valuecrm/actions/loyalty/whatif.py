"""What a rule set would have done on past orders: the points it issues per order, the tiers
it gives, who qualifies for a visit rule. Ibis expressions over ``orders`` (and, for bonus
categories, ``order_lines`` joined to ``products``).

Points of an order (the rules file's ``earn``): a purchase earns
``floor(points_per_unit x (amount + sum over its lines in a bonus category of line amount x
(multiplier - 1)))``; a return takes back ``floor(points_per_unit x |amount|)``; other orders
earn nothing. Under the generator's planted rules this reproduces its ``earn`` and ``adjust``
entries exactly.
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir

from valuecrm.actions.loyalty.ledger import _until, tiers_as_of, visit_counts, window_start
from valuecrm.actions.loyalty.rules import LoyaltyRules
from valuecrm.features.purchases import order_kind

__all__ = ["order_points", "simulated_tiers", "visit_qualifiers"]

EPSILON = 1e-9  # 0.29 x 100 is 28.999999999999996 in binary floating point


def _bonus_extra(lines: ir.Table, products: ir.Table, rules: LoyaltyRules) -> ir.Table:
    """Per order: the extra amount the bonus categories count (``order_id``, ``extra``)."""
    p = products.filter(products.category.isin(list(rules.bonus_categories)))
    factor = ibis.cases(*((p.category == c, m - 1.0) for c, m in rules.bonus_categories.items()),
                        else_=0.0)
    p = p.select(b_product="product_id", factor=factor)
    j = lines.join(p, lines.product_id == p.b_product)
    return j.group_by("order_id").aggregate(extra=(j.amount.cast("float64") * j.factor).sum())


def order_points(orders: ir.Table, member_ids: ir.Table, rules: LoyaltyRules, *,
                 lines: ir.Table | None = None, products: ir.Table | None = None,
                 as_of: dt.date | str | None = None) -> ir.Table:
    """The points each order of a member earns (or takes back) under ``rules``: ``order_id``,
    ``customer_id``, ``ordered_at``, ``kind`` (purchase or returned), ``points``."""
    o = _until(orders, "ordered_at", as_of).semi_join(member_ids, "customer_id")
    kind = order_kind(o.status) if "status" in o.columns else ibis.literal("purchase")
    o = o.mutate(kind=kind).filter(ibis._.kind != "other")
    amount = o.amount.cast("float64")
    if rules.bonus_categories and lines is not None and products is not None:
        extra = _bonus_extra(lines, products, rules)
        o = o.left_join(extra, "order_id").drop("order_id_right")
        base = amount + o.extra.fill_null(0.0)
    else:
        base = amount
    rate = rules.points_per_unit
    earned = ibis.greatest((base * rate + EPSILON).floor(), 0)
    taken_back = -((amount.abs() * rate + EPSILON).floor())
    o = o.mutate(points=ibis.cases((o.kind == "purchase", earned),
                                   else_=taken_back).cast("int64"))
    return o.select("order_id", "customer_id", "ordered_at", "kind", "points")


def simulated_tiers(ledger: ir.Table, orders: ir.Table, points: ir.Table, rules: LoyaltyRules,
                    as_of: dt.date | str) -> ir.Table:
    """Tiers as of ``as_of`` when members earn ``points`` (of :func:`order_points`)."""
    start = window_start(as_of, rules.tier_window_months)
    if rules.tier_basis == "spend":
        return tiers_as_of(ledger, orders, rules, as_of)
    p = _until(points, "ordered_at", as_of).filter(ibis._.kind == "purchase")
    if start is not None:
        p = p.filter(p.ordered_at >= start.to_pydatetime())
    qualifying = p.group_by("customer_id").aggregate(
        qualifying=p.points.cast("float64").sum())
    return tiers_as_of(ledger, orders, rules, as_of, qualifying=qualifying)


def visit_qualifiers(orders: ir.Table, member_ids: ir.Table, rules: LoyaltyRules,
                     as_of: dt.date | str) -> list[dict[str, object]]:
    """Per visit rule: how many members made its visits in its window up to ``as_of``, and the
    value of the benefit they earn (members x ``value``)."""
    out = []
    for rule in rules.visit_rules:
        counts = visit_counts(orders, member_ids, as_of, rule.window_months)
        n = int(counts.filter(counts.visits >= rule.visits).count().execute())
        out.append({"rule": rule.name, "visits": rule.visits,
                    "window_months": rule.window_months, "members": n,
                    "value_each": rule.value, "cost": n * rule.value})
    return out
