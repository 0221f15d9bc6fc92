"""Up-sell: a dearer, more profitable product in a category the customer already buys.

The rule (up-selling as "the purchase of a higher-priced, higher-margin version of what the
customer already buys", Kamakura, Wedel, de Rosa & Mazzon, 2003, "Cross-selling through
database marketing", IJRM 20(1); Blattberg, Kim & Neslin, 2008, Database Marketing, ch. 21):

1. In each category the customer has bought, the *reference* is the dearest product they
   bought there (by list price; ties by product id).
2. The candidates are the category's products they have not bought whose list price is above
   the reference's but at most ``max_step`` times it (a step up, not a leap), and whose unit
   margin (list price - unit cost) is above the reference's.
3. In each category the candidate with the largest margin gain per unit is kept (ties: the
   cheaper, then the product id); a customer's categories are ranked by that gain and the
   first ``top`` kept.

Products without a list price or a unit cost have no known margin and are never offered.
Computed in the engine (joins and a window rank); only the kept rows leave it.
"""

from __future__ import annotations

from collections.abc import Iterator

import ibis
import ibis.expr.types as ir
import pandas as pd

from valuecrm.actions.list_chunks import CHUNK, frame_chunks
from valuecrm.errors import ParameterError, SchemaError

UP_SELL_COLUMNS = ["customer_id", "rank", "product", "category", "unit_price", "unit_margin",
                   "instead_of", "reference_price", "margin_gain"]
UP_SELL_RULE = ("in a category the customer buys, a product they have not bought priced above "
                "the dearest one they bought there (at most {step:g} times its price) with a "
                "higher unit margin (list price - unit cost); the largest margin gain per "
                "category, categories ranked by that gain")
_OWNER = "up_sell_products"


def up_sell_products(bought: pd.DataFrame | ir.Table, products: pd.DataFrame | ir.Table, *,
                     top: int = 3, max_step: float = 2.0, category: str = "category",
                     customer: str = "customer_id", product: str = "product_id"
                     ) -> pd.DataFrame:
    """Up to ``top`` up-sell suggestions per customer (see the module docstring for the rule).

    ``bought``: one row per product a customer bought (``customer``, ``product``; repeats and
    rows without a customer are ignored). ``products``: the catalogue with ``product``,
    ``category``, ``unit_price`` and ``unit_cost``. One row per suggestion:
    :data:`UP_SELL_COLUMNS`. :func:`up_sell_table` is the same list in the engine
    (``export_list`` streams it to a file) and :func:`up_sell_products_chunks` the same frame
    a chunk at a time.
    """
    return _typed(up_sell_table(bought, products, top=top, max_step=max_step,
                                category=category, customer=customer, product=product)
                  .to_pandas())


def up_sell_products_chunks(bought: pd.DataFrame | ir.Table, products: pd.DataFrame | ir.Table,
                            *, top: int = 3, max_step: float = 2.0, category: str = "category",
                            customer: str = "customer_id", product: str = "product_id",
                            size: int = CHUNK) -> Iterator[pd.DataFrame]:
    """:func:`up_sell_products` as frames of at most ``size`` suggestions, in its order
    (:mod:`valuecrm.actions.list_chunks`: one chunk in memory at a time; concatenated, the
    whole frame). The settings are checked now."""
    table = up_sell_table(bought, products, top=top, max_step=max_step, category=category,
                          customer=customer, product=product)
    return frame_chunks(table, size, owner="up_sell_products_chunks", finish=_typed)


def _typed(found: pd.DataFrame) -> pd.DataFrame:
    found["rank"] = found["rank"].astype("int64")
    return found.reset_index(drop=True)


def up_sell_table(bought: pd.DataFrame | ir.Table, products: pd.DataFrame | ir.Table, *,
                  top: int = 3, max_step: float = 2.0, category: str = "category",
                  customer: str = "customer_id", product: str = "product_id") -> ir.Table:
    """:func:`up_sell_products` as an Ibis expression ordered by customer and rank (the list
    stays in the engine: the interfaces page it and stream it to files)."""
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ParameterError.of("top", _OWNER, "an integer >= 1", top)
    if isinstance(max_step, bool) or not isinstance(max_step, int | float) or not max_step > 1:
        raise ParameterError.of("max_step", _OWNER, "a number > 1 (the most a suggestion may "
                                "cost, as a multiple of the dearest product bought)", max_step)
    held = ibis.memtable(bought) if isinstance(bought, pd.DataFrame) else bought
    catalogue = ibis.memtable(products) if isinstance(products, pd.DataFrame) else products
    for name, table, columns in (("bought", held, (customer, product)),
                                 ("products", catalogue,
                                  (product, category, "unit_price", "unit_cost"))):
        missing = [c for c in columns if c not in table.columns]
        if missing:
            raise SchemaError(f"The {name} table has no column {', '.join(map(repr, missing))}.",
                              hint="Give customer_id and product_id of what was bought, and "
                                   "the products with category, unit_price and unit_cost.")
    priced = catalogue.select(p=catalogue[product], k=catalogue[category],
                              price=catalogue.unit_price.cast("float64"),
                              margin=(catalogue.unit_price - catalogue.unit_cost)
                              .cast("float64"))
    priced = priced.filter(priced.p.notnull() & priced.k.notnull() & priced.price.notnull()
                           & priced.margin.notnull())
    owned = (held.select(c=held[customer], p=held[product])
             .filter(lambda t: t.c.notnull() & t.p.notnull()).distinct())
    had = owned.join(priced, "p")
    reference = had.mutate(at=ibis.row_number().over(
        group_by=[had.c, had.k], order_by=[ibis.desc(had.price), had.p]))
    reference = reference.filter(reference.at == 0).select(
        "c", "k", ref=reference.p, ref_price=reference.price, ref_margin=reference.margin)
    offer = priced.view()
    pairs = reference.join(offer, [reference.k == offer.k, offer.price > reference.ref_price,
                                   offer.price <= reference.ref_price * max_step,
                                   offer.margin > reference.ref_margin])
    pairs = pairs.select(reference.c, reference.k, reference.ref, reference.ref_price,
                         reference.ref_margin, offer.p, offer.price, offer.margin)
    pairs = pairs.anti_join(owned, ["c", "p"])
    pairs = pairs.mutate(gain=pairs.margin - pairs.ref_margin)
    best = pairs.mutate(at=ibis.row_number().over(
        group_by=[pairs.c, pairs.k], order_by=[ibis.desc(pairs.gain), pairs.price, pairs.p]))
    best = best.filter(best.at == 0)
    ranked = best.mutate(rank=ibis.row_number().over(
        group_by=best.c, order_by=[ibis.desc(best.gain), best.k]) + 1)
    found = ranked.filter(ranked["rank"] <= top)
    found = found.select(customer_id=found.c, rank=found["rank"].cast("int64"),
                         product=found.p, category=found.k, unit_price=found.price,
                         unit_margin=found.margin, instead_of=found.ref,
                         reference_price=found.ref_price, margin_gain=found.gain)
    return found.order_by("customer_id", "rank")
