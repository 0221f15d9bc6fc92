"""The likely reason a customer is leaving or left, from complaints and discounts (in the engine).

Rules, first match wins (thresholds in :class:`ReasonRules`):

1. **service failure**: the customer's last complaint, opened at most ``lookback_days`` before
   their last purchase (or after it), was never resolved (no ``resolved_at`` and no
   ``resolution_hours``) or took longer than ``long_resolution_hours`` to resolve;
2. **complaint: <category>**: such a last complaint exists and was resolved in time; the
   recovery went badly (``poor_recovery``) when ``satisfaction_after`` or the mean of the three
   justice ratings (Tax, Brown & Chandrashekaran 1998) is at most ``poor_rating`` on the 1-7
   scale;
3. **price sensitivity**: at least ``price_share`` of the list value of the customer's order
   lines was given as discount (``order_lines.discount / (amount + discount)``), or the customer
   responded to a price offer (a campaign whose ``offer`` matches ``price_offer_pattern``, e.g.
   "10% off", "discount", "折");
4. **unknown** otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir

SERVICE_FAILURE = "service failure"
PRICE = "price sensitivity"
UNKNOWN = "unknown"
COMPLAINT = "complaint: "


@dataclass(frozen=True)
class ReasonRules:
    """Thresholds of the reason rules (see the module docstring)."""

    lookback_days: int = 180
    long_resolution_hours: float = 72.0
    poor_rating: float = 3.0
    price_share: float = 0.25
    price_offer_pattern: str = r"(?i)(%|\boff\b|discount|coupon|sale|折|优惠)"


def last_complaints(database: Any, as_of: Any, rules: ReasonRules) -> ir.Table:
    """Per customer, their last complaint opened before the end of the as-of day."""
    cases = database.table("complaints")
    end = ibis.date(as_of) + ibis.interval(days=1)
    cases = cases.filter(cases.opened_at < end.cast("timestamp"))
    ranked = cases.mutate(_n=ibis.row_number().over(
        group_by=cases.customer_id, order_by=[cases.opened_at.desc(), cases.complaint_id]))
    last = ranked.filter(ranked._n == 0)
    justice = (last.outcome_justice.cast("float64") + last.procedural_justice.cast("float64")
               + last.interactional_justice.cast("float64")) / 3.0
    unresolved = last.resolved_at.isnull() & last.resolution_hours.isnull()
    hours = ibis.coalesce(
        last.resolution_hours.cast("float64"),
        (last.resolved_at.epoch_seconds() - last.opened_at.epoch_seconds()).cast("float64")
        / 3600.0)
    poor = ((last.satisfaction_after.cast("float64") <= rules.poor_rating)
            | (justice <= rules.poor_rating)).fill_null(False)
    return last.select(
        "customer_id", complaint_at=last.opened_at,
        complaint_category=last.category.fill_null("other"),
        service_failure=unresolved | (hours > rules.long_resolution_hours).fill_null(False),
        resolution_hours=hours, satisfaction_after=last.satisfaction_after.cast("float64"),
        poor_recovery=poor)


def discount_shares(database: Any, as_of: Any) -> ir.Table:
    """Per customer: discount / list value over their order lines up to the as-of day."""
    orders = database.table("orders")
    end = (ibis.date(as_of) + ibis.interval(days=1)).cast("timestamp")
    orders = orders.filter(orders.ordered_at < end).select("order_id", "customer_id")
    lines = database.table("order_lines")
    joined = lines.join(orders, "order_id")
    discount = joined.discount.cast("float64").fill_null(0.0)
    listed = joined.amount.cast("float64").fill_null(0.0) + discount
    sums = joined.group_by("customer_id").agg(discount=discount.sum(), listed=listed.sum())
    return sums.select("customer_id", discount_share=ibis.ifelse(
        sums.listed > 0, sums.discount / sums.listed, ibis.null("float64")))


def price_offer_responses(database: Any, as_of: Any, rules: ReasonRules) -> ir.Table:
    """Per customer: responses to price offers up to the as-of day."""
    members = database.table("campaign_members")
    campaigns = database.table("campaigns")
    end = (ibis.date(as_of) + ibis.interval(days=1)).cast("timestamp")
    offers = campaigns.filter(campaigns.offer.re_search(rules.price_offer_pattern))
    answered = members.filter(members.responded_at.notnull() & (members.responded_at < end))
    joined = answered.join(offers.select("campaign_id"), "campaign_id")
    return joined.group_by("customer_id").agg(price_responses=joined.count())


def with_reasons(table: ir.Table, database: Any, as_of: Any,
                 rules: ReasonRules = ReasonRules()) -> ir.Table:
    """``table`` (with ``customer_id`` and ``last_purchase``) plus ``reason``,
    ``complaint_category``, ``poor_recovery``, ``service_failure``, ``discount_share``,
    ``price_responses``."""
    cases = last_complaints(database, as_of, rules)
    out = table
    for part in (cases, discount_shares(database, as_of),
                 price_offer_responses(database, as_of, rules)):
        out = out.left_join(part, "customer_id")
        out = out.drop(*[c for c in out.columns if c.endswith("_right")])
    price = ((out.discount_share.fill_null(0.0) >= rules.price_share)
             | (out.price_responses.fill_null(0) > 0))
    recent = out.complaint_at.notnull() & (
        out.complaint_at >= out.last_purchase - ibis.interval(days=rules.lookback_days))
    reason = ibis.cases(
        (recent & out.service_failure, SERVICE_FAILURE),
        (recent, COMPLAINT + out.complaint_category),
        (price, PRICE),
        else_=UNKNOWN)
    return out.mutate(reason=reason,
                      complaint_category=ibis.ifelse(recent, out.complaint_category,
                                                     ibis.null("string")),
                      poor_recovery=(recent & out.poor_recovery).fill_null(False),
                      service_failure=(recent & out.service_failure).fill_null(False))


def suggested_action(reason: str, poor_recovery: bool, status: str, winback: bool) -> str:
    """A suggested action or offer for a customer of a retention or win-back list."""
    if reason == SERVICE_FAILURE:
        return "Close the open service case first, then a goodwill credit with an apology"
    if reason.startswith(COMPLAINT):
        topic = reason[len(COMPLAINT):]
        if poor_recovery:
            return (f"Personal apology from a manager about the {topic} complaint and a "
                    "make-good offer")
        return f"Follow up on the {topic} complaint: say what changed, with a welcome offer"
    if reason == PRICE:
        return "Targeted price offer (discount or bundle) on the categories they buy"
    if winback:
        return "Reactivation offer: what is new since their last purchase, small incentive"
    if status == "lapsed":
        return "Reminder with a time-limited incentive to buy again"
    return "Personal contact and a loyalty reward before they lapse"
