"""Baskets for basket and product analysis: every purchase's items, guest checkouts included.

A basket is one purchase order (:mod:`valuecrm.features.purchases`: status ``completed`` or
missing) of ``orders`` or of ``guest_orders`` (orders without a customer, loaded from
line-level files), and its items are the products on its ``order_lines``, at the product level
or at a level of the catalogue (``category``, ``subcategory``, ``brand``, ``department``).
Returns and cancelled orders are no baskets. This is the input of association rules
(:func:`valuecrm.association_rules`: ``basket="basket_id", item="item"``): cross-sell counts
all baskets, while whatever is per customer keeps to ``customer_id`` (null on a guest basket).
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from valuecrm.errors import ParameterError
from valuecrm.features.money import money_sum
from valuecrm.features.purchases import is_purchase

LEVELS = ("product_id", "category", "subcategory", "brand", "department", "name")


def basket_items(database: Any, level: str = "product_id") -> ir.Table:
    """Distinct (``basket_id``, ``item``) of every purchase, with its ``customer_id`` (null for
    a guest) and ``ordered_at``; items without a value at ``level`` are left out."""
    if level not in LEVELS:
        raise ParameterError.of("level", "basket_items", "one of " + ", ".join(LEVELS), level)
    orders = database.table("orders")
    guests = database.table("guest_orders")
    heads = orders.filter(is_purchase(orders.status)).select(
        "order_id", customer_id=orders.customer_id.cast("string"),
        ordered_at=orders.ordered_at).union(
        guests.filter(is_purchase(guests.status)).select(
            "order_id", customer_id=ibis.null("string"), ordered_at=guests.ordered_at))
    lines = database.table("order_lines").select("order_id", "product_id")
    if level != "product_id":
        products = database.table("products").select("product_id", level)
        lines = lines.join(products, "product_id").select("order_id", product_id=products[level])
    items = lines.filter(lines.product_id.notnull()).join(heads, "order_id")
    return items.select(basket_id=items.order_id, item=items.product_id,
                        customer_id=items.customer_id, ordered_at=items.ordered_at).distinct()


def _purchase_lines(database: Any, level: str, up_to: Any = None) -> ir.Table:
    """Lines of purchase orders (customers' and guests'): ``customer_id`` (null for a guest),
    ``item`` at ``level``, ``amount``, ``cost``, ``quantity``; ``up_to``: orders before it."""
    if level not in LEVELS:
        raise ParameterError.of("level", "basket_items", "one of " + ", ".join(LEVELS), level)
    orders, guests = database.table("orders"), database.table("guest_orders")
    heads = orders.filter(is_purchase(orders.status)).select(
        "order_id", customer_id=orders.customer_id.cast("string"), ordered_at=orders.ordered_at
    ).union(guests.filter(is_purchase(guests.status)).select(
        "order_id", customer_id=ibis.null("string"), ordered_at=guests.ordered_at))
    if up_to is not None:
        heads = heads.filter(heads.ordered_at < ibis.timestamp(up_to))
    lines = database.table("order_lines")
    products = database.table("products")
    joined = lines.join(heads, "order_id").join(products, lines.product_id == products.product_id)
    item = lines.product_id if level == "product_id" else products[level]
    return joined.select(customer_id=heads.customer_id, item=item,
                         amount=lines.amount.cast("float64"), cost=lines.cost.cast("float64"),
                         quantity=lines.quantity.cast("float64")).filter(
        lambda t: t.item.notnull())


def item_margins(database: Any, level: str = "product_id", up_to: Any = None) -> ir.Table:
    """Per item at ``level``: ``margin``, the margin per unit sold on purchase lines,
    sum(amount - cost) / sum(quantity) over the lines with a cost and a quantity (orders
    before ``up_to`` when given); the money summed exactly, so ties rank the same every run."""
    lines = _purchase_lines(database, level, up_to)
    lines = lines.filter(lines.cost.notnull() & lines.amount.notnull()
                         & (lines.quantity > 0))
    return lines.group_by("item").aggregate(
        margin=money_sum(lines.amount - lines.cost) / lines.quantity.sum())


def customer_item_spend(database: Any, level: str = "category", up_to: Any = None
                        ) -> ir.Table:
    """Per customer and item at ``level``: ``spend``, the amount of their purchase lines
    (before ``up_to`` when given); guests are left out."""
    lines = _purchase_lines(database, level, up_to)
    lines = lines.filter(lines.customer_id.notnull())
    return lines.group_by(["customer_id", "item"]).aggregate(
        spend=lines.amount.fill_null(0.0).sum())
