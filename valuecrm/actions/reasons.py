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
Where there are no complaints or prices to read, the customer's own orders tell
(:mod:`valuecrm.actions.order_signals`), first match wins:

4. **returned last order** (``returned``): an order was returned on or after the last purchase
   day;
5. **left after one purchase** (``one_purchase``): a single purchase day;
6. **category stopped: <category>** (``category_stopped``): a category bought on at least
   ``category_days`` earlier purchase days is missing from the last one (only when order lines
   carry product categories);
7. **spend fell** (``spend_fell``): the last purchase day's spend is at most ``spend_fall``
   times the mean of the earlier ones;
8. **intervals lengthened** (``intervals_lengthened``): the last gap between purchase days is
   at least ``gap_growth`` times the mean of the earlier gaps (three purchase days or more);
9. **overdue** (``overdue``): the days since the last purchase are at least ``gap_growth``
   times the customer's mean gap between purchase days (two purchase days or more);
10. **no sign in the orders** (``no_sign``): none of these: steady spend and intervals, and a
   silence still within the customer's rhythm;
11. **unknown** (``unknown``): no purchase up to the as-of day to read.

Each row carries ``reason`` (the label), ``reason_code`` and ``reason_rule`` (the rule's text
with its thresholds, from :func:`reason_rule`), so a reader can check it on the orders.
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
RETURNED = "returned last order"
ONE_PURCHASE = "left after one purchase"
CATEGORY_STOPPED = "category stopped: "
SPEND_FELL = "spend fell"
INTERVALS = "intervals lengthened"
OVERDUE = "overdue"
NO_SIGN = "no sign in the orders"

# reason code -> its label (a prefix for the two that name a category)
REASON_LABELS: dict[str, str] = {
    "service_failure": SERVICE_FAILURE, "complaint": COMPLAINT, "price_sensitivity": PRICE,
    "returned": RETURNED, "one_purchase": ONE_PURCHASE, "category_stopped": CATEGORY_STOPPED,
    "spend_fell": SPEND_FELL, "intervals_lengthened": INTERVALS, "overdue": OVERDUE,
    "no_sign": NO_SIGN,
    "unknown": UNKNOWN,
}


@dataclass(frozen=True)
class ReasonRules:
    """Thresholds of the reason rules (see the module docstring)."""

    lookback_days: int = 180
    long_resolution_hours: float = 72.0
    poor_rating: float = 3.0
    price_share: float = 0.25
    price_offer_pattern: str = r"(?i)(%|\boff\b|discount|coupon|sale|折|优惠)"
    category_days: int = 2
    spend_fall: float = 0.5
    gap_growth: float = 2.0


