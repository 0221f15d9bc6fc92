"""Touchpoints and the journey (接触点): contacts by stage and channel, their cost to serve, the
funnel from first contact to first order, and where complaints arise along the journey.

Stages are the ``STAGES`` of the schema (information, enquiry, selection, order, delivery,
payment, after_sales); a contact with another or no stage counts as ``unknown``. A contact is
*before the first order* when it happened before the customer's first purchase (customers with
no purchase: all their contacts). Everything table-sized runs in the engine (Ibis); shares get
Wilson intervals (contacts of one customer are treated as independent: the intervals are a
lower bound on the uncertainty of a mix that differs between customers). The customer-journey
view: Lemon & Verhoef 2016, "Understanding customer experience throughout the customer
journey", Journal of Marketing 80(6).
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from valuecrm.features.money import minor_units
from valuecrm.features.purchases import purchases
from valuecrm.store.database import Database
from valuecrm.store.schema import STAGES
from valuecrm.voice.proportions import wilson

NO_CONTACTS = "no interactions yet: the interactions table is empty"
# costs are summed in whole cents and durations in millionths of a minute: exact sums, the
# same figures on every run and engine whatever the order of the additions (features.money)
CENTS, DURATION_DIGITS = 100.0, 6
FUNNEL_STEPS = ("information", "enquiry", "selection")
MIX_METHOD = ("contacts (rows of interactions) by stage and by channel, each with its share of "
              "all contacts (Wilson interval), customers reached, cost to serve (sum, per "
              "contact, per customer reached) and mean duration; split before / after the "
              "customer's first purchase")
FUNNEL_METHOD = ("customers whose first contact came before their first purchase (or who never "
                 "bought); of them, those with contacts at information, then also at enquiry, "
                 "then also at selection before the first purchase, and of those the ones who "
                 "ordered (every step nested in the one before); step conversion = each step / "
                 "the step before (Wilson interval). Separately: the share of all who got in "
                 "touch first that ordered, whatever stages they passed")
PLACE_METHOD = ("each complaint is placed on the stage of the customer's latest interaction at "
                "or before the complaint was opened, within {days} days; none: 'unplaced'")


def _first_purchase(database: Database) -> ir.Table:
    bought = purchases(database.table("orders"))
    return bought.group_by("customer_id").agg(first_order=bought.ordered_at.min())


def _contacts(database: Database) -> ir.Table:
    i = database.table("interactions")
    first = _first_purchase(database)
    j = i.left_join(first, "customer_id")
    stage = ibis.ifelse(j.stage.isin(list(STAGES)), j.stage, "unknown")
    return j.select(
        customer_id=j.customer_id, occurred_at=j.occurred_at, stage=stage,
        channel=j.channel.fill_null("unknown"), cost=minor_units(j.cost_to_serve),
        duration=minor_units(j.duration_minutes, DURATION_DIGITS),
        before=(j.first_order.isnull() | (j.occurred_at < j.first_order)))


def _mix(t: ir.Table, key: str, total: int, level: float, order: tuple[str, ...] = ()
         ) -> list[dict[str, Any]]:
    frame = t.group_by(key).agg(
        contacts=t.count(), customers=t.customer_id.nunique(), cost=t.cost.sum(),
        duration=t.duration.sum(), timed=t.duration.count()).execute()
    rank = {name: i for i, name in enumerate(order)}
    rows = sorted(frame.itertuples(index=False),
                  key=lambda r: (rank.get(getattr(r, key), len(rank)), str(getattr(r, key))))
    out = []
    for r in rows:
        share = wilson(int(r.contacts), total, level)
        cost = None if r.cost is None or r.cost != r.cost else int(r.cost) / CENTS
        out.append({key: getattr(r, key), "contacts": int(r.contacts), "share": share["share"],
                    "lower": share["lower"], "upper": share["upper"],
                    "customers": int(r.customers), "cost_to_serve": cost,
                    "cost_per_contact": None if cost is None else cost / int(r.contacts),
                    "cost_per_customer": None if cost is None else cost / int(r.customers),
                    "mean_duration_minutes": None if not r.timed
                    else int(r.duration) / int(r.timed) / 10**DURATION_DIGITS})
    return out


def journey_mix(database: Database, *, level: float = 0.95) -> dict[str, Any]:
    """Contacts by stage and by channel (all, before and after the first order), and the
    stage x channel table."""
    t = _contacts(database)
    total = int(t.count().execute())
    if total == 0:
        return {"method": MIX_METHOD, "contacts": 0, "missing": NO_CONTACTS}
    order = (*STAGES, "unknown")
    phases = {}
    for name, part in (("before_first_order", t.filter(t.before)),
                       ("after_first_order", t.filter(~t.before))):
        n = int(part.count().execute())
        phases[name] = {"contacts": n, "by_stage": _mix(part, "stage", n, level, order),
                        "by_channel": _mix(part, "channel", n, level)}
    cross = t.group_by(["stage", "channel"]).agg(contacts=t.count()).execute()
    return {"method": MIX_METHOD, "contacts": total, "level": level,
            "by_stage": _mix(t, "stage", total, level, order),
            "by_channel": _mix(t, "channel", total, level),
            "stage_channel": [{"stage": r.stage, "channel": r.channel,
                               "contacts": int(r.contacts)}
                              for r in cross.sort_values(["stage", "channel"]).itertuples()],
            "phases": phases}


def cost_to_serve(database: Database) -> dict[str, Any]:
    """Contacts and cost to serve per customer: of customers with a contact, and of all."""
    t = _contacts(database)
    customers = int(database.table("customers").count().execute())
    per = t.group_by("customer_id").agg(n=t.count(), cost=t.cost.sum())
    row = per.aggregate(
        contacting=per.count(), contacts=per.n.sum(), mean_contacts=per.n.mean(),
        median_contacts=per.n.quantile(0.5), p90_contacts=per.n.quantile(0.9),
        cost=per.cost.sum(), mean_cost=per.cost.mean(), median_cost=per.cost.quantile(0.5),
        p90_cost=per.cost.quantile(0.9)).execute().iloc[0]
    contacting = int(row.contacting)

    def _f(v: Any, scale: float = 1.0) -> float | None:
        return None if v is None or v != v else float(v) / scale

    base = {"method": "per customer with at least one contact (mean, median, 90th percentile) "
                      "and per customer on file (total / customers)",
            "customers": customers, "contacting_customers": contacting}
    if contacting == 0:
        return {**base, "missing": NO_CONTACTS}
    return {**base, "contacts": int(row.contacts), "cost_to_serve": _f(row.cost, CENTS),
            "per_contacting_customer": {
                "contacts": {"mean": _f(row.mean_contacts), "median": _f(row.median_contacts),
                             "p90": _f(row.p90_contacts)},
                "cost": {"mean": _f(row.mean_cost, CENTS),
                         "median": _f(row.median_cost, CENTS),
                         "p90": _f(row.p90_cost, CENTS)}},
            "per_customer": {"contacts": int(row.contacts) / customers if customers else None,
                             "cost": (_f(row.cost, CENTS) or 0.0) / customers
                             if customers else None}}


def journey_funnel(database: Database, *, level: float = 0.95) -> dict[str, Any]:
    """The funnel from first contact to first order (nested stages before the first order)."""
    t = _contacts(database)
    per = t.group_by("customer_id").agg(
        first_before=t.before.max(),
        **{s: (t.before & (t.stage == s)).max() for s in FUNNEL_STEPS})
    first = _first_purchase(database)
    per = per.left_join(first, "customer_id").select(
        per, ordered=first.first_order.notnull())
    starters = per.filter(per.first_before)
    reach = [starters.count()]
    condition = ibis.literal(True)
    for s in FUNNEL_STEPS:
        condition = condition & starters[s]
        reach.append(condition.cast("int64").sum())
    row = starters.aggregate(
        started=starters.count(), ordered=starters.ordered.cast("int64").sum(),
        through_ordered=(condition & starters.ordered).cast("int64").sum(),
        **{s: expr for s, expr in zip(FUNNEL_STEPS, reach[1:], strict=True)}).execute().iloc[0]
    started = int(row.started)
    buyers = int(first.count().execute())
    base: dict[str, Any] = {"method": FUNNEL_METHOD, "level": level, "buyers": buyers}
    if started == 0:
        return {**base, "started": 0, "steps": [],
                "missing": "no customer got in touch before a first order"}
    steps, previous = [], started
    names = ("first_contact", *FUNNEL_STEPS)
    counts = [started, *(int(row[s] or 0) for s in FUNNEL_STEPS)]
    for name, k in zip(names, counts, strict=True):
        step = wilson(k, previous, level)
        steps.append({"step": name, "customers": k, "of_started": k / started,
                      "conversion": step["share"], "lower": step["lower"],
                      "upper": step["upper"]})
        previous = k
    # the last step is nested too: of those who passed every stage, the ones who ordered
    through = int(row.through_ordered or 0)
    conv = wilson(through, previous, level)
    steps.append({"step": "first_order", "customers": through, "of_started": through / started,
                  "conversion": conv["share"], "lower": conv["lower"], "upper": conv["upper"]})
    ordered = int(row.ordered or 0)
    return {**base, "started": started, "steps": steps,
            "ordered": wilson(ordered, started, level),
            "first_orders_after_a_contact": wilson(ordered, buyers, level)}


def complaint_stages(database: Database, *, days: int = 30, level: float = 0.95
                     ) -> dict[str, Any]:
    """Where complaints arise: each complaint on the stage of the customer's latest interaction
    at or before it (within ``days``), with the complaints per 1,000 contacts at that stage."""
    complaints = database.table("complaints")
    total = int(complaints.count().execute())
    method = PLACE_METHOD.format(days=days)
    if total == 0:
        return {"method": method, "complaints": 0, "days": days,
                "missing": "no complaints yet: the complaints table is empty"}
    t = _contacts(database)
    c = complaints.select("complaint_id", cid="customer_id", opened="opened_at")
    near = c.join(t, (c.cid == t.customer_id) & (t.occurred_at <= c.opened)
                  & (t.occurred_at >= c.opened - ibis.interval(days=days)))
    placed = near.group_by("complaint_id").agg(stage=near.stage.argmax(near.occurred_at))
    counts = placed.group_by("stage").agg(complaints=placed.count()).execute()
    contacts = dict(t.group_by("stage").agg(n=t.count()).execute().itertuples(index=False))
    found = dict(zip(counts.stage, counts.complaints.astype(int), strict=True))
    found_total = sum(found.values())
    if total > found_total:
        found["unplaced"] = total - found_total
    rows = []
    for stage in (*STAGES, "unknown", "unplaced"):
        if stage not in found:
            continue
        share = wilson(found[stage], total, level)
        n_contacts = int(contacts.get(stage, 0))
        rows.append({"stage": stage, "complaints": found[stage], "share": share["share"],
                     "lower": share["lower"], "upper": share["upper"],
                     "per_1000_contacts": (1000 * found[stage] / n_contacts
                                           if n_contacts else None)})
    return {"method": method, "complaints": total, "days": days, "level": level,
            "by_stage": rows}
