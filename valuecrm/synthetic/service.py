"""Complaints with their service recovery, and contacts at touchpoints with their cost to serve.

Recovery follows the justice view of complaint handling (Tax, Brown & Chandrashekaran 1998,
Journal of Marketing 62(2)): the three justice ratings (1-7) are driven by the compensation
(outcome), the time to resolve (procedural) and the staff (interactional); ``satisfaction_after``
is their weighted mean plus noise, and it decides whether the customer stays (see
:class:`~valuecrm.synthetic.config.GeneratorConfig`).
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
    stay = 1.0 / (1.0 + np.exp(-(c.stay_intercept + c.stay_slope * (after - 4.0))))
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
