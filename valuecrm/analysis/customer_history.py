"""One row per customer up to the as-of date: the order history joined with RFM and trends.

The definitions of each column (purchases, revenue, margin, cost to serve, ...) are those of
:mod:`valuecrm.features.history`; this module adds the RFM scores and the lifecycle trend of
:mod:`valuecrm.segments`, with the settings of :class:`~valuecrm.config.AnalysisConfig`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from valuecrm.config import AnalysisConfig
from valuecrm.features.history import (
    Window,
    categories_bought,
    category_count,
    cost_to_serve,
    loyalty_members,
    order_rows,
    referrals_made,
)
from valuecrm.features.money import money, money_sum
from valuecrm.features.purchases import PURCHASE, RETURN
from valuecrm.features.summary import TREND_INPUTS, daily_summary
from valuecrm.segments import rfm_scores
from valuecrm.segments.lifecycle import trend_of_summary

Keep = Callable[[str, ir.Table], ir.Table]


def _as_is(name: str, table: ir.Table) -> ir.Table:
    return table


_TYPES = {"categories_bought": "int64"}


def _has_categorised_lines(database: Any) -> bool:
    """Whether any order line can name a category: without order lines, or without a
    categorised product, every customer has bought 0 categories, and the join of every
    purchase with the order lines (a whole scan and shuffle of the orders on Spark) is skipped."""
    if category_count(database) == 0:
        return False
    return int(database.table("order_lines").count().to_pyarrow().as_py()) > 0


def customer_history(database: Any, window: Window, config: AnalysisConfig,
                     rows: ir.Table | None = None, keep: Keep = _as_is) -> ir.Table:
    """One row per customer with a purchase up to the as-of date: RFM, value and behaviour.

    Columns: the :func:`valuecrm.rfm_summary` columns (in days), the RFM scores and labels of
    :func:`valuecrm.rfm_scores`, ``tenure_days``, ``days_since_last``, ``revenue``, ``margin``,
    ``current_value``, ``n_returns``, ``cost_to_serve``, ``net_value``, ``categories_bought``,
    ``loyalty_member``, ``referrals`` and the trend columns of
    :func:`valuecrm.segments.lifecycle.trend_features` (from the daily summary's sums:
    :func:`~valuecrm.segments.lifecycle.trend_of_summary`).

    ``keep(name, table)`` is called on the order rows (when not given), the summary and the
    per-customer value totals, which the rest reads several times or which would otherwise
    share one scan of the order rows in a single query; it may store them (e.g. as temporary
    tables) and return the stored ones, so that the engine computes them once and Ibis
    compiles smaller expressions. By default everything stays one lazy expression.
    """
    rows = keep("rows", order_rows(database, window)) if rows is None else rows
    purchases = rows.filter(rows.kind == PURCHASE)
    decimals = config.money_decimals
    # the purchases grouped into days once, for the summary and the trend's sums alike
    summary = daily_summary(purchases, observation_end=window.as_of,
                            amount_col="amount_signed", money_decimals=decimals)
    summary = summary.mutate(tenure_days=summary["T"].cast("int64"),
                             days_since_last=summary.time_since_last.cast("int64"))
    summary = keep("summary", summary)
    scores = rfm_scores(summary, money_decimals=decimals).drop(
        "time_since_last", "n_purchases", "total_spend")
    is_recent = window.days_before_end(rows.ordered_at) < config.current_value_days
    value = keep("value", rows.group_by(customer_id=rows.customer_id).agg(
        revenue=money_sum(rows.amount_signed, decimals),
        margin=money_sum(rows.margin_signed, decimals),
        current_value=money_sum(rows.margin_signed, decimals, where=is_recent).fill_null(0.0),
        n_returns=rows.count(where=rows.kind == RETURN),
    ))
    # the trend reads the purchases of its recent window only, read anew (a narrow scan)
    latest = order_rows(database, window,
                        since=window.as_of - pd.Timedelta(days=config.trend_window_days - 1))
    latest = latest.filter(latest.kind == PURCHASE)
    with_trend = trend_of_summary(
        summary, latest.select("customer_id", "ordered_at", "amount_signed"),
        as_of=window.as_of, config=config).drop(*TREND_INPUTS)
    parts = [
        (scores, {}),
        (value, {}),
        (cost_to_serve(database, window, decimals), {"cost_to_serve": 0.0}),
        (categories_bought(database, purchases) if _has_categorised_lines(database)
         else None, {"categories_bought": 0}),
        (loyalty_members(database, window), {"loyalty_member": False}),
        (referrals_made(database, window), {"referrals": 0}),
    ]
    base = with_trend
    fill: dict[str, Any] = {}
    for part, defaults in parts:
        if part is None:  # nothing to join: every customer has the default
            base = base.mutate(**{k: ibis.literal(v, _TYPES[k]) for k, v in defaults.items()})
            continue
        base = base.left_join(part, "customer_id")
        base = base.drop(*[c for c in base.columns if c.endswith("_right")])
        fill.update(defaults)
    base = base.mutate(**{k: base[k].fill_null(v) for k, v in fill.items()})
    return base.mutate(net_value=money(base.margin - base.cost_to_serve, decimals))
