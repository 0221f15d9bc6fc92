"""Acquisition (客户的选择与开发): which sources bring valuable customers.

Per acquisition source, the customers of a snapshot it brought, their lifetime value (mean with
a confidence interval, and total), P(alive), margin to date (when costs are known) and their
share of customer equity, with a Kruskal-Wallis test of whether the sources differ
(:mod:`valuecrm.reports.group_tests`); and the same by signup cohort. A source is one of
:data:`SOURCES`: the signup channel, the main category or product of the first purchase, whether
a customer was referred, or the signup cohort.

Everything table-sized runs in the engine: one row per source (and cohort) reaches Python. Sums
and means are taken over values cast to decimals (12 places), so a figure is the same on every
run and engine, whatever order a parallel aggregate adds the customers in (as in
:mod:`valuecrm.reports.profiles`).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd
from scipy import stats

from valuecrm.errors import ParameterError
from valuecrm.features.purchases import PURCHASE, order_kind
from valuecrm.reports.group_tests import GroupTest, kruskal_wallis
from valuecrm.store.snapshots import get_snapshot, read_snapshot

OWNER = "acquisition"
NOT_RECORDED = "(not recorded)"
OTHER = "(other)"
REFERRED, NOT_REFERRED = "referred", "not referred"
SOURCES: dict[str, str] = {  # source -> what it is
    "signup_channel": "the channel the customer signed up through (customers.signup_channel)",
    "first_category": "the main category of the first purchase: the category with the largest "
                      "line amount on the customer's first purchase order (ties: by name)",
    "first_product": "the main product of the first purchase: the product with the largest "
                     "line amount on the customer's first purchase order (ties: by id)",
    "referred": "whether the customer joined through a converted referral "
                "(referrals.referred_customer_id)",
    "signup_cohort": "the period the customer signed up in (customers.signup_at; the first "
                     "purchase when it is missing)",
}
PERIODS = {"Y": "year", "Q": "quarter", "M": "month"}
EXACT = "decimal(38, 12)"


@dataclass
class Acquisition:
    """Customers and value per acquisition source of one snapshot.

    ``table``: one row per source (``source``, ``customers``, ``share``, ``mean_clv`` with
    ``mean_clv_lower`` and ``mean_clv_upper``, ``total_clv``, ``equity_share``,
    ``mean_p_alive``, ``total_margin``, ``mean_margin``), largest total CLV first (cohorts in
    time order); ``cohorts``: the same figures per source and signup cohort (empty when ``by``
    is the cohort); ``tests``: Kruskal-Wallis per measure; ``method`` says how.
    """

    by: str
    table: pd.DataFrame
    cohorts: pd.DataFrame
    tests: list[GroupTest]
    customers: int
    equity: float
    margin_known: bool
    method: str
    snapshot_id: int
    as_of: dt.date
    level: float = 0.95
    notes: list[str] = field(default_factory=list)

    def to_pandas(self) -> pd.DataFrame:
        return self.table


def first_purchase_orders(database: Any, as_of: dt.date) -> ir.Table:
    """``customer_id`` and ``order_id`` of each customer's first purchase up to ``as_of``
    (earliest ``ordered_at``; ties by order id)."""
    orders = database.table("orders")
    bought = orders.filter((order_kind(orders.status) == PURCHASE)
                           & (orders.ordered_at.date() <= as_of))
    rank = ibis.row_number().over(group_by=bought.customer_id,
                                  order_by=[bought.ordered_at, bought.order_id])
    return bought.mutate(_n=rank).filter(lambda t: t._n == 0).select("customer_id", "order_id")


def _first_basket(database: Any, as_of: dt.date, column: str) -> ir.Table:
    """The main ``column`` (category or product id) of each customer's first purchase."""
    first = first_purchase_orders(database, as_of)
    lines = database.table("order_lines")
    value = ibis.coalesce(lines.amount, lines.unit_price * lines.quantity.cast("float64"),
                          ibis.literal(0.0))
    lines = lines.select("order_id", "product_id", _value=value)
    if column == "category":
        products = database.table("products").select("product_id", "category")
        lines = lines.left_join(products, "product_id").select(
            "order_id", "_value", label=lambda t: t.category)
    else:
        lines = lines.select("order_id", "_value", label=lines.product_id)
    joined = first.join(lines, "order_id")
    joined = joined.filter(joined.label.notnull())
    per = joined.group_by(["customer_id", "label"]).aggregate(value=joined._value.sum())
    rank = ibis.row_number().over(group_by=per.customer_id,
                                  order_by=[ibis.desc(per.value), per.label])
    return per.mutate(_n=rank).filter(lambda t: t._n == 0).select(
        "customer_id", source=lambda t: t.label.cast("string"))


