"""The loyalty points ledger and the referrals.

Ledger (members only), under the programme :data:`PLANTED_RULES` (the rules-file shape of
:mod:`valuecrm.actions.loyalty.rules`, written to truth.json): one point per whole currency unit
of a completed order (``earn``, rounded down per order, no bonus category); a member redeems
1,000 points, with probability 0.7, each time the points earned cross a multiple of 1,000
(``redeem``); a return takes its points back (``adjust``); a member who left more than a year
(``expiry_months``) before the window's end loses the balance (``expire``; the generator expires
a year after the hidden dropout, which comes after the last purchase). The tier after each entry
follows the points earned so far (since joining): bronze, silver (1,000), gold (5,000),
platinum (15,000).

Referrals: a referred customer names a uniformly chosen earlier customer as referrer (reward 10);
customers also refer people who never join (not converted, no reward).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from valuecrm.synthetic.customers import Traits, signup_day
from valuecrm.synthetic.orders import OrderBook
from valuecrm.synthetic.writer import TimeAxis, format_ids, to_arrow

# the planted programme, in the shape of a loyalty rules file (docs/loyalty.md)
PLANTED_RULES: dict[str, Any] = {
    "name": "the generator's planted programme",
    "value_per_point": 0.01,
    "expiry_months": 12,
    "earn": {"points_per_unit": 1, "bonus_categories": {}},
    "tiers": {"basis": "points", "window_months": None, "levels": [
        {"name": "bronze", "min": 0, "benefits": []},
        {"name": "silver", "min": 1000, "benefits": ["free delivery"]},
        {"name": "gold", "min": 5000, "benefits": ["free delivery", "priority service"]},
        {"name": "platinum", "min": 15000,
         "benefits": ["free delivery", "priority service", "personal adviser"]},
    ]},
    "visit_rules": [{"name": "service fee waived", "visits": 5, "window_months": 12,
                     "value": 5.0}],
}
REDEEM_POINTS = 1000
REDEEM_PROBABILITY = 0.7
# how members use their points (behaviour, not rules: recorded in truth.json beside the rules)
PLANTED_BEHAVIOUR = {
    "redeem": f"{REDEEM_POINTS} points, with probability {REDEEM_PROBABILITY}, each time the "
              f"points earned cross a multiple of {REDEEM_POINTS}",
    "adjust": "a return takes back floor(|amount| x points_per_unit) points",
    "expire": "the whole balance, 365 days after the member's (hidden) dropout, when inside "
              "the window",
}
_LEVELS = PLANTED_RULES["tiers"]["levels"]
TIERS = np.array([level["name"] for level in _LEVELS], dtype=object)
TIER_POINTS = np.array([level["min"] for level in _LEVELS[1:]])
EARN_RATE = PLANTED_RULES["earn"]["points_per_unit"]
KINDS = np.array(["earn", "redeem", "adjust", "expire"], dtype=object)
REFERRAL_REWARD = 10.0


def ledger_rows(rng: np.random.Generator, book: OrderBook, traits: Traits,
                dropout_day: np.ndarray, window_days: float, first_entry: int,
                axis: TimeAxis) -> pa.Table:
    member = traits.loyalty_member[book.customer]
    earn = member & (book.status == "completed") & (book.amount >= 1)
    back = member & (book.status == "returned") & (book.amount <= -1)
    e_cust, e_day = book.customer[earn], book.day[earn]
    e_pts = np.floor(book.amount[earn] * EARN_RATE).astype(np.int64)
    e_order = book.order_number[earn]

    # crossings of multiples of REDEEM_POINTS by the points earned (rows sorted by customer)
    total = np.cumsum(e_pts)
    first = np.searchsorted(e_cust, e_cust, side="left")
    before = np.where(first > 0, total[np.maximum(first - 1, 0)], 0)
    earned = total - before
    crossed = earned // REDEEM_POINTS - (earned - e_pts) // REDEEM_POINTS
    r_day = e_day + rng.uniform(0.01, 2.0, len(e_day))
    redeem = (crossed > 0) & (rng.random(len(e_day)) < REDEEM_PROBABILITY) & (r_day < window_days)

    a_cust, a_day = book.customer[back], book.day[back]
    a_pts = np.floor(-book.amount[back] * EARN_RATE).astype(np.int64)

    customer = np.concatenate([e_cust, e_cust[redeem], a_cust])
    day = np.concatenate([e_day, r_day[redeem], a_day])
    points = np.concatenate([e_pts, -REDEEM_POINTS * crossed[redeem], -a_pts])
    kind = np.concatenate([np.zeros(len(e_cust), np.int64), np.ones(redeem.sum(), np.int64),
                           np.full(len(a_cust), 2)])
    order_no = np.concatenate([e_order, np.full(redeem.sum(), -1), book.order_number[back]])

    # expiry: a year after leaving, when still inside the window
    balance = np.bincount(customer, weights=points, minlength=traits.n)
    expire_day = dropout_day + 365.0
    expires = np.flatnonzero((expire_day < window_days) & (balance > 0))
    customer = np.concatenate([customer, expires])
    day = np.concatenate([day, expire_day[expires]])
    points = np.concatenate([points, -balance[expires].astype(np.int64)])
    kind = np.concatenate([kind, np.full(len(expires), 3)])
    order_no = np.concatenate([order_no, np.full(len(expires), -1)])

    order = np.lexsort((kind, day, customer))
    customer, day, points, kind, order_no = (x[order] for x in (customer, day, points, kind,
                                                                order_no))
    earned_pts = np.where(kind == 0, points, 0)
    cum = np.cumsum(earned_pts)
    start = np.searchsorted(customer, customer, side="left")
    so_far = cum - np.where(start > 0, cum[np.maximum(start - 1, 0)], 0)
    tier = TIERS[np.searchsorted(TIER_POINTS, so_far, side="right")]
    order_ids = format_ids("O", np.maximum(order_no, 0), 10).to_numpy(zero_copy_only=False)
    order_ids = np.where(order_no >= 0, order_ids, None)
    return to_arrow("loyalty_ledger", {
        "entry_id": format_ids("L", first_entry + np.arange(len(customer)), 10),
        "customer_id": format_ids("C", traits.index[customer], 8),
        "occurred_at": axis(day), "points": points, "kind": KINDS[kind],
        "order_id": order_ids, "tier": tier,
    })


def referral_rows(rng: np.random.Generator, traits: Traits, n_customers: int, window_days: float,
                  active_until: np.ndarray, first_referral: int, axis: TimeAxis) -> pa.Table:
    # converted: the referred customers of this chunk and their earlier referrers
    who = np.flatnonzero(traits.referred)
    referrer = np.floor(rng.random(len(who)) * traits.index[who]).astype(np.int64)
    referrer_signup = signup_day(referrer, n_customers, window_days)
    when = np.maximum(traits.signup[who] - rng.uniform(0.5, 14.0, len(who)),
                      referrer_signup + 0.01)
    when = np.minimum(when, traits.signup[who])
    # not converted: people this chunk's customers referred who never joined
    count = rng.poisson(0.05, traits.n)
    lost = np.repeat(np.arange(traits.n), count)
    lost_day = traits.signup[lost] + rng.random(len(lost)) * np.maximum(
        active_until[lost] - traits.signup[lost], 0.0)

    referrer_ids = np.concatenate([referrer, traits.index[lost]])
    referred_ids = format_ids("C", traits.index[who], 8).to_numpy(zero_copy_only=False)
    day = np.concatenate([when, lost_day])
    converted = np.concatenate([np.ones(len(who), bool), np.zeros(len(lost), bool)])
    order = np.argsort(day, kind="stable")
    referred = np.concatenate([referred_ids, np.full(len(lost), None, dtype=object)])
    return to_arrow("referrals", {
        "referral_id": format_ids("REF", first_referral + np.arange(len(day)), 9),
        "referrer_id": format_ids("C", referrer_ids[order], 8),
        "referred_customer_id": referred[order],
        "referred_at": axis(day[order]),
        "converted": converted[order],
        "reward": np.where(converted, REFERRAL_REWARD, 0.0)[order],
    })
