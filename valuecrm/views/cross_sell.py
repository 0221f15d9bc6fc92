"""Cross-sell and up-sell as the interfaces show them: association rules at a level of the
catalogue, the next best products and up-sell offers per customer, and cross-buying by segment.

Baskets are every purchase order, guest checkouts included
(:func:`valuecrm.features.baskets.basket_items`), up to the as-of day of the latest snapshot
when there is one (so the answers agree with the other pages and are kept per snapshot), else
every order. Rules, counts and cross-buying hold no personal data (every role sees them); the
per-customer lists (customer ids and what to offer them) are for analysts and admins.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import ibis
import pandas as pd

from valuecrm.errors import NotFoundError, ParameterError
from valuecrm.views._plain import plain, records
from valuecrm.views.answer_cache import kept
from valuecrm.views.stored_lists import (
    StoredList,
    distinct_count,
    list_rows,
    store_list,
    write_list,
)

# the words the interfaces take for a level of the catalogue -> the column of basket_items
LEVELS = {"product": "product_id", "type": "subcategory", "subcategory": "subcategory",
          "category": "category", "brand": "brand", "department": "department"}
LEVEL_WORDS = "product, type (the sub-category), category, brand or department"
RULES_METHOD = ("association rules (Agrawal, Imielinski & Swami 1993) from frequent itemsets "
                "counted in the database (Apriori, Agrawal & Srikant 1994), one item on the "
                "right as arules makes them; thresholds inclusive")
NEXT_BEST_METHOD = ("rules whose whole antecedent the customer bought and whose consequent "
                    "they did not, scored by confidence x the item's margin per unit on the "
                    "orders up to the snapshot's day (ties by lift); a customer with one "
                    "purchase gets the items most often bought with theirs (item-to-item "
                    "co-occurrence, each item's 20 most frequent partners)")
SOURCE = "orders, guest_orders, order_lines, products (purchase orders, guests included)"


def level_column(level: str) -> str:
    """The ``basket_items`` column of a level word; an unknown word is a ParameterError."""
    if level not in LEVELS:
        raise ParameterError.of("level", "the cross-sell views", f"one of {LEVEL_WORDS}", level)
    return LEVELS[level]


def _as_of(database: Any) -> dt.date | None:
    from valuecrm.store.snapshots import get_snapshot

    try:
        return get_snapshot(database, None).as_of
    except NotFoundError:
        return None


def _end(as_of: dt.date | None) -> dt.datetime | None:
    """The first moment after the as-of day (None: no bound)."""
    return None if as_of is None else dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())


def _baskets(database: Any, level: str, as_of: dt.date | None) -> Any:
    from valuecrm.features.baskets import basket_items

    items = basket_items(database, level_column(level))
    end = _end(as_of)
    return items if end is None else items.filter(items.ordered_at < end)


def _keep(database: Any, name: str, compute: Any, as_of: dt.date | None, *args: Any) -> Any:
    """Kept per snapshot when the baskets stop at a snapshot's day; else computed each time."""
    return compute() if as_of is None else kept(database, name, compute, as_of, *args)


def product_names(database: Any, ids: Any) -> dict[str, str]:
    """Product id -> its stored name, for the ``ids`` given (ids without a name are left
    out: the interfaces then show the id alone)."""
    import ibis

    wanted = pd.DataFrame({"product_id": pd.Series(list(ids), dtype=object).astype(str)
                           .drop_duplicates()})
    if wanted.empty:
        return {}
    products = database.table("products")
    found = (products.filter(products.name.notnull())
             .semi_join(ibis.memtable(wanted), "product_id")
             .select("product_id", "name").to_pandas())
    return dict(zip(found["product_id"].astype(str), found["name"].astype(str), strict=True))


def _named(ids: Any, names: dict[str, str]) -> str:
    """Items joined with " + ", each by its name where the product has one."""
    return " + ".join(names.get(str(i), str(i)) for i in ids)


def _settings(level: str, min_support: float, min_confidence: float, max_len: int | None,
              as_of: dt.date | None) -> dict[str, Any]:
    return {"level": level, "min_support": min_support, "min_confidence": min_confidence,
            "max_len": max_len, "as_of": as_of, "source": SOURCE}