def _period(ts: ir.TimestampValue, period: str) -> ir.StringValue:
    year = ts.year().cast("string")
    if period == "Y":
        return year
    if period == "Q":
        return year + "-Q" + ts.quarter().cast("string")
    return ts.strftime("%Y-%m")


def _cohort(database: Any, rows: ir.Table, period: str) -> ir.Table:
    customers = database.table("customers").select("customer_id", "signup_at")
    joined = rows.select("customer_id", "first_purchase").left_join(customers, "customer_id")
    when = ibis.coalesce(joined.signup_at, joined.first_purchase)
    return joined.select("customer_id",
                         cohort=_period(when, period).fill_null(ibis.literal(NOT_RECORDED)))


def source_of(database: Any, by: str, rows: ir.Table, as_of: dt.date,
              period: str = "Y") -> ir.Table:
    """``customer_id`` and ``source`` (text; :data:`NOT_RECORDED` when unknown) of every
    customer of the snapshot rows ``rows``."""
    if by == "signup_channel":
        customers = database.table("customers")
        found = customers.select("customer_id", source=customers.signup_channel.cast("string"))
    elif by == "first_category":
        found = _first_basket(database, as_of, "category")
    elif by == "first_product":
        found = _first_basket(database, as_of, "product")
    elif by == "referred":
        refs = database.table("referrals")
        refs = refs.filter(refs.referred_customer_id.notnull()
                           & (refs.referred_at.date() <= as_of))
        found = refs.select(customer_id=refs.referred_customer_id).distinct().mutate(
            source=ibis.literal(REFERRED))
    elif by == "signup_cohort":
        found = _cohort(database, rows, period).rename(source="cohort")
    else:
        raise ParameterError.of("by", OWNER, "one of " + ", ".join(SOURCES), by)
    fill = NOT_REFERRED if by == "referred" else NOT_RECORDED
    joined = rows.select("customer_id").left_join(found, "customer_id")
    return joined.select(joined.customer_id, source=joined.source.fill_null(fill))


def _figures(per: ir.Table, keys: list[str], level: float) -> pd.DataFrame:
    """Customers, mean CLV with its interval, total CLV, mean P(alive) and margin per
    ``keys``; sums exact (decimals), so identical on every run."""
    clv = per.clv.cast("float64")
    grouped = per.group_by(keys).aggregate(
        customers=per.count(), with_clv=clv.count(),
        total_clv=clv.cast(EXACT).sum().cast("float64"),
        _sq=(clv * clv).cast(EXACT).sum().cast("float64"),
        mean_p_alive=per.p_alive.cast(EXACT).mean().cast("float64"),
        total_margin=per.margin.cast(EXACT).sum().cast("float64"),
    ).to_pandas()
    n = grouped["with_clv"].astype(float)
    mean = grouped["total_clv"] / n.where(n > 0)
    var = (grouped["_sq"] - n * mean * mean) / (n - 1).where(n > 1)
    half = [stats.t.ppf(0.5 + level / 2, k - 1) * math.sqrt(max(v, 0.0) / k)
            if k > 1 and v == v else float("nan") for k, v in zip(n, var, strict=True)]
    grouped["mean_clv"] = mean
    grouped["mean_clv_lower"] = mean - half
    grouped["mean_clv_upper"] = mean + half
    grouped["mean_margin"] = grouped["total_margin"] / grouped["customers"]
    return grouped.drop(columns=["_sq", "with_clv"])


COLUMNS = ["source", "customers", "share", "mean_clv", "mean_clv_lower", "mean_clv_upper",
           "total_clv", "equity_share", "mean_p_alive", "total_margin", "mean_margin"]


