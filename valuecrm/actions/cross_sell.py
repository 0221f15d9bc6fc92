"""Cross-sell: the next best products for each customer (``next_best_products``).

A customer is offered the consequents of the association rules whose whole antecedent they have
bought and whose consequent they have not (Agrawal, Imielinski & Swami, 1993, read as
recommendations as in Sarwar, Karypis, Konstan & Riedl, 2000, "Analysis of recommendation
algorithms for e-commerce", ACM EC), scored by the rule's confidence (the chance a basket with
the antecedent holds the product) times the product's margin when margins are given, ties by
lift; a product whose margin is below 0 (sold at a loss) is not offered. A customer with a
single purchase has too little history for most rules: they get the products bought most often
together with what they bought (item-to-item co-occurrence, the confidence of one-to-one rules
without thresholds, bounded to each item's ``partners`` most frequent partners and counted in
the engine: :func:`valuecrm.mining.top_partners`).

Everything runs in the engine of ``lines`` (a DataFrame is read by DuckDB): the order lines never
come to Python, only the rules (a few per item) and the suggestions, at most ``top`` per customer
(issue 16, point 7: at 1M customers the lines are about 16M rows).

Every basket counts, guest checkouts included (a row without a customer, as
:func:`valuecrm.features.baskets.basket_items` gives them): they are baskets for the
co-occurrence but nobody's purchases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from valuecrm.actions.list_chunks import CHUNK, check_size, frame_chunks
from valuecrm.errors import ParameterError, SchemaError
from valuecrm.mining import top_partners

NEXT_BEST_COLUMNS = ["customer_id", "rank", "product", "score", "confidence", "lift", "margin",
                     "source", "because"]
NEXT_BEST_SCHEMA = {"customer_id": "string", "rank": "int64", "product": "string",
                    "score": "float64", "confidence": "float64", "lift": "float64",
                    "margin": "float64", "source": "string", "because": "string"}
_OWNER = "next_best_products"


def next_best_products(lines: pd.DataFrame | ir.Table, rules: pd.DataFrame, *, top: int = 3,
                       margins: Mapping[object, float] | pd.Series | None = None,
                       customer: str = "customer_id", basket: str = "basket_id",
                       item: str = "item", partners: int = 20) -> pd.DataFrame:
    """Up to ``top`` products per customer that they have not bought, by rule or co-occurrence.

    ``lines`` has one row per item bought: the customer, the basket (order) and the item, at the
    level of ``rules`` (product, type or category); ``rules`` comes from
    :func:`valuecrm.association_rules` on the same baskets. ``margins`` maps an item to its
    margin; without it the score is the confidence alone; with it, a product of negative margin
    is not offered. Rows without a customer (guest
    baskets) only count as baskets for the co-occurrence, which keeps ``partners`` per item.

    One row per suggestion: ``customer_id``, ``rank`` (1 = best), ``product``, ``score``,
    ``confidence``, ``lift``, ``margin``, ``source`` (``rule`` or ``co-occurrence``, for a
    customer with a single purchase) and ``because`` (the items bought that led to it).
    :func:`next_best_products_chunks` gives the same rows a chunk at a time and
    :func:`next_best_table` keeps them in the engine (``export_list`` streams it to a file).
    """
    found, because = _suggestions(lines, rules, top=top, margins=margins, customer=customer,
                                  basket=basket, item=item, partners=partners)
    if found is None:
        return pd.DataFrame({c: [] for c in NEXT_BEST_COLUMNS})
    return _with_because(found.to_pandas(), because)


def next_best_products_chunks(lines: pd.DataFrame | ir.Table, rules: pd.DataFrame, *,
                              top: int = 3,
                              margins: Mapping[object, float] | pd.Series | None = None,
                              customer: str = "customer_id", basket: str = "basket_id",
                              item: str = "item", partners: int = 20, size: int = CHUNK
                              ) -> Iterator[pd.DataFrame]:
    """:func:`next_best_products` as frames of at most ``size`` suggestions, in its order
    (:mod:`valuecrm.actions.list_chunks`: one chunk in memory at a time; concatenated, the
    whole frame). The settings are checked now."""
    check_size(size, "next_best_products_chunks")
    found, because = _suggestions(lines, rules, top=top, margins=margins, customer=customer,
                                  basket=basket, item=item, partners=partners)
    if found is None:
        return iter([pd.DataFrame({c: [] for c in NEXT_BEST_COLUMNS})])
    return frame_chunks(found, size, owner="next_best_products_chunks",
                        finish=lambda frame: _with_because(frame, because))


def _with_because(frame: pd.DataFrame, because: dict[str, pd.Series]) -> pd.DataFrame:
    """The suggestions read from the engine (or a chunk of them) as the frame shows them:
    ``because`` the antecedent of the rule that made each."""
    frame["because"] = [because[s].iloc[r] for s, r in zip(frame["source"], frame["rule"],
                                                            strict=True)]
    frame["rank"] = frame["rank"].astype("int64")
    return frame[NEXT_BEST_COLUMNS].reset_index(drop=True)


def next_best_table(lines: pd.DataFrame | ir.Table, rules: pd.DataFrame, *, top: int = 3,
                    margins: Mapping[object, float] | pd.Series | None = None,
                    customer: str = "customer_id", basket: str = "basket_id",
                    item: str = "item", partners: int = 20,
                    names: Callable[[set[Any]], Mapping[str, str]] | None = None) -> ir.Table:
    """:func:`next_best_products` as an Ibis expression ordered by customer and rank, with
    ``because`` as text (the items joined by " + "): the list stays in the engine, and the
    interfaces page it and stream it to files. With ``names`` (item ids -> their names, for
    the ids given), ``product_name`` follows ``product`` and ``because_names`` ``because``
    (an item without a name shows its id)."""
    found, because = _suggestions(lines, rules, top=top, margins=margins, customer=customer,
                                  basket=basket, item=item, partners=partners)
    schema = dict(NEXT_BEST_SCHEMA)
    if names is not None:
        schema = {k: v for c, t in schema.items() for k, v in
                  [(c, t), *([(f"{c}_name" if c == "product" else "because_names", "string")]
                             if c in ("product", "because") else [])]}
    if found is None:
        return ibis.memtable(pd.DataFrame({c: [] for c in schema}), schema=schema)
    named = names({i for items in because.values()
                   for i in (*items.explode().dropna(), *items.attrs["consequents"])}
                  ) if names is not None else {}
    texts = pd.concat([pd.DataFrame({
        "b_source": source, "b_rule": np.arange(len(items)),
        "because": [" + ".join(map(str, i)) for i in items],
        "because_names": [" + ".join(named.get(str(x), str(x)) for x in i) for i in items]})
        for source, items in because.items()], ignore_index=True)
    table = ibis.memtable(texts)
    joined = found.left_join(table, (found.source == table.b_source)
                             & (found.rule == table.b_rule))
    if names is not None:
        labels = ibis.memtable(pd.DataFrame({"n_id": list(named), "n_name": list(named.values())},
                                            dtype=object), schema={"n_id": "string",
                                                                   "n_name": "string"})
        joined = joined.left_join(labels, joined.product.cast("string") == labels.n_id)
        joined = joined.mutate(product_name=ibis.coalesce(joined.n_name,
                                                          joined.product.cast("string")))
    return joined.select(*schema).order_by("customer_id", "rank")


def _suggestions(lines: pd.DataFrame | ir.Table, rules: pd.DataFrame, *, top: int,
                 margins: Mapping[object, float] | pd.Series | None, customer: str,
                 basket: str, item: str, partners: int
                 ) -> tuple[ir.Table | None, dict[str, pd.Series]]:
    """The ranked suggestions in the engine (with ``rule``, the rule's row in the antecedents
    of its ``source``) and those antecedents per source; None without any rule."""
    for name, value in (("top", top), ("partners", partners)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ParameterError.of(name, _OWNER, "an integer >= 1", value)
    missing = [c for c in ("antecedent", "consequent", "confidence", "lift")
               if c not in rules.columns]
    if missing:
        raise SchemaError(f"The rules have no column {', '.join(map(repr, missing))}.",
                          hint="Pass the rules that association_rules returns.")
    bought = _bought(lines, customer, basket, item)
    baskets = bought.group_by("customer_id").agg(n=bought.basket.nunique())
    owned = bought.select("customer_id", "item").distinct()
    several = owned.semi_join(baskets.filter(baskets.n > 1), "customer_id")
    single = owned.semi_join(baskets.filter(baskets.n == 1), "customer_id")
    parts = [(several, rules, "rule")]
    first_items = single.select("item").distinct().to_pandas()["item"]
    if len(first_items):
        parts.append((single, top_partners(lines, top=partners, items=first_items,
                                           basket=basket, item=item), "co-occurrence"))
    found, because = None, {}
    for owner, these, source in parts:
        suggested = _by_rules(owner, these, source)
        if suggested is not None:
            found = suggested if found is None else found.union(suggested)
            because[source] = these["antecedent"].reset_index(drop=True)
            because[source].attrs["consequents"] = set(these["consequent"])
    if found is None:
        return None, because
    return _ranked(found, margins, top), because


def _ranked(found: ir.Table, margins: Mapping[object, float] | pd.Series | None, top: int
            ) -> ir.Table:
    """The best ``top`` suggestions per customer, ranked in the engine: by score, then lift,
    then product; of several reasons for one product, the best (then the first rule)."""
    if margins is None:
        found = found.mutate(margin=ibis.null("float64"), score=found.confidence * 1.0)
    else:
        values = pd.Series(margins, dtype=float)
        table = ibis.memtable(pd.DataFrame({"m_item": values.index.astype(object),
                                            "m_value": values.to_numpy()}))
        found = found.left_join(table, found.product == table.m_item.cast(found.product.type()))
        found = found.mutate(margin=found.m_value.cast("float64"),
                             score=found.confidence * found.m_value.fill_null(0.0))
        # a product sold at a loss is no offer: its expected margin is below nothing at all
        found = found.filter(found.margin.isnull() | (found.margin >= 0))
    best = ibis.row_number().over(group_by=[found.customer_id, found.product],
                                  order_by=[ibis.desc(found.score), ibis.desc(found.lift),
                                            found.rule])
    found = found.filter(best == 0)
    rank = ibis.row_number().over(group_by=found.customer_id,
                                  order_by=[ibis.desc(found.score), ibis.desc(found.lift),
                                            found.product]) + 1
    found = found.mutate(rank=rank)
    found = found.filter(found["rank"] <= top)
    found = found.select("customer_id", found["rank"].cast("int64").name("rank"), "product",
                         "score", "confidence", "lift", "margin", "source", "rule")
    return found.order_by("customer_id", "rank")


def _bought(lines: pd.DataFrame | ir.Table, customer: str, basket: str, item: str
            ) -> ir.Table:
    """The distinct (customer, basket, item) of customers' purchases, in the engine (a
    DataFrame is read by DuckDB): a guest basket has no customer."""
    columns = list(lines.columns)
    missing = [c for c in (customer, basket, item) if c not in columns]
    if missing:
        raise SchemaError(f"The order lines have no column {', '.join(map(repr, missing))} "
                          f"(columns: {', '.join(map(str, columns))}).",
                          hint="Name them with customer=..., basket=... and item=...")
    table = ibis.memtable(lines) if isinstance(lines, pd.DataFrame) else lines
    chosen = table.select(customer_id=table[customer], basket=table[basket], item=table[item])
    return chosen.filter(chosen.customer_id.notnull() & chosen.basket.notnull()
                         & chosen.item.notnull()).distinct()


def _by_rules(owned: ir.Table, rules: pd.DataFrame, source: str) -> ir.Table | None:
    """Every (customer, rule) whose antecedent the customer holds entirely and whose consequent
    they do not (``rule``: the rule's row in ``rules``), in the engine; None without rules."""
    if rules.empty:
        return None
    table = rules[["antecedent", "consequent", "confidence", "lift"]].reset_index(drop=True)
    sizes = table["antecedent"].map(len).to_numpy()
    numbers = np.arange(len(table), dtype=np.int64)
    parts = ibis.memtable(pd.DataFrame({
        "p_rule": np.repeat(numbers, sizes),
        "p_item": pd.Series([i for items in table["antecedent"] for i in items], dtype=object)}))
    info = ibis.memtable(pd.DataFrame({
        "rule": numbers, "size": sizes.astype(np.int64),
        "consequent": table["consequent"].astype(object),
        "confidence": table["confidence"].astype(float), "lift": table["lift"].astype(float)}))
    kind = owned.item.type()
    joined = owned.join(parts, owned.item == parts.p_item.cast(kind))
    held = joined.group_by(customer_id=joined.customer_id, rule=joined.p_rule).agg(
        held=joined.count())
    held = held.join(info, "rule")
    held = held.filter(held.held == held["size"])
    held = held.mutate(product=held.consequent.cast(kind))
    held = held.anti_join(owned, [held.customer_id == owned.customer_id,
                                  held.product == owned.item])
    return held.select("customer_id", "product", "confidence", "lift", "rule",
                       source=ibis.literal(source))