def reason_rule(code: str, rules: ReasonRules = ReasonRules()) -> str:
    """The rule that gives reason ``code``, in words, with the thresholds of ``rules``."""
    texts = {
        "service_failure": f"last complaint (within {rules.lookback_days} days before the last "
                           f"purchase, or after it) unresolved or resolved after more than "
                           f"{rules.long_resolution_hours:g} hours",
        "complaint": f"last complaint within {rules.lookback_days} days before the last "
                     "purchase, or after it, resolved in time",
        "price_sensitivity": f"at least {rules.price_share:.0%} of the list value given as "
                             "discount, or answered a price offer",
        "returned": "an order returned on or after the last purchase day",
        "one_purchase": "a single purchase day",
        "category_stopped": f"a category bought on at least {rules.category_days} earlier "
                            "purchase days is missing from the last one",
        "spend_fell": f"spend on the last purchase day at most {rules.spend_fall:g} x the mean "
                      "of the earlier purchase days",
        "intervals_lengthened": f"last gap between purchase days at least "
                                f"{rules.gap_growth:g} x the mean of the earlier gaps",
        "overdue": f"days since the last purchase at least {rules.gap_growth:g} x the mean gap "
                   "between purchase days (two purchase days or more)",
        "no_sign": "no complaint, price or order rule matched: steady spend and intervals, "
                   f"silent for less than {rules.gap_growth:g} x the usual gap",
        "unknown": "no purchase up to the as-of day",
    }
    return texts[code]


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
    """``table`` (with ``customer_id`` and ``last_purchase``) plus ``reason``, ``reason_code``,
    ``complaint_category``, ``poor_recovery``, ``service_failure``, ``discount_share``,
    ``price_responses`` and the order signals of :func:`order_signals`."""
    from valuecrm.actions.order_signals import order_signals

    cases = last_complaints(database, as_of, rules)
    out = table
    for part in (cases, discount_shares(database, as_of),
                 price_offer_responses(database, as_of, rules),
                 order_signals(database, as_of, rules.category_days)):
        out = out.left_join(part, "customer_id")
        out = out.drop(*[c for c in out.columns if c.endswith("_right")])
    price = ((out.discount_share.fill_null(0.0) >= rules.price_share)
             | (out.price_responses.fill_null(0) > 0))
    recent = out.complaint_at.notnull() & (
        out.complaint_at >= out.last_purchase - ibis.interval(days=rules.lookback_days))
    code = ibis.cases(
        (recent & out.service_failure, "service_failure"),
        (recent, "complaint"),
        (price, "price_sensitivity"),
        (out.purchase_days.isnull(), "unknown"),
        (out.returned_after_last, "returned"),
        (out.purchase_days == 1, "one_purchase"),
        (out.stopped_category.notnull(), "category_stopped"),
        ((out.earlier_mean_amount > 0)
         & (out.last_amount <= rules.spend_fall * out.earlier_mean_amount), "spend_fell"),
        ((out.earlier_mean_gap_days > 0)
         & (out.last_gap_days >= rules.gap_growth * out.earlier_mean_gap_days),
         "intervals_lengthened"),
        ((out.mean_gap_days > 0) & (out.silent_days >= rules.gap_growth * out.mean_gap_days),
         "overdue"),
        else_="no_sign")
    out = out.mutate(reason_code=code)
    reason = out.reason_code.cases(
        ("complaint", COMPLAINT + out.complaint_category),
        ("category_stopped", CATEGORY_STOPPED + out.stopped_category),
        *((c, label) for c, label in REASON_LABELS.items()
          if c not in ("complaint", "category_stopped")),
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
    if reason == RETURNED:
        return "Ask what was wrong with the returned order; offer an exchange or a credit"
    if reason == ONE_PURCHASE:
        return "Second-purchase offer matched to what they bought first"
    if reason.startswith(CATEGORY_STOPPED):
        topic = reason[len(CATEGORY_STOPPED):]
        return f"Show what is new in {topic}, with a small incentive to buy it here again"
    if reason == SPEND_FELL:
        return "Bundle or spend-threshold reward to bring the basket back up"
    if reason in (INTERVALS, OVERDUE):
        return "Reminder timed to their old buying rhythm, with a time-limited incentive"
    if winback:
        return "Reactivation offer: what is new since their last purchase, small incentive"
    if status == "lapsed":
        return "Reminder with a time-limited incentive to buy again"
    return "Personal contact and a loyalty reward before they lapse"


def reason_rule_column(code: ir.StringValue, rules: ReasonRules = ReasonRules()
                       ) -> ir.StringValue:
    """:func:`reason_rule` of each row's ``code``, in the engine."""
    return code.cases(*((c, reason_rule(c, rules)) for c in REASON_LABELS), else_=None)


def suggested_action_column(reason: ir.StringValue, poor_recovery: ir.BooleanValue,
                            status: ir.StringValue, winback: bool) -> ir.StringValue:
    """:func:`suggested_action` of each row, in the engine (the same rules in the same
    order, so a list is built without a Python string per customer)."""
    complaint = reason.substr(len(COMPLAINT))
    stopped = reason.substr(len(CATEGORY_STOPPED))
    fallback = suggested_action("", False, "lapsed" if winback else "at risk", winback)
    last = fallback if winback else ibis.ifelse(
        status == "lapsed", suggested_action("", False, "lapsed", False),
        suggested_action("", False, "at risk", False))
    return ibis.cases(
        (reason == SERVICE_FAILURE, suggested_action(SERVICE_FAILURE, False, "", winback)),
        (reason.startswith(COMPLAINT) & poor_recovery,
         "Personal apology from a manager about the " + complaint
         + " complaint and a make-good offer"),
        (reason.startswith(COMPLAINT),
         "Follow up on the " + complaint + " complaint: say what changed, with a welcome offer"),
        (reason == PRICE, suggested_action(PRICE, False, "", winback)),
        (reason == RETURNED, suggested_action(RETURNED, False, "", winback)),
        (reason == ONE_PURCHASE, suggested_action(ONE_PURCHASE, False, "", winback)),
        (reason.startswith(CATEGORY_STOPPED),
         "Show what is new in " + stopped + ", with a small incentive to buy it here again"),
        (reason == SPEND_FELL, suggested_action(SPEND_FELL, False, "", winback)),
        (reason.isin([INTERVALS, OVERDUE]), suggested_action(INTERVALS, False, "", winback)),
        else_=last)
