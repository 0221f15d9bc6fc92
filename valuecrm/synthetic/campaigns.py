"""Campaigns with random control groups and a planted effect.

Each campaign targets a random share of the customers who joined before it starts; a random
``campaign_control_share`` of them is held out (control). A treated customer who is alive when
contacted and would not have bought within ``campaign_window_days`` anyway is converted with
probability equal to the campaign's planted ``lift``: one extra order inside the window (and
before the customer leaves and the data ends). So the expected difference in the share of
buyers between treatment and control is ``lift`` times the share of treated customers who were
alive non-buyers; truth.json keeps that expectation and the realised rates of both groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from valuecrm.synthetic.config import CAMPAIGN_KINDS, GeneratorConfig
from valuecrm.synthetic.customers import Traits
from valuecrm.synthetic.writer import TimeAxis, format_ids, to_arrow

CHANNELS = ("email", "sms", "app_push", "mail")
OFFERS = {
    "retention": "10% off your next order", "winback": "We miss you: 20 off",
    "cross_sell": "Try a new category: free shipping", "up_sell": "Upgrade bundle at 15% off",
    "loyalty": "Double points for a month", "other": "Seasonal newsletter",
}


@dataclass
class Campaign:
    number: int
    kind: str
    channel: str
    start_day: float
    lift: float
    cost_per_contact: float

    @property
    def campaign_id(self) -> str:
        return f"K{self.number:04d}"


def plan_campaigns(rng: np.random.Generator, config: GeneratorConfig) -> list[Campaign]:
    """One campaign per planted lift, spread over the window (leaving room for its effect)."""
    k = len(config.campaign_lifts)
    first, last = 60.0, config.window_days - config.campaign_window_days - 5.0
    starts = np.linspace(first, last, k) if k > 1 else np.array([first])
    return [
        Campaign(number=i + 1, kind=CAMPAIGN_KINDS[i % len(CAMPAIGN_KINDS)],
                 channel=CHANNELS[i % len(CHANNELS)], start_day=float(np.floor(starts[i])),
                 lift=float(lift), cost_per_contact=float(np.round(rng.uniform(0.05, 2.0), 2)))
        for i, lift in enumerate(config.campaign_lifts)
    ]


def campaigns_table(campaigns: list[Campaign], axis: TimeAxis,
                    config: GeneratorConfig | None = None) -> pa.Table:
    """The campaigns as launched: their record says whom they targeted, the control share and
    the window in which ``valuecrm campaign measure`` counts purchases (the planted lift itself
    stays in truth.json)."""
    start = np.array([c.start_day for c in campaigns])
    config = config or GeneratorConfig()
    k = len(campaigns)
    return to_arrow("campaigns", {
        "target": [f"random {config.campaign_target_share:.0%} of the customers who joined "
                   "before the start"] * k,
        "outcome": ["purchase"] * k,
        "window_days": np.full(k, config.campaign_window_days),
        "control_share": np.full(k, config.campaign_control_share),
        "stratify_by": ["none"] * k, "status": ["measured"] * k,
        "campaign_id": [c.campaign_id for c in campaigns],
        "name": [f"{c.kind.replace('_', ' ').title()} campaign {c.number}" for c in campaigns],
        "kind": [c.kind for c in campaigns],
        "channel": [c.channel for c in campaigns],
        "started_at": axis(start), "ended_at": axis(start + 14.0),
        "cost_per_contact": [c.cost_per_contact for c in campaigns],
        "offer": [OFFERS[c.kind] for c in campaigns],
        # the plan: made a week before the start; members were drawn from the generator's
        # random stream, whose seed is the generator's
        "planned_at": axis(start - 7.0), "seed": np.full(k, config.seed, dtype=np.int64),
        "hypothesis": [f"the offer ({OFFERS[c.kind]}) raises purchases in the "
                       f"{config.campaign_window_days:g} days after contact" for c in campaigns],
    })


@dataclass
class Members:
    """Campaign members of a chunk (flat arrays) and the extra orders the campaigns caused."""

    campaign: np.ndarray  # index into the campaign list
    customer: np.ndarray
    treated: np.ndarray
    reference_day: np.ndarray  # contact day (treatment) or the same moment for the control
    extra_customer: np.ndarray
    extra_day: np.ndarray
    extra_campaign: np.ndarray
    convertible: np.ndarray  # treated, alive at contact, no purchase in the window otherwise


def assign_members(rng: np.random.Generator, config: GeneratorConfig, campaigns: list[Campaign],
                   traits: Traits, dropout_day: np.ndarray, organic_customer: np.ndarray,
                   organic_day: np.ndarray) -> Members:
    """Members of every campaign among the chunk's customers, and the planted extra orders.

    ``organic_customer``/``organic_day``: the purchases without campaigns, sorted by customer
    then day.
    """
    parts: dict[str, list[np.ndarray]] = {k: [] for k in (
        "campaign", "customer", "treated", "reference_day", "extra_customer", "extra_day",
        "extra_campaign", "convertible")}
    window_end = config.window_days
    for i, campaign in enumerate(campaigns):  # a handful of campaigns, vectorised over customers
        eligible = traits.signup < campaign.start_day
        member = np.flatnonzero(eligible & (rng.random(traits.n) < config.campaign_target_share))
        treated = rng.random(len(member)) >= config.campaign_control_share
        reference = campaign.start_day + rng.uniform(0.0, 3.0, len(member))
        days = float(config.campaign_window_days)
        limit = np.minimum(np.minimum(reference + days, dropout_day[member]), window_end)
        buys = np.isfinite(first_order_in_window(organic_customer, organic_day, member,
                                                 reference, days))
        convertible = treated & (limit > reference) & ~buys
        extra = convertible & (rng.random(len(member)) < campaign.lift)
        extra_day = reference[extra] + rng.random(extra.sum()) * (limit - reference)[extra]
        parts["campaign"].append(np.full(len(member), i))
        parts["customer"].append(member)
        parts["treated"].append(treated)
        parts["reference_day"].append(reference)
        parts["extra_customer"].append(member[extra])
        parts["extra_day"].append(extra_day)
        parts["extra_campaign"].append(np.full(extra.sum(), i))
        parts["convertible"].append(convertible)
    joined = {k: (np.concatenate(v) if v else np.zeros(0)) for k, v in parts.items()}
    for k in ("campaign", "customer", "extra_customer", "extra_campaign"):
        joined[k] = joined[k].astype(np.int64)
    joined["treated"] = joined["treated"].astype(bool)
    joined["convertible"] = joined["convertible"].astype(bool)
    return Members(**joined)


def first_order_in_window(order_customer: np.ndarray, order_day: np.ndarray,
                          customer: np.ndarray, since: np.ndarray, days: float) -> np.ndarray:
    """Day of each ``customer``'s first order in ``[since, since + days]`` (nan if none).

    ``order_customer``/``order_day`` are completed orders sorted by customer then day.
    """
    key = order_customer * 1e6 + order_day
    at = np.searchsorted(key, customer * 1e6 + since, side="left")
    safe = np.minimum(at, max(len(key) - 1, 0))
    if len(key) == 0:
        return np.full(len(customer), np.nan)
    found = (at < len(key)) & (order_customer[safe] == customer) & (
        order_day[safe] <= since + days)
    return np.where(found, order_day[safe], np.nan)


@dataclass
class CampaignTally:
    """Realised counts per campaign, summed over chunks (for truth.json)."""

    k: int
    counts: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("treatment", "control", "treatment_buyers", "control_buyers",
                     "extra_orders", "convertible"):
            self.counts[name] = np.zeros(self.k, dtype=np.int64)

    def add(self, members: Members, bought: np.ndarray) -> None:
        c, t = members.campaign, members.treated
        self.counts["treatment"] += np.bincount(c[t], minlength=self.k)
        self.counts["control"] += np.bincount(c[~t], minlength=self.k)
        self.counts["treatment_buyers"] += np.bincount(c[t & bought], minlength=self.k)
        self.counts["control_buyers"] += np.bincount(c[~t & bought], minlength=self.k)
        self.counts["extra_orders"] += np.bincount(members.extra_campaign, minlength=self.k)
        self.counts["convertible"] += np.bincount(c[members.convertible], minlength=self.k)


def members_table(members: Members, responded_day: np.ndarray, campaigns: list[Campaign],
                  traits: Traits, axis: TimeAxis) -> pa.Table:
    order = np.lexsort((members.customer, members.campaign))
    ids = np.array([c.campaign_id for c in campaigns], dtype=object)
    start = np.array([c.start_day for c in campaigns])
    m = members
    contacted = np.where(m.treated, m.reference_day, np.nan)
    responded = np.where(m.treated, responded_day, np.nan)
    return to_arrow("campaign_members", {
        "campaign_id": ids[m.campaign[order]],
        "customer_id": format_ids("C", traits.index[m.customer[order]], 8),
        "group": np.where(m.treated[order], "treatment", "control").astype(object),
        "assigned_at": axis(start[m.campaign[order]]),
        "contacted_at": axis(contacted[order]),
        "responded_at": axis(responded[order]),
    })


RESULTS_METHOD = ("generator's tally: share of members buying within window_days of their "
                  "contact day, treatment - control; 95% interval diff +- 1.959964 x the Welch "
                  "standard error, p-value of the normal approximation")


def results_table(campaigns: list[Campaign], tally: CampaignTally, axis: TimeAxis,
                  config: GeneratorConfig) -> pa.Table:
    """The check of each generated campaign on the purchase rate, from the realised counts
    (``valuecrm campaign measure`` measures it again from the orders)."""
    import math

    c = tally.counts
    rows: dict[str, list] = {k: [] for k in (
        "campaign_id", "n_treatment", "n_control", "treatment_mean", "control_mean",
        "difference", "ci_low", "ci_high", "p_value", "relative_lift", "end")}
    for i, campaign in enumerate(campaigns):
        n_t, n_c = int(c["treatment"][i]), int(c["control"][i])
        if n_t < 2 or n_c < 2:
            continue
        p_t, p_c = c["treatment_buyers"][i] / n_t, c["control_buyers"][i] / n_c
        se = math.sqrt(p_t * (1 - p_t) / (n_t - 1) + p_c * (1 - p_c) / (n_c - 1))
        diff = p_t - p_c
        rows["campaign_id"].append(campaign.campaign_id)
        rows["n_treatment"].append(n_t)
        rows["n_control"].append(n_c)
        rows["treatment_mean"].append(p_t)
        rows["control_mean"].append(p_c)
        rows["difference"].append(diff)
        rows["ci_low"].append(diff - 1.959964 * se)
        rows["ci_high"].append(diff + 1.959964 * se)
        rows["p_value"].append(math.erfc(abs(diff / se) / math.sqrt(2)) if se > 0 else 1.0)
        rows["relative_lift"].append(diff / p_c if p_c > 0 else float("nan"))
        rows["end"].append(campaign.start_day + config.campaign_window_days)
    k = len(rows["campaign_id"])
    end = np.array(rows.pop("end"), dtype=np.float64)
    return to_arrow("campaign_results", {
        **rows, "outcome": ["purchase"] * k, "measured_at": axis(end), "window_end": axis(end),
        "method": [RESULTS_METHOD] * k})
