"""Cross-sell: the next best products for each customer (``next_best_products``).

A customer is offered the consequents of the association rules whose whole antecedent they have
bought and whose consequent they have not (Agrawal, Imielinski & Swami, 1993, read as
recommendations as in Sarwar, Karypis, Konstan & Riedl, 2000, "Analysis of recommendation
algorithms for e-commerce", ACM EC), scored by the rule's confidence (the chance a basket with
the antecedent holds the product) times the product's margin when margins are given, ties by
lift. A customer with a single purchase has too little history for most rules: they get the
products bought most often together with what they bought (item-to-item co-occurrence, the
confidence of one-to-one rules without thresholds, bounded to each item's ``partners`` most
frequent partners and counted in the engine: :func:`valuecrm.mining.top_partners`).

Every basket counts, guest checkouts included (a row without a customer, as
:func:`valuecrm.features.baskets.basket_items` gives them): they are baskets for the
co-occurrence but nobody's purchases.
"""

from __future__ import annotations

from collections.abc import Mapping

import ibis.expr.types as ir
import numpy as np
import pandas as pd

from valuecrm.errors import ParameterError, SchemaError
from valuecrm.mining import top_partners

NEXT_BEST_COLUMNS = ["customer_id", "rank", "product", "score", "confidence", "lift", "margin",
                     "source", "because"]
_OWNER = "next_best_products"


def next_best_products(lines: pd.DataFrame | ir.Table, rules: pd.DataFrame, *, top: int = 3,
                       margins: Mapping[object, float] | pd.Series | None = None,
                       customer: str = "customer_id", basket: str = "basket_id",
                       item: str = "item", partners: int = 20) -> pd.DataFrame:
    """Up to ``top`` products per customer that they have not bought, by rule or co-occurrence.

    ``lines`` has one row per item bought: the customer, the basket (order) and the item, at the
    level of ``rules`` (product, type or category); ``rules`` comes from
    :func:`valuecrm.association_rules` on the same baskets. ``margins`` maps an item to its
    margin; without it the score is the confidence alone. Rows without a customer (guest
    baskets) only count as baskets for the co-occurrence, which keeps ``partners`` per item.

    One row per suggestion: ``customer_id``, ``rank`` (1 = best), ``product``, ``score``,
    ``confidence``, ``lift``, ``margin``, ``source`` (``rule`` or ``co-occurrence``, for a
    customer with a single purchase) and ``because`` (the items bought that led to it).
    """
    for name, value in (("top", top), ("partners", partners)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ParameterError.of(name, _OWNER, "an integer >= 1", value)
    missing = [c for c in ("antecedent", "consequent", "confidence", "lift")
               if c not in rules.columns]
    if missing:
        raise SchemaError(f"The rules have no column {', '.join(map(repr, missing))}.",
                          hint="Pass the rules that association_rules returns.")
    bought = _bought(lines, customer, basket, item)
    purchases = bought.groupby("customer_id")["basket"].nunique()
    single = set(purchases.index[purchases == 1])
    owned = bought[["customer_id", "item"]].drop_duplicates()
    several = owned[~owned["customer_id"].isin(single)]
    suggestions = [_by_rules(several, rules, "rule")]
    if single:
        first = owned[owned["customer_id"].isin(single)]
        co_occurrence = top_partners(lines, top=partners, items=first["item"].unique(),
                                     basket=basket, item=item)
        suggestions.append(_by_rules(owned[owned["customer_id"].isin(single)], co_occurrence,
                                     "co-occurrence"))
    found = pd.concat([s for s in suggestions if len(s)] or suggestions, ignore_index=True)
    margin = (pd.Series(np.nan, index=found.index) if margins is None
              else found["product"].map(pd.Series(margins)).astype(float))
    found["margin"] = margin
    found["score"] = found["confidence"] * (1.0 if margins is None else margin.fillna(0.0))
    found = found.sort_values(["customer_id", "score", "lift", "product"],
                              ascending=[True, False, False, True], kind="stable")
    found = found.drop_duplicates(["customer_id", "product"])  # the best reason for each
    found["rank"] = found.groupby("customer_id").cumcount() + 1
    found = found[found["rank"] <= top]
    return found[NEXT_BEST_COLUMNS].reset_index(drop=True)


def _bought(lines: pd.DataFrame | ir.Table, customer: str, basket: str, item: str
            ) -> pd.DataFrame:
    columns = list(lines.columns)
    missing = [c for c in (customer, basket, item) if c not in columns]
    if missing:
        raise SchemaError(f"The order lines have no column {', '.join(map(repr, missing))} "
                          f"(columns: {', '.join(map(str, columns))}).",
                          hint="Name them with customer=..., basket=... and item=...")
    if isinstance(lines, ir.Table):
        chosen = lines.select(customer_id=lines[customer], basket=lines[basket],
                              item=lines[item]).distinct().to_pandas()
    else:
        chosen = lines[[customer, basket, item]].set_axis(["customer_id", "basket", "item"],
                                                          axis=1)
    return chosen.dropna().drop_duplicates()  # a guest basket has no customer


def _by_rules(owned: pd.DataFrame, rules: pd.DataFrame, source: str) -> pd.DataFrame:
    """Every (customer, rule) whose antecedent the customer holds entirely and whose consequent
    they do not."""
    columns = ["customer_id", "product", "confidence", "lift", "source", "because"]
    if owned.empty or rules.empty:
        return pd.DataFrame(columns=columns)
    table = rules[["antecedent", "consequent", "confidence", "lift"]].reset_index(drop=True)
    table["rule"] = np.arange(len(table))
    table["size"] = table["antecedent"].map(len)
    parts = table[["rule", "antecedent"]].explode("antecedent").rename(
        columns={"antecedent": "item"})
    held = owned.merge(parts, on="item").groupby(["customer_id", "rule"]).size()
    held = held.rename("held").reset_index().merge(table, on="rule")
    held = held[held["held"] == held["size"]]
    held = held.merge(owned.rename(columns={"item": "consequent"}).assign(has=True),
                      on=["customer_id", "consequent"], how="left")
    held = held[held["has"].isna()]
    return pd.DataFrame({"customer_id": held["customer_id"], "product": held["consequent"],
                         "confidence": held["confidence"], "lift": held["lift"],
                         "source": source, "because": held["antecedent"]})
