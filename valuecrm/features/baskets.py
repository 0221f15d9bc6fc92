"""Baskets for basket and product analysis: every purchase's items, guest checkouts included.

A basket is one purchase order (:mod:`valuecrm.features.purchases`: status ``completed`` or
missing) of ``orders`` or of ``guest_orders`` (orders without a customer, loaded from
line-level files), and its items are the products on its ``order_lines``, at the product level
or at a level of the catalogue (``category``, ``subcategory``, ``brand``). Returns and
cancelled orders are no baskets. This is the input of association rules
(:func:`valuecrm.association_rules`: ``basket="basket_id", item="item"``): cross-sell counts
all baskets, while whatever is per customer keeps to ``customer_id`` (null on a guest basket).
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from valuecrm.errors import ParameterError
from valuecrm.features.purchases import is_purchase

LEVELS = ("product_id", "category", "subcategory", "brand", "name")


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
