"""What a customer's own orders show about why they are leaving (in the engine).

Used by :mod:`valuecrm.actions.reasons` when complaints, discounts and price offers say nothing
(CDNOW, for one, has none of them). Purchases follow the one definition of
:func:`valuecrm.features.history.order_rows` (completed or status-less orders), taken per
purchase day as :func:`valuecrm.rfm_summary` counts them; every figure is up to the as-of day.

Per customer:

- ``purchase_days``: distinct days with a purchase;
- ``last_amount`` and ``earlier_mean_amount``: spend on the last purchase day, and the mean
  spend per earlier purchase day;
- ``last_gap_days`` and ``earlier_mean_gap_days``: days between the last two purchase days, and
  the mean of the earlier gaps (needs three purchase days);
- ``mean_gap_days`` and ``silent_days``: the mean gap between purchase days over the whole
  history (first to last purchase day over ``purchase_days - 1``), and the days from the last
  purchase day to the as-of day;
- ``returned_after_last``: an order returned on or after the last purchase day;
- ``stopped_category``: the category bought on the most earlier purchase days (at least
  ``category_days``; ties by name) that the last purchase day does not contain; only when
  ``order_lines`` and ``products.category`` describe the orders.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd


def order_signals(database: Any, as_of: Any, category_days: int) -> ir.Table:
    """One row per customer with a purchase up to ``as_of``: the columns of the docstring."""
    from valuecrm.features.history import Window, order_rows

    as_of = pd.Timestamp(as_of).normalize()
    rows = order_rows(database, Window(as_of))
    purchases = rows.filter(rows.kind == "purchase")
    days = purchases.group_by(customer_id=purchases.customer_id,
                              day=purchases.ordered_at.date()).agg(
        amount=purchases.amount_signed.sum())
    by_customer = ibis.window(group_by=days.customer_id, order_by=days.day)
    days = days.mutate(
        gap=(days.day.epoch_days() - days.day.lag().over(by_customer).epoch_days()),
        n=ibis.row_number().over(by_customer),
        first_day=days.day.min().over(ibis.window(group_by=days.customer_id)),
        last_day=days.day.max().over(ibis.window(group_by=days.customer_id)))
    last = days.filter(days.day == days.last_day)
    earlier = days.filter(days.day < days.last_day)
    earlier_stats = earlier.group_by("customer_id").agg(
        earlier_mean_amount=earlier.amount.mean(),
        earlier_mean_gap_days=earlier.gap.mean(where=earlier.gap.notnull()))
    span = (last.last_day.epoch_days() - last.first_day.epoch_days()).cast("float64")
    out = last.select("customer_id", last_day=last.last_day, purchase_days=last.n + 1,
                      last_amount=last.amount, last_gap_days=last.gap,
                      mean_gap_days=ibis.ifelse(last.n > 0, span / last.n.cast("float64"),
                                                ibis.null("float64")),
                      silent_days=ibis.date(as_of.date()).epoch_days()
                      - last.last_day.epoch_days())
    returns = rows.filter(rows.kind == "returned").group_by("customer_id").agg(
        last_return=rows.ordered_at.max().date())
    for part in (earlier_stats, returns, _stopped_categories(database, purchases, days,
                                                              category_days)):
        out = out.left_join(part, "customer_id")
        out = out.drop(*[c for c in out.columns if c.endswith("_right")])
    return out.mutate(returned_after_last=(out.last_return >= out.last_day).fill_null(False)
                      ).drop("last_return", "last_day")


def _stopped_categories(database: Any, purchases: ir.Table, days: ir.Table,
                        category_days: int) -> ir.Table:
    """Per customer: the category they bought most often before and not on the last day."""
    lines = database.table("order_lines").select("order_id", "product_id")
    products = database.table("products")
    products = products.filter(products.category.notnull()).select("product_id", "category")
    bought = (purchases.select("order_id", "customer_id", day=purchases.ordered_at.date())
              .join(lines, "order_id").join(products, "product_id"))
    per_day = bought.select("customer_id", "day", "category").distinct()
    marked = per_day.join(days.select("customer_id", "day", "last_day"), ["customer_id", "day"])
    counts = marked.group_by(["customer_id", "category"]).agg(
        earlier_days=marked.count(where=marked.day < marked.last_day),
        on_last=marked.count(where=marked.day == marked.last_day))
    stopped = counts.filter((counts.on_last == 0) & (counts.earlier_days >= category_days))
    ranked = stopped.mutate(_n=ibis.row_number().over(
        group_by=stopped.customer_id,
        order_by=[stopped.earlier_days.desc(), stopped.category]))
    return ranked.filter(ranked._n == 0).select("customer_id", stopped_category="category")
