"""Cross-buying and category share per customer (more and deeper, 多、深), by segment.

Cross-buying is the number of the firm's product categories a customer buys (Verhoef &
Donkers, 2005, "The effect of acquisition channels on customer loyalty and cross-buying",
Journal of Interactive Marketing 19(2); Kumar, George & Pancras, 2008, "Cross-buying in
retailing", Journal of Retailing 84(1)): ``categories_bought`` of the snapshot (distinct
``products.category`` on purchase orders up to its as-of day). The category share is how much
of a customer's spend goes to their main category (the share of category purchases of
CONCEPTS section 5): near 1 for a one-category customer, lower for a broad one. A share of
wallet proper needs the customer's spend at other firms, which the data do not hold: this is
the share of their spend *here*.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import ibis
import pandas as pd

from valuecrm.errors import ParameterError
from valuecrm.features.baskets import customer_item_spend
from valuecrm.features.history import category_count
from valuecrm.reports.group_figures import GROUPINGS, _labels
from valuecrm.store.snapshots import get_snapshot, read_snapshot

METHODS = {
    "categories_bought": "distinct product categories (products.category) on a customer's "
                         "purchase orders up to the as-of day (cross-buying, Verhoef & Donkers "
                         "2005)",
    "multi_category_share": "share of customers who bought two categories or more",
    "category_coverage": "mean categories bought / categories in the catalogue",
    "main_category_share": "a customer's spend in their largest category / their spend on "
                           "all purchase lines up to the as-of day, averaged over customers "
                           "with spend (the share of their spend here; a share of wallet "
                           "would need their spend at other firms)",
}


@dataclass
class CrossBuying:
    """Cross-buying of a snapshot: ``figures`` for the whole base, ``by_segment`` (one row per
    group of ``by``) and ``distribution`` (customers by number of categories bought)."""

    snapshot_id: int
    as_of: dt.date
    n_categories: int
    figures: dict[str, Any]
    by_segment: pd.DataFrame
    distribution: pd.DataFrame


def cross_buying(database: Any, snapshot: int | str | None = None,
                 by: str = "rfm_segment") -> CrossBuying:
    """Categories bought and main-category share, overall and per group of ``by`` (a
    grouping of :func:`valuecrm.reports.group_figures.group_summary`), in the labels' order."""
    if by not in GROUPINGS:
        raise ParameterError.of("by", "cross_buying", "one of " + ", ".join(GROUPINGS), by)
    column = GROUPINGS[by]
    found = get_snapshot(database, snapshot)
    rows = read_snapshot(database, found.snapshot_id)
    rows = rows.select("customer_id", group=rows[column].cast("string"),
                       categories=rows.categories_bought.cast("int64").fill_null(0))
    end = dt.datetime.combine(found.as_of + dt.timedelta(days=1), dt.time())
    spend = customer_item_spend(database, "category", up_to=end)
    per = spend.group_by("customer_id").aggregate(total=spend.spend.sum(),
                                                  main=spend.spend.max())
    joined = rows.left_join(per, "customer_id")
    share = ibis.cases((joined.total > 0, joined.main / joined.total), else_=ibis.null("float64"))
    joined = joined.select("group", "categories", share=share)

    def summary(table: Any) -> Any:
        return dict(customers=table.count(),
                    mean_categories=table.categories.cast("float64").mean(),
                    multi_category_share=(table.categories >= 2).cast("float64").mean(),
                    main_category_share=table.share.mean())

    by_group = joined.group_by("group").aggregate(**summary(joined)).to_pandas()
    rank = {name: i for i, name in enumerate(_labels(column)[0])}
    by_group = (by_group.assign(_order=by_group["group"].map(rank).fillna(len(rank)))
                .sort_values(["_order", "group"]).drop(columns="_order").reset_index(drop=True))
    overall = joined.aggregate(**summary(joined)).to_pandas().iloc[0].to_dict()
    distribution = (joined.group_by("categories").aggregate(customers=joined.count())
                    .order_by("categories").to_pandas())
    n_categories = category_count(database)
    overall["category_coverage"] = (overall["mean_categories"] / n_categories
                                    if n_categories else None)
    return CrossBuying(snapshot_id=found.snapshot_id, as_of=found.as_of,
                       n_categories=n_categories, figures=overall, by_segment=by_group,
                       distribution=distribution)
