"""Item-to-item co-occurrence, bounded: for each item, the items most often in its baskets.

"Customers who bought this also bought" (Linden, Smith & York, 2003, "Amazon.com
recommendations: item-to-item collaborative filtering", IEEE Internet Computing 7(1)): the
one-to-one rules ``a -> c`` of every pair of items sharing a basket, without support or
confidence thresholds, but only the ``top`` partners ``c`` of each item ``a`` by the number of
baskets holding both (ties by item), so the answer grows with the items, not with their pairs.
The pairs are counted and ranked inside the engine (a self-join on the basket and a window
rank); only the kept rows leave it. A DataFrame is counted by DuckDB through an Ibis memtable.
"""

from __future__ import annotations

from collections.abc import Iterable

import ibis
import ibis.expr.types as ir
import pandas as pd

from valuecrm.errors import ParameterError, SchemaError

PARTNER_COLUMNS = ["antecedent", "consequent", "support", "confidence", "lift", "count"]


def top_partners(baskets: pd.DataFrame | ir.Table, *, top: int = 20,
                 items: Iterable[object] | None = None, basket: str = "basket_id",
                 item: str = "item") -> pd.DataFrame:
    """For each item (of ``items``, or every item), its ``top`` most frequent partners.

    One row per kept pair, as :func:`valuecrm.association_rules` makes one-to-one rules:
    ``antecedent`` (a 1-tuple), ``consequent``, ``support``, ``confidence`` (baskets with both
    / baskets with the antecedent), ``lift`` and ``count`` (baskets with both).
    """
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ParameterError.of("top", "top_partners", "an integer >= 1", top)
    table = ibis.memtable(baskets) if isinstance(baskets, pd.DataFrame) else baskets
    missing = [c for c in (basket, item) if c not in table.columns]
    if missing:
        raise SchemaError(f"The baskets have no column {', '.join(map(repr, missing))}.",
                          hint="Name the basket and item columns with basket=... and item=...")
    pairs = (table.select(b=table[basket], i=table[item])
             .filter(lambda t: t.b.notnull() & t.i.notnull()).distinct())
    n_baskets = int(pairs.b.nunique().to_pyarrow().as_py() or 0)
    if n_baskets == 0:
        return pd.DataFrame({c: [] for c in PARTNER_COLUMNS})
    item_counts = pairs.group_by("i").aggregate(n=pairs.b.count())
    left = pairs
    if items is not None:
        items = list(items)
        if not items:
            return pd.DataFrame({c: [] for c in PARTNER_COLUMNS})
        wanted = ibis.memtable(pd.DataFrame({"w": pd.unique(pd.Series(items))}))
        left = pairs.semi_join(wanted, pairs.i == wanted.w.cast(pairs.i.type()))
    right = pairs.view()
    joined = left.join(right, [left.b == right.b, left.i != right.i])
    joined = joined.select(a=left.i, c=right.i)
    counted = joined.group_by(["a", "c"]).aggregate(count=joined.a.count())
    ranked = counted.mutate(rank=ibis.row_number().over(
        group_by=counted.a, order_by=[ibis.desc(counted["count"]), counted.c]))
    kept = ranked.filter(ranked["rank"] < top).drop("rank")
    found = kept.to_pandas()
    counts = item_counts.to_pandas().set_index("i")["n"]
    confidence = found["count"] / found["a"].map(counts).to_numpy()
    support_c = found["c"].map(counts).to_numpy() / n_baskets
    return pd.DataFrame({
        "antecedent": pd.Series([(a,) for a in found["a"]], dtype=object),
        "consequent": found["c"].astype(object), "support": found["count"] / n_baskets,
        "confidence": confidence, "lift": confidence / support_c,
        "count": found["count"].astype("int64")}).sort_values(
        ["lift", "confidence", "consequent"], ascending=[False, False, True],
        kind="stable").reset_index(drop=True)
