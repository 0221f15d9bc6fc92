"""One chunk of customers, from hidden traits to the rows of every table and the truth.

Everything is vectorised over the chunk's customers and their orders; the only Python loops
run over tables, campaigns or categories.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from valuecrm.synthetic.campaigns import (
    Campaign,
    CampaignTally,
    assign_members,
    first_order_in_window,
    members_table,
)
from valuecrm.synthetic.catalog import Catalog
from valuecrm.synthetic.config import GeneratorConfig
from valuecrm.synthetic.customers import Traits, draw_traits
from valuecrm.synthetic.feedback import survey_rows
from valuecrm.synthetic.loyalty import ledger_rows, referral_rows
from valuecrm.synthetic.names import draw_people
from valuecrm.synthetic.orders import OrderBook, build_orders
from valuecrm.synthetic.purchases import draw_repeat_purchases, trajectory
from valuecrm.synthetic.service import (
    Complaints,
    draw_complaints,
    draw_contacts,
    draw_journey_contacts,
    make_costly_unprofitable,
)
from valuecrm.synthetic.writer import TimeAxis, format_ids, to_arrow


@dataclass
class Counters:
    """Running identifier numbers, so ids stay unique across chunks."""

    orders: int = 1
    interactions: int = 1
    complaints: int = 1
    responses: int = 1
    entries: int = 1
    referrals: int = 1


@dataclass
class Shared:
    """What every chunk uses: the configuration, catalogue, campaigns and time axis."""

    config: GeneratorConfig
    catalog: Catalog
    campaigns: list[Campaign]
    axis: TimeAxis
    tally: CampaignTally
    counters: Counters


def _sort_purchases(customer: np.ndarray, day: np.ndarray, *rest: np.ndarray):
    order = np.lexsort((day, customer))
    return order, customer[order], day[order], *(r[order] for r in rest)


def build_chunk(shared: Shared, chunk_no: int, first: int, n: int) -> dict[str, pa.Table]:
    """The rows of every table (and ``truth``) for customers ``first .. first + n - 1``."""
    c, axis, ctr = shared.config, shared.axis, shared.counters
    window = c.window_days
    rng = np.random.default_rng(np.random.SeedSequence([c.seed, 1, chunk_no]))
    traits = draw_traits(rng, c, first, n)
    path = trajectory(c, traits)
    repeat = draw_repeat_purchases(rng, traits, path)

    # all organic purchases: the first one at time 0 of the BG/NBD clock, then the repeats
    customer = np.concatenate([np.arange(n), repeat.customer])
    day = np.concatenate([traits.first_purchase, repeat.day])
    _, customer, day = _sort_purchases(customer, day)
    amount = np.maximum(np.round(rng.gamma(c.p, 1.0 / traits.nu[customer]), 2), 0.5)

    # complaints; a poor recovery makes the customer leave when the case is resolved
    complaints = draw_complaints(rng, c, traits, customer, day, amount, window)
    leave_day = np.full(n, np.inf)
    np.minimum.at(leave_day, complaints.customer[complaints.leaves],
                  complaints.resolved[complaints.leaves])
    dropout = np.minimum(repeat.bgnbd_dropout_day, leave_day)
    keep = day <= dropout[customer]
    new_index = np.cumsum(keep) - 1
    complaints = complaints.subset(keep[complaints.purchase])
    complaints.purchase = new_index[complaints.purchase]
    customer, day, amount = customer[keep], day[keep], amount[keep]
    organic = np.bincount(customer, minlength=n)

    # campaigns add planted extra orders for treated customers
    members = assign_members(rng, c, shared.campaigns, traits, dropout, customer, day)
    extra_amount = np.maximum(np.round(rng.gamma(c.p, 1.0 / traits.nu[members.extra_customer])
                                       , 2), 0.5)
    order, customer, day, amount = _sort_purchases(
        np.concatenate([customer, members.extra_customer]),
        np.concatenate([day, members.extra_day]), np.concatenate([amount, extra_amount]))
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    complaints.purchase = position[complaints.purchase]

    book = build_orders(rng, c, traits, shared.catalog, customer, day, amount, dropout, window,
                        ctr.orders, axis)
    ctr.orders += book.orders.num_rows

    # campaign response: first completed order within the window after the contact
    done = book.status == "completed"
    first_buy = first_order_in_window(book.customer[done], book.day[done], members.customer,
                                      members.reference_day, float(c.campaign_window_days))
    shared.tally.add(members, np.isfinite(first_buy))

    active_until = np.minimum(dropout + 30.0, window - 1e-6)
    contacts = draw_contacts(rng, c, traits, active_until)
    # the planted journey draws from its own stream, so the other tables stay as they were
    journey_rng = np.random.default_rng(np.random.SeedSequence([c.seed, 2, chunk_no]))
    contacts = contacts.concat(draw_journey_contacts(journey_rng, traits, complaints))
    complaint_cost = np.bincount(complaints.customer, weights=complaints.cost_to_serve,
                                 minlength=n)
    make_costly_unprofitable(contacts, traits, book.margin_by_customer, complaint_cost, rng)
    cost_to_serve = complaint_cost + np.bincount(contacts.customer,
                                                 weights=contacts.cost_to_serve, minlength=n)

    poor = np.zeros(n, bool)
    poor[complaints.customer[complaints.satisfaction_after <= 3]] = True
    satisfaction = traits.satisfaction - 0.7 * poor
    surveys, n_responses = survey_rows(rng, traits, c.survey_share, satisfaction, active_until,
                                       ctr.responses, axis)
    ctr.responses += n_responses

    tables: dict[str, pa.Table] = {"orders": book.orders, "order_lines": book.lines,
                                   "survey_responses": surveys}
    tables["complaints"] = _complaints_table(complaints, book, traits, ctr.complaints, axis)
    ctr.complaints += len(complaints.customer)
    tables["interactions"] = to_arrow("interactions", {
        "interaction_id": format_ids("I", ctr.interactions + np.arange(len(contacts.customer)),
                                     10),
        "customer_id": format_ids("C", traits.index[contacts.customer], 8),
        "occurred_at": axis(contacts.day), "stage": contacts.stage,
        "channel": contacts.channel, "kind": contacts.kind,
        "cost_to_serve": contacts.cost_to_serve, "duration_minutes": contacts.duration,
    })
    ctr.interactions += len(contacts.customer)
    tables["loyalty_ledger"] = ledger_rows(rng, book, traits, dropout, window, ctr.entries, axis)
    ctr.entries += tables["loyalty_ledger"].num_rows
    tables["referrals"] = referral_rows(rng, traits, c.n_customers, window, active_until,
                                        ctr.referrals, axis)
    ctr.referrals += tables["referrals"].num_rows
    tables["campaign_members"] = members_table(members, first_buy, shared.campaigns, traits,
                                               axis)

    signup_year = np.asarray(axis(traits.signup).cast(pa.int64())).astype(
        "datetime64[us]").astype("datetime64[Y]").astype(np.int64) + 1970
    people = draw_people(rng, n, c.chinese_name_share, traits.referred, signup_year)
    ids = format_ids("C", traits.index, 8)
    tables["customers"] = to_arrow("customers", {
        "customer_id": ids, **vars(people), "signup_at": axis(traits.signup),
    })

    alive = ~np.isfinite(dropout)
    stage = path.stage_at(traits.horizon_weeks)
    stage[~alive] = "lost"
    repeats = organic - 1
    onset_day = traits.first_purchase + traits.decline_onset * 7.0
    tables["truth"] = pa.table({
        "customer_id": ids,
        "signup_at": axis(traits.signup),
        "first_purchase_at": axis(traits.first_purchase),
        "T_weeks": traits.horizon_weeks,
        "lambda": traits.lam,
        "p": traits.p_drop,
        "drop_after": traits.drop_after,
        "bgnbd_dropout_at": axis(repeat.bgnbd_dropout_day),
        "dropout_at": axis(dropout),
        "alive_at_end": alive,
        "left_after_complaint": np.isfinite(leave_day) & (leave_day <= repeat.bgnbd_dropout_day),
        "planted_stage": pa.array(stage, pa.string()),
        "decline_onset_at": axis(np.where(onset_day < window, onset_day, np.nan)),
        "operational_weeks": path.operational(traits.horizon_weeks),
        "costly": traits.costly,
        "nu": traits.nu,
        "expected_spend": traits.expected_spend,
        "satisfaction": satisfaction,
        "loyalty_member": traits.loyalty_member,
        "n_repeat_purchases": repeats,
        "expected_repeat_purchases": traits.lam * path.operational(traits.horizon_weeks),
        "decline_lost_purchases": traits.lam * path.decline_loss(traits.horizon_weeks),
        "n_campaign_orders": np.bincount(members.extra_customer, minlength=n),
        "margin": np.round(book.margin_by_customer, 2),
        "cost_to_serve": np.round(cost_to_serve, 2),
    })
    return tables


def _complaints_table(complaints: Complaints, book: OrderBook, traits: Traits, first: int,
                      axis: TimeAxis) -> pa.Table:
    k = complaints
    row = book.purchase_row[k.purchase]
    order = np.lexsort((k.opened, k.customer))
    return to_arrow("complaints", {
        "complaint_id": format_ids("CS", first + np.arange(len(order)), 9),
        "customer_id": format_ids("C", traits.index[k.customer[order]], 8),
        "order_id": format_ids("O", book.order_number[row[order]], 10),
        "opened_at": axis(k.opened[order]), "resolved_at": axis(k.resolved[order]),
        "category": k.category[order].astype(object), "severity": k.severity[order],
        "compensation": k.compensation[order], "resolution_hours": k.resolution_hours[order],
        "outcome_justice": k.outcome_justice[order],
        "procedural_justice": k.procedural_justice[order],
        "interactional_justice": k.interactional_justice[order],
        "satisfaction_after": k.satisfaction_after[order], "cost_to_serve": k.cost_to_serve[order],
    })