def rules(database: Any, *, level: str = "category", min_support: float = 0.01,
          min_confidence: float = 0.0, max_len: int | None = 2, top: int | None = 50
          ) -> dict[str, Any]:
    """Association rules of the baskets at ``level``: ``rules`` (the first ``top`` by lift,
    then confidence, then support; at the product level with ``antecedent_names`` and
    ``consequent_name``), ``n_rules`` (all), ``n_baskets``, the settings and the method."""
    from valuecrm.mining import association_rules

    level_column(level)
    as_of = _as_of(database)

    def compute() -> dict[str, Any]:
        baskets = _baskets(database, level, as_of)
        found = association_rules(baskets, min_support=min_support,
                                  min_confidence=min_confidence, max_len=max_len)
        n_baskets = int(baskets.basket_id.nunique().to_pyarrow().as_py() or 0)
        shown = found if top is None else found.head(top).copy()
        if level == "product":  # the products' names beside their ids
            names = product_names(database, {i for items in shown["antecedent"] for i in items}
                                  | set(shown["consequent"]))
            shown["antecedent_names"] = shown["antecedent"].map(
                lambda items: [names.get(str(i), str(i)) for i in items])
            shown["consequent_name"] = shown["consequent"].map(
                lambda item: names.get(str(item), str(item)))
        return plain({**_settings(level, min_support, min_confidence, max_len, as_of),
                      "n_baskets": n_baskets, "n_rules": len(found),
                      "method": RULES_METHOD, "rules": records(shown)})

    return _keep(database, "cross_sell.rules", compute, as_of, level, min_support,
                 min_confidence, max_len, top)


def next_best(database: Any, *, level: str = "product", min_support: float = 0.001,
              min_confidence: float = 0.1, max_len: int | None = 3, top: int = 3,
              offset: int = 0, limit: int | None = None) -> dict[str, Any]:
    """The next best products of every customer (:func:`valuecrm.next_best_products`) at
    ``level``, from the rules at these thresholds; ``customers``: rows ``offset`` to
    ``offset + limit`` (all without ``limit``), one per suggestion (customer id, rank,
    product, score, confidence, lift, margin, source, because); ``rows``: all of them.
    Customer ids: for analysts and admins. The list is kept as a file per snapshot
    (:mod:`valuecrm.views.stored_lists`)."""
    stored = stored_next_best(database, level=level, min_support=min_support,
                              min_confidence=min_confidence, max_len=max_len, top=top)
    return plain({**_settings(level, min_support, min_confidence, max_len, _as_of(database)),
                  "n_rules": stored.facts["n_rules"], "rows": stored.rows,
                  "customers_reached": stored.facts["customers_reached"],
                  "method": NEXT_BEST_METHOD, "columns": list(stored.columns),
                  "offset": offset, "limit": limit,
                  "customers": list_rows(database, stored, offset, limit)})


def _reached(database: Any, stored: StoredList) -> dict[str, Any]:
    return {"customers_reached": distinct_count(database, stored, "customer_id")}


def stored_next_best(database: Any, *, level: str = "product", min_support: float = 0.001,
                     min_confidence: float = 0.1, max_len: int | None = 3, top: int = 3
                     ) -> StoredList:
    """The list of :func:`next_best`, kept as a file per snapshot."""
    from valuecrm.actions.cross_sell import next_best_table
    from valuecrm.features.baskets import item_margins
    from valuecrm.mining import association_rules

    column = level_column(level)
    as_of = _as_of(database)

    def build() -> tuple[Any, dict[str, Any]]:
        baskets = _baskets(database, level, as_of)
        found = association_rules(baskets, min_support=min_support,
                                  min_confidence=min_confidence, max_len=max_len)
        margins = item_margins(database, column, _end(as_of)).to_pandas().set_index(
            "item")["margin"]
        lines = baskets.select("customer_id", "basket_id", "item")
        names = ((lambda ids: product_names(database, ids)) if level == "product"
                 else None)  # at the product level, the products' names beside their ids
        return (next_best_table(lines, found, top=top, margins=margins, names=names),
                {"n_rules": len(found)})

    return store_list(database, "cross_sell.next_best", build, as_of, level, min_support,
                      min_confidence, max_len, top,
                      facts=lambda stored: _reached(database, stored))


