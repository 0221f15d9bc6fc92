"""Figures of a loyalty ledger (``loyalty_ledger``: earn, redeem, expire, adjust), as Ibis
expressions, so the engine does the work.

Definitions (also in ``docs/loyalty.md``):

- **balance**: the sum of a member's entries up to the date; **outstanding points**: the sum of
  the positive balances; **points liability**: outstanding points x ``value_per_point``
  (the face value the programme owes; IFRS 15 would defer it net of expected breakage).
- **cohort rates**: points are used first-in-first-out: each redemption, expiry or negative
  adjustment consumes the member's oldest points still outstanding. A cohort is the points
  issued (earned, or positive adjustments) in one year; its **redemption rate** is the share
  redeemed, its **breakage** the share expired, and it is **closed** when none of its points is
  outstanding. The headline rates are over closed cohorts; the *settled breakage*,
  expired / (redeemed + expired) over all cohorts, estimates where open cohorts will end.
- **tier as of a date**: the highest level whose ``min`` the member's qualifying points earned
  (or net spend) over the rolling window reaches (since joining when the window is null);
  members are the customers with a ledger entry up to the date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from valuecrm.actions.loyalty.rules import LoyaltyRules
from valuecrm.features.money import money_sum
from valuecrm.features.purchases import order_kind, signed_amount

__all__ = [
    "NOT_MEMBER",
    "balances",
    "cutoff",
    "members",
    "point_cohorts",
    "tier_moves",
    "tier_of",
    "tiers_as_of",
    "window_start",
]

NOT_MEMBER = "(not a member)"


def cutoff(as_of: dt.date | str) -> pd.Timestamp:
    """The first instant after ``as_of`` (entries on the day count)."""
    return pd.Timestamp(as_of).normalize() + pd.Timedelta(days=1)


def window_start(as_of: dt.date | str, months: int | None) -> pd.Timestamp | None:
    """The first instant of a rolling window of ``months`` ending on ``as_of`` (None: no
    window)."""
    return None if months is None else cutoff(as_of) - pd.DateOffset(months=months)


def _until(table: ir.Table, column: str, as_of: dt.date | str | None) -> ir.Table:
    if as_of is None:
        return table
    return table.filter(table[column] < cutoff(as_of).to_pydatetime())


def balances(ledger: ir.Table, as_of: dt.date | str | None = None) -> ir.Table:
    """One row per member: ``earned``, ``redeemed``, ``expired`` (both positive), ``adjusted``
    (signed), ``balance``, ``first_entry``, ``last_entry`` and ``last_earn``, from the entries
    up to ``as_of`` (all when None)."""
    t = _until(ledger, "occurred_at", as_of)
    points = t.points.cast("int64")

    def of(kind: str) -> ir.IntegerScalar:
        return (t.kind == kind).ifelse(points, 0).sum()

    return t.group_by("customer_id").aggregate(
        earned=of("earn"), redeemed=-of("redeem"), expired=-of("expire"),
        adjusted=of("adjust"), balance=points.sum(),
        first_entry=t.occurred_at.min(), last_entry=t.occurred_at.max(),
        last_earn=(t.kind == "earn").ifelse(t.occurred_at, ibis.null()).max(),
    )


def members(ledger: ir.Table, as_of: dt.date | str | None = None) -> ir.Table:
    """The customers with a ledger entry up to ``as_of`` (``customer_id``)."""
    return _until(ledger, "occurred_at", as_of).select("customer_id").distinct()


def point_cohorts(ledger: ir.Table, as_of: dt.date | str | None = None) -> ir.Table:
    """Per cohort year of issued points: ``issued``, ``redeemed``, ``expired``, ``adjusted``
    (consumed by negative adjustments) and ``outstanding``, by first-in-first-out use (see the
    module docstring)."""
    t = _until(ledger, "occurred_at", as_of).mutate(points=ibis._.points.cast("int64"))
    order = [t.occurred_at, t.entry_id]
    credits = t.filter(t.points > 0)
    running = ibis.cumulative_window(group_by=credits.customer_id,
                                      order_by=[credits.occurred_at, credits.entry_id])
    credits = credits.mutate(c_high=credits.points.sum().over(running))
    credits = credits.select(customer_id="customer_id", cohort=credits.occurred_at.year(),
                             issued="points", c_low=credits.c_high - credits.points,
                             c_high="c_high")
    debits = t.filter(t.points < 0)
    running_d = ibis.cumulative_window(group_by=debits.customer_id,
                                       order_by=[debits.occurred_at, debits.entry_id])
    debits = debits.mutate(used=-debits.points)
    debits = debits.mutate(d_high=debits.used.sum().over(running_d))
    debits = debits.select(d_customer="customer_id", d_kind="kind",
                           d_low=debits.d_high - debits.used, d_high="d_high")
    del order
    joined = credits.join(debits, [credits.customer_id == debits.d_customer,
                                   credits.c_low < debits.d_high, debits.d_low < credits.c_high])
    overlap = (ibis.least(joined.c_high, joined.d_high)
               - ibis.greatest(joined.c_low, joined.d_low))
    joined = joined.mutate(overlap=overlap)

    def used(kind: str) -> ir.IntegerScalar:
        return (joined.d_kind == kind).ifelse(joined.overlap, 0).sum()

    consumed = joined.group_by("cohort").aggregate(
        redeemed=used("redeem"), expired=used("expire"), adjusted=used("adjust"))
    issued = credits.group_by("cohort").aggregate(issued=credits.issued.sum())
    out = issued.left_join(consumed, "cohort").drop("cohort_right")
    out = out.mutate(redeemed=out.redeemed.fill_null(0), expired=out.expired.fill_null(0),
                     adjusted=out.adjusted.fill_null(0))
    out = out.mutate(outstanding=out.issued - out.redeemed - out.expired - out.adjusted)
    return out.order_by("cohort")


def tier_of(qualifying: ir.NumericValue, rules: LoyaltyRules) -> ir.StringValue:
    """The tier name for qualifying points (or spend): the highest level reached."""
    levels = rules.tiers
    if len(levels) == 1:
        return ibis.literal(levels[0].name)
    return ibis.cases(*((qualifying >= level.min, level.name) for level in reversed(levels[1:])),
                      else_=levels[0].name)


def _qualifying_points(ledger: ir.Table, as_of: dt.date | str,
                       start: pd.Timestamp | None) -> ir.Table:
    t = _until(ledger, "occurred_at", as_of)
    t = t.filter(t.kind == "earn")
    if start is not None:
        t = t.filter(t.occurred_at >= start.to_pydatetime())
    return t.group_by("customer_id").aggregate(qualifying=t.points.cast("float64").sum())


def qualifying_spend(orders: ir.Table, as_of: dt.date | str,
                     start: pd.Timestamp | None) -> ir.Table:
    """Net spend (purchases less returns, :mod:`valuecrm.features.purchases`) per customer in
    the window, summed in whole cents (tiers cut it at thresholds:
    :mod:`valuecrm.features.money`)."""
    o = _until(orders, "ordered_at", as_of)
    if start is not None:
        o = o.filter(o.ordered_at >= start.to_pydatetime())
    kind = order_kind(o.status) if "status" in o.columns else ibis.literal("purchase")
    o = o.mutate(kind=kind).filter(ibis._.kind != "other")
    return o.group_by("customer_id").aggregate(
        qualifying=money_sum(signed_amount(o.kind, o.amount)))


def tiers_as_of(ledger: ir.Table, orders: ir.Table | None, rules: LoyaltyRules,
                as_of: dt.date | str, *, qualifying: ir.Table | None = None) -> ir.Table:
    """One row per member as of ``as_of``: ``customer_id``, ``qualifying`` and ``tier``.

    ``qualifying`` (``customer_id``, ``qualifying``) replaces what the rules would count
    (the what-if passes simulated points)."""
    start = window_start(as_of, rules.tier_window_months)
    if qualifying is None:
        if rules.tier_basis == "spend":
            if orders is None:
                raise ValueError("tiers on spend need the orders")
            qualifying = qualifying_spend(orders, as_of, start)
        else:
            qualifying = _qualifying_points(ledger, as_of, start)
    m = members(ledger, as_of)
    out = m.left_join(qualifying, "customer_id").drop("customer_id_right")
    out = out.mutate(qualifying=out.qualifying.fill_null(0.0))
    return out.mutate(tier=tier_of(out.qualifying, rules))


def tier_moves(before: ir.Table, after: ir.Table) -> ir.Table:
    """Counts of members by (``tier_from``, ``tier_to``) between two tier tables (a customer in
    only one of them is :data:`NOT_MEMBER` in the other)."""
    b = before.select(customer_id="customer_id", tier_from="tier")
    a = after.select(a_id="customer_id", tier_to="tier")
    joined = b.outer_join(a, b.customer_id == a.a_id)
    joined = joined.mutate(tier_from=joined.tier_from.fill_null(NOT_MEMBER),
                           tier_to=joined.tier_to.fill_null(NOT_MEMBER))
    return joined.group_by(["tier_from", "tier_to"]).aggregate(members=ibis._.count())


def visit_counts(orders: ir.Table, member_ids: ir.Table, as_of: dt.date | str,
                 months: int) -> ir.Table:
    """Purchases per member in the ``months`` up to ``as_of`` (``customer_id``, ``visits``)."""
    o = _until(orders, "ordered_at", as_of)
    o = o.filter(o.ordered_at >= window_start(as_of, months).to_pydatetime())
    if "status" in o.columns:
        o = o.filter(order_kind(o.status) == "purchase")
    o = o.semi_join(member_ids, "customer_id")
    return o.group_by("customer_id").aggregate(visits=ibis._.count())


def rules_summary(rules: LoyaltyRules) -> dict[str, Any]:
    """The rules as plain data (the file's shape)."""
    return rules.to_dict()
