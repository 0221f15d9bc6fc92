"""Complaints with their service recovery, and contacts at touchpoints with their cost to serve.

Recovery follows the justice view of complaint handling (Tax, Brown & Chandrashekaran 1998,
Journal of Marketing 62(2)): the three justice ratings (1-7) are driven by the compensation
(outcome), the time to resolve (procedural) and the staff (interactional); ``satisfaction_after``
is their weighted mean plus noise, and it decides whether the customer stays (see
:class:`~valuecrm.synthetic.config.GeneratorConfig`).

The journey across touchpoints (接触点) is planted in three parts, each recorded in truth.json:
contacts after joining at the stages of ``STAGE_WEIGHTS`` (``COSTLY_STAGE_WEIGHTS`` for costly
customers) through channels drawn uniformly; a pre-purchase journey for a share
``PREPURCHASE["share"]`` of customers (information, then enquiry and selection with the planted
step probabilities, before the first order); and one contact just before each complaint, at the
stage its category belongs to (``COMPLAINT_STAGE``), so that a complaint placed on the stage of
the customer's latest interaction before it lands where it was planted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from valuecrm.store.schema import STAGES
from valuecrm.synthetic.config import GeneratorConfig
from valuecrm.synthetic.customers import Traits

COMPLAINT_CATEGORIES = np.array(["delivery", "quality", "price", "staff", "billing", "other"])
# weights of outcome, procedural and interactional justice in satisfaction_after
JUSTICE_WEIGHTS = (0.4, 0.3, 0.3)
CONTACT_CHANNELS = np.array(["phone", "email", "chat", "store", "web"])
STAGE_KIND = {"information": "visit", "enquiry": "question", "selection": "consultation",
              "order": "order_help", "delivery": "delivery_query", "payment": "payment_query",
              "after_sales": "support"}
STAGE_WEIGHTS = np.array([0.15, 0.2, 0.1, 0.1, 0.2, 0.05, 0.2])
COSTLY_STAGE_WEIGHTS = np.array([0.05, 0.15, 0.05, 0.1, 0.25, 0.1, 0.3])
# the pre-purchase journey: share of customers who have one, step probabilities, lead time
PREPURCHASE = {"share": 0.6, "enquiry_given_information": 0.7, "selection_given_enquiry": 0.5,
               "lead_days_mean": 14.0}
PREPURCHASE_CHANNEL_WEIGHTS = np.array([0.1, 0.1, 0.2, 0.1, 0.5])  # order of CONTACT_CHANNELS
# where each complaint category arises along the journey, and how complainers get in touch
COMPLAINT_STAGE = {"delivery": "delivery", "quality": "after_sales", "price": "selection",
                   "staff": "order", "billing": "payment", "other": "after_sales"}
COMPLAINT_CHANNEL_WEIGHTS = np.array([0.4, 0.2, 0.3, 0.1, 0.0])


def _likert(x: np.ndarray) -> np.ndarray:
    return np.clip(np.round(x), 1, 7)


@dataclass
class Complaints:
    """Complaints of a chunk (flat arrays); ``purchase`` indexes the purchase complained about."""

    purchase: np.ndarray
    customer: np.ndarray
    opened: np.ndarray
    resolved: np.ndarray  # nan when still open at the end of the window
    category: np.ndarray
    severity: np.ndarray
    compensation: np.ndarray
    resolution_hours: np.ndarray
    outcome_justice: np.ndarray
    procedural_justice: np.ndarray
    interactional_justice: np.ndarray
    satisfaction_after: np.ndarray
    cost_to_serve: np.ndarray
    leaves: np.ndarray  # the customer left after this recovery

    def subset(self, keep: np.ndarray) -> Complaints:
        return Complaints(**{k: v[keep] for k, v in vars(self).items()})


def draw_complaints(rng: np.random.Generator, config: GeneratorConfig, traits: Traits,
                    customer: np.ndarray, day: np.ndarray, amount: np.ndarray,
                    window_days: float) -> Complaints:
    """Complaints about purchases (``customer``, ``day``, ``amount`` per purchase)."""
    c = config
    chance = c.complaint_probability * np.where(traits.costly[customer],
                                                c.costly_complaint_factor, 1.0)
    hit = np.flatnonzero(rng.random(len(customer)) < np.minimum(chance, 1.0))
    opened = day[hit] + 0.05 + rng.exponential(2.0, len(hit))
    hit, opened = hit[opened < window_days], opened[opened < window_days]
    m = len(hit)
    who = customer[hit]
    severity = rng.choice(5, size=m, p=[0.3, 0.3, 0.2, 0.15, 0.05]) + 1
    hours = np.round(rng.gamma(2.0, 12.0, m) * (0.6 + 0.2 * severity), 1)
    resolved = opened + hours / 24.0
    done = resolved < window_days
    base = amount[hit]
    compensated = rng.random(m) < 0.6
    share = np.where(compensated, rng.uniform(0.1, 1.0, m), 0.0)
    compensation = np.round(share * base, 2)
    outcome = _likert(2.0 + 5.0 * share + rng.normal(0, 0.8, m))
    procedural = _likert(6.5 - 0.05 * hours + rng.normal(0, 0.8, m))
    interactional = _likert(rng.normal(5.0, 1.2, m))
    w = JUSTICE_WEIGHTS
    after = _likert(w[0] * outcome + w[1] * procedural + w[2] * interactional
                    + rng.normal(0, 0.6, m))
    stay = stay_probability(c, after)
    leaves = done & c.complaint_churn & (rng.random(m) >= stay)
    cost = np.round(10.0 + 2.0 * severity * np.sqrt(hours), 2)
    nan = np.full(m, np.nan)
    return Complaints(
        purchase=hit, customer=who, opened=opened, resolved=np.where(done, resolved, np.nan),
        category=COMPLAINT_CATEGORIES[rng.integers(0, len(COMPLAINT_CATEGORIES), m)],
        severity=severity, compensation=compensation,
        resolution_hours=np.where(done, hours, nan),
        outcome_justice=np.where(done, outcome, nan),
        procedural_justice=np.where(done, procedural, nan),
        interactional_justice=np.where(done, interactional, nan),
        satisfaction_after=np.where(done, after, nan),
        cost_to_serve=cost, leaves=leaves,
    )


@dataclass
class Contacts:
    """Interactions of a chunk (flat arrays)."""

    customer: np.ndarray
    day: np.ndarray
    stage: np.ndarray
    channel: np.ndarray
    kind: np.ndarray
    duration: np.ndarray
    cost_to_serve: np.ndarray

    def concat(self, other: Contacts) -> Contacts:
        """Both sets of contacts, sorted by customer and time."""
        joined = {k: np.concatenate([v, getattr(other, k)]) for k, v in vars(self).items()}
        order = np.lexsort((joined["day"], joined["customer"]))
        return Contacts(**{k: v[order] for k, v in joined.items()})


def draw_contacts(rng: np.random.Generator, config: GeneratorConfig, traits: Traits,
                  active_until: np.ndarray) -> Contacts:
    """Contacts from joining until ``active_until`` (day), more of them for costly customers."""
    weeks = np.maximum(active_until - traits.signup, 0.0) / 7.0
    rate = config.contacts_per_week * np.where(traits.costly, config.costly_contact_factor, 1.0)
    count = rng.poisson(rate * weeks)
    count = np.where(traits.costly, np.maximum(count, 3), count)
    customer = np.repeat(np.arange(traits.n), count)
    start = traits.signup[customer]
    day = start + rng.random(len(customer)) * (active_until[customer] - start)
    order = np.lexsort((day, customer))
    customer, day = customer[order], day[order]
    m = len(customer)
    costly = traits.costly[customer]
    stage_no = np.where(costly, rng.choice(len(STAGES), m, p=COSTLY_STAGE_WEIGHTS),
                        rng.choice(len(STAGES), m, p=STAGE_WEIGHTS))
    stages = np.array(STAGES, dtype=object)
    kinds = np.array([STAGE_KIND[s] for s in STAGES], dtype=object)
    duration = np.round(rng.gamma(2.0, np.where(costly, 9.0, 4.0)), 1)
    cost = np.round(0.5 + 0.6 * duration, 2)
    return Contacts(customer=customer, day=day, stage=stages[stage_no],
                    channel=CONTACT_CHANNELS[rng.integers(0, len(CONTACT_CHANNELS), m)],
                    kind=kinds[stage_no], duration=duration, cost_to_serve=cost)


def _service_contacts(rng: np.random.Generator, customer: np.ndarray, day: np.ndarray,
                      stage: np.ndarray, channel_weights: np.ndarray,
                      kind: np.ndarray | None = None) -> Contacts:
    m = len(customer)
    duration = np.round(rng.gamma(2.0, 4.0, m), 1)
    kinds = np.array([STAGE_KIND[s] for s in stage], dtype=object) if kind is None else kind
    return Contacts(customer=customer, day=day, stage=np.asarray(stage, dtype=object),
                    channel=CONTACT_CHANNELS[rng.choice(len(CONTACT_CHANNELS), m,
                                                        p=channel_weights)],
                    kind=kinds, duration=duration, cost_to_serve=np.round(0.5 + 0.6 * duration, 2))


def draw_journey_contacts(rng: np.random.Generator, traits: Traits,
                          complaints: Complaints) -> Contacts:
    """The planted pre-purchase journeys and the contact just before each complaint.

    A share ``PREPURCHASE["share"]`` of customers first get in touch (information) a lead time
    ~ Exponential(mean ``lead_days_mean``) before their first order (not before the window),
    enquire with probability ``enquiry_given_information`` and then select with probability
    ``selection_given_enquiry``, each at a uniform point before the order. A complaint is
    preceded by 1-60 minutes by a contact at the stage of its category (``COMPLAINT_STAGE``).
    """
    n, plan = traits.n, PREPURCHASE
    first = traits.first_purchase
    journey = rng.random(n) < plan["share"]
    enquiry = journey & (rng.random(n) < plan["enquiry_given_information"])
    selection = enquiry & (rng.random(n) < plan["selection_given_enquiry"])
    info_day = np.maximum(first - rng.exponential(plan["lead_days_mean"], n), 0.0)
    enquiry_day = info_day + rng.uniform(0.1, 0.9, n) * (first - info_day)
    selection_day = enquiry_day + rng.uniform(0.1, 0.9, n) * (first - enquiry_day)
    who = [np.flatnonzero(journey), np.flatnonzero(enquiry), np.flatnonzero(selection)]
    pre = _service_contacts(
        rng, np.concatenate(who),
        np.concatenate([info_day[who[0]], enquiry_day[who[1]], selection_day[who[2]]]),
        np.repeat(np.array(["information", "enquiry", "selection"], dtype=object),
                  [len(w) for w in who]), PREPURCHASE_CHANNEL_WEIGHTS)
    before = rng.uniform(1.0, 60.0, len(complaints.customer)) / 1440.0
    stage = np.array([COMPLAINT_STAGE[c] for c in complaints.category], dtype=object)
    around = _service_contacts(rng, complaints.customer, complaints.opened - before, stage,
                               COMPLAINT_CHANNEL_WEIGHTS,
                               np.full(len(stage), "complaint", dtype=object))
    return pre.concat(around)


def make_costly_unprofitable(contacts: Contacts, traits: Traits, margin: np.ndarray,
                             complaint_cost: np.ndarray, rng: np.random.Generator) -> None:
    """Scales up the contact costs of costly customers so that margin - cost to serve < 0.

    ``margin`` and ``complaint_cost`` are per customer. The target cost to serve is
    1.3-2.5 times the margin, plus 5 (so it is negative even when the margin is 0).
    """
    n = traits.n
    raw = np.bincount(contacts.customer, weights=contacts.cost_to_serve, minlength=n)
    target = np.maximum(margin, 0.0) * rng.uniform(1.3, 2.5, n) + 5.0
    needed = np.maximum(target - complaint_cost, 0.0)
    scale = np.where(traits.costly & (raw > 0), np.maximum(needed / np.maximum(raw, 1e-9), 1.0),
                     1.0)
    scaled = contacts.cost_to_serve * scale[contacts.customer]
    contacts.cost_to_serve = np.where(scale[contacts.customer] > 1.0, np.ceil(scaled * 100) / 100,
                                      contacts.cost_to_serve)


def stay_probability(config: GeneratorConfig, satisfaction_after: np.ndarray) -> np.ndarray:
    """The planted probability of staying after a resolved complaint (1-7 satisfaction)."""
    c = config
    return 1.0 / (1.0 + np.exp(-(c.stay_intercept + c.stay_slope * (satisfaction_after - 4.0))))


def planted_recovery(config: GeneratorConfig) -> dict[str, object]:
    """The recovery part of truth.json: justice weights and the planted retention effect."""
    levels = np.arange(1, 8, dtype=float)
    return {
        "justice_weights": dict(zip(("outcome", "procedural", "interactional"),
                                    JUSTICE_WEIGHTS, strict=True)),
        "satisfaction_after": "round(0.4 outcome + 0.3 procedural + 0.3 interactional "
                              "+ Normal(0, 0.6)), clipped to 1-7; no intercept",
        "stay_probability": "logistic(stay_intercept + stay_slope * (satisfaction_after - 4))",
        "stay_probability_by_satisfaction_after": (
            {str(int(k)): float(v) for k, v in zip(levels, stay_probability(config, levels),
                                                   strict=True)}
            if config.complaint_churn else {str(int(k)): 1.0 for k in levels}),
        "leaving": "a customer who does not stay makes no purchase after the complaint is "
                   "resolved; staying customers go on with their BG/NBD process, which does not "
                   "depend on the recovery, so the ratio of repurchase rates of two groups of "
                   "complainers equals the ratio of their mean stay probabilities",
        "enabled": config.complaint_churn,
    }


def planted_journey() -> dict[str, object]:
    """The journey part of truth.json: stage and channel mixes, the pre-purchase funnel and
    where complaints arise."""
    channels = [str(c) for c in CONTACT_CHANNELS]
    return {
        "stage_weights": dict(zip(STAGES, STAGE_WEIGHTS.tolist(), strict=True)),
        "costly_stage_weights": dict(zip(STAGES, COSTLY_STAGE_WEIGHTS.tolist(), strict=True)),
        "channel_weights": dict.fromkeys(channels, 1.0 / len(channels)),
        "after_joining": "contacts from joining until 30 days after dropout at contacts_per_week "
                         "(x costly_contact_factor for costly customers), stages drawn from "
                         "stage_weights (costly_stage_weights), channels from channel_weights",
        "prepurchase": {**PREPURCHASE, "channel_weights": dict(zip(
            channels, PREPURCHASE_CHANNEL_WEIGHTS.tolist(), strict=True))},
        "complaint_stage": COMPLAINT_STAGE,
        "complaint_category_weights": dict.fromkeys(
            (str(c) for c in COMPLAINT_CATEGORIES), 1.0 / len(COMPLAINT_CATEGORIES)),
        "complaint_channel_weights": dict(zip(channels, COMPLAINT_CHANNEL_WEIGHTS.tolist(),
                                              strict=True)),
        "complaint_contact": "one contact (kind 'complaint') 1-60 minutes before each complaint, "
                             "at the stage of its category",
    }