def up_sell(database: Any, *, top: int = 3, max_step: float = 2.0, offset: int = 0,
            limit: int | None = None) -> dict[str, Any]:
    """Up-sell offers per customer (:func:`valuecrm.actions.up_sell.up_sell_products`, the
    rule in ``rule``) from the products they bought: ``customers`` holds rows ``offset`` to
    ``offset + limit`` (all without ``limit``), ``rows`` all of them; customer ids: for
    analysts and admins. The list is kept as a file per snapshot."""
    from valuecrm.actions.up_sell import UP_SELL_RULE

    stored = stored_up_sell(database, top=top, max_step=max_step)
    return plain({"as_of": _as_of(database), "max_step": max_step, "top": top,
                  "rows": stored.rows, "customers_reached": stored.facts["customers_reached"],
                  "rule": UP_SELL_RULE.format(step=max_step),
                  "source": "order_lines of purchase orders, products (unit_price, "
                            "unit_cost)",
                  "columns": list(stored.columns), "offset": offset, "limit": limit,
                  "customers": list_rows(database, stored, offset, limit)})


def stored_up_sell(database: Any, *, top: int = 3, max_step: float = 2.0) -> StoredList:
    """The list of :func:`up_sell`, kept as a file per snapshot."""
    from valuecrm.actions.up_sell import up_sell_table

    as_of = _as_of(database)

    def build() -> tuple[Any, dict[str, Any]]:
        bought = _baskets(database, "product", as_of).select(
            "customer_id", product_id="item")
        table = up_sell_table(bought, database.table("products"), top=top,
                              max_step=max_step)
        return _with_names(database, table, ("product", "instead_of")), {}

    return store_list(database, "cross_sell.up_sell", build, as_of, top, max_step,
                      facts=lambda stored: _reached(database, stored))


def _with_names(database: Any, table: Any, columns: tuple[str, ...]) -> Any:
    """``table`` with ``<column>_name`` after each of ``columns`` (product ids): the product's
    stored name, its id when it has none (joined in the engine)."""
    products = database.table("products")
    named = products.filter(products.name.notnull()).select(
        n_id=products.product_id.cast("string"), n_name=products.name.cast("string"))
    order: list[str] = []
    for column in table.columns:
        order.append(column)
        if column in columns:
            order.append(f"{column}_name")
    for column in columns:
        these = named.rename(**{f"{column}_id": "n_id", f"{column}_label": "n_name"})
        table = table.left_join(these, table[column].cast("string") == these[f"{column}_id"])
        table = table.mutate(**{f"{column}_name": ibis.coalesce(
            table[f"{column}_label"], table[column].cast("string"))})
    return table.select(*order).order_by("customer_id", "rank")


def export_offers(database: Any, kind: str, target: str | Path, **settings: Any) -> int:
    """Stream the whole list of :func:`next_best` (``kind`` "next-best") or :func:`up_sell`
    ("up-sell") at these ``settings`` to ``target`` (``.csv`` with a BOM, or ``.parquet``):
    one row per customer and offer, ``customer_id`` first, the campaign list that
    ``valuecrm campaign assign --customers`` reads; the rows written."""
    stored = (stored_next_best(database, **settings) if kind == "next-best"
              else stored_up_sell(database, **settings))
    return write_list(database, stored, target)


def cross_buying(database: Any, snapshot: int | str | None = None,
                 by: str = "rfm_segment") -> dict[str, Any]:
    """Cross-buying KPIs (more, deeper: 多、深) of a snapshot: ``figures`` for the whole base
    (mean categories bought, share buying two or more, coverage of the catalogue, main-category
    share), ``by_segment`` (the same per group of ``by``) and ``distribution`` (customers by
    categories bought), with ``methods``. No personal data."""
    from valuecrm.reports.cross_buying import METHODS
    from valuecrm.reports.cross_buying import cross_buying as compute_cross_buying
    from valuecrm.store.snapshots import get_snapshot

    found = get_snapshot(database, snapshot)

    def compute() -> dict[str, Any]:
        result = compute_cross_buying(database, found.snapshot_id, by=by)
        return plain({"snapshot_id": result.snapshot_id, "as_of": result.as_of, "by": by,
                      "n_categories": result.n_categories, "figures": result.figures,
                      "by_segment": records(result.by_segment),
                      "distribution": records(result.distribution), "methods": METHODS})

    return kept(database, "cross_sell.cross_buying", compute, found.snapshot_id, by)