def acquisition(database: Any, by: str = "signup_channel", *,
                snapshot: int | str | dt.date | None = None, top: int = 20,
                period: str = "Y", level: float = 0.95) -> Acquisition:
    """Which ``by`` sources (:data:`SOURCES`) bring valuable customers, in a snapshot (the
    latest unless ``snapshot`` names one).

    Per source: customers, their share, mean CLV with a ``level`` t-interval of the mean
    (mean +/- t * s / sqrt(n): the sampling uncertainty of the group mean, not the model's),
    total CLV and its share of customer equity (the snapshot's sum of CLV), mean P(alive), and
    margin to date (total and per customer; None when the snapshot saw no cost). Sources beyond
    the ``top`` largest (by customers) are folded into :data:`OTHER`. ``period`` (Y, Q or M)
    cuts the signup cohorts. Differences: Kruskal-Wallis H per measure, epsilon squared
    (Kruskal & Wallis 1952). Customer equity: Gupta, Lehmann & Stuart (2004).
    """
    if by not in SOURCES:
        raise ParameterError.of("by", OWNER, "one of " + ", ".join(SOURCES), by)
    if period not in PERIODS:
        raise ParameterError.of("period", OWNER, "one of Y, Q, M", period)
    if not 0 < level < 1:
        raise ParameterError.of("level", OWNER, "a number between 0 and 1", level)
    if not isinstance(top, int) or top < 1:
        raise ParameterError.of("top", OWNER, "a whole number >= 1", top)
    found = get_snapshot(database, snapshot)
    rows = read_snapshot(database, found.snapshot_id).select(
        "customer_id", "clv", "p_alive", "margin", "first_purchase")
    sources = source_of(database, by, rows, found.as_of, period)
    notes = []
    counts = sources.group_by("source").aggregate(n=sources.count())
    if int(counts.count().to_pandas()) > top:
        kept = counts.order_by([ibis.desc("n"), "source"]).limit(top).to_pandas()["source"]
        sources = sources.mutate(source=ibis.ifelse(sources.source.isin(kept.tolist()),
                                                    sources.source, ibis.literal(OTHER)))
        notes.append(f"Sources beyond the {top} largest are counted together as {OTHER}.")
    per = rows.join(sources, "customer_id")
    table = _figures(per, ["source"], level)
    total = int(table["customers"].sum())
    equity = float(table["total_clv"].sum())
    table["share"] = table["customers"] / total if total else 0.0
    table["equity_share"] = table["total_clv"] / equity if equity else None
    if by == "signup_cohort":
        table = table.sort_values("source")
    else:
        table = table.sort_values(["total_clv", "source"], ascending=[False, True])
    margin_known = found.margin_known
    if not margin_known:
        table["total_margin"] = None
        table["mean_margin"] = None
    table = table[COLUMNS].reset_index(drop=True)
    cohorts = pd.DataFrame()
    if by != "signup_cohort":
        crossed = per.join(_cohort(database, rows, period), "customer_id")
        cohorts = _figures(crossed, ["source", "cohort"], level)
        cohorts["equity_share"] = cohorts["total_clv"] / equity if equity else None
        cohorts = cohorts.sort_values(["source", "cohort"]).reset_index(drop=True)[
            ["source", "cohort", "customers", "mean_clv", "total_clv", "equity_share",
             "mean_p_alive"]]
    measures = ["clv", "p_alive"] + (["margin"] if margin_known else [])
    tests = [kruskal_wallis(per, "source", m) for m in measures]
    method = (f"Customers of snapshot {found.snapshot_id} (as of {found.as_of}) grouped by "
              f"{by}: {SOURCES[by]}. Mean CLV with a {level:.0%} t-interval of the mean; "
              "equity share = the source's total CLV / the sum of CLV over the snapshot "
              "(customer equity, Gupta, Lehmann & Stuart 2004); margin = margin to date "
              + ("(order margins)" if margin_known else "(not shown: no cost is recorded)")
              + ". Differences between sources: Kruskal-Wallis H per measure (effect size "
              "epsilon squared); a difference says which customers each source brought, not "
              "that the source caused their value.")
    return Acquisition(by, table, cohorts, tests, total, equity, margin_known, method,
                       found.snapshot_id, found.as_of, level, notes)
