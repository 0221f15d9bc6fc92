"""The hidden traits of each customer: when they joined and the parameters they were drawn with.

Customer ``i`` (0-based, over the whole population) joins at day
``(i + frac(i * golden ratio)) / N * window``: identifiers are in joining order, acquisitions are
spread evenly over the window, and any chunk can compute when an earlier customer joined.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import digamma, polygamma

from valuecrm.synthetic.config import GeneratorConfig

GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0
N_CATEGORIES = 8
ORDER_CHANNELS = np.array(["web", "app", "store", "phone"])


def signup_day(index: np.ndarray, n_customers: int, window_days: float) -> np.ndarray:
    """Day (from the start of the window) on which customers ``index`` joined."""
    index = np.asarray(index, dtype=np.float64)
    jitter = np.mod(index * GOLDEN, 1.0)
    return (index + jitter) / n_customers * window_days


@dataclass
class Traits:
    """Per-customer hidden traits of one chunk (arrays of length ``n``)."""

    index: np.ndarray           # global 0-based customer number
    signup: np.ndarray          # day the customer joined
    first_purchase: np.ndarray  # day of the first purchase (time 0 of the BG/NBD clock)
    horizon_weeks: np.ndarray   # weeks from the first purchase to the end of the window
    lam: np.ndarray             # BG/NBD purchase rate per week
    p_drop: np.ndarray          # BG/NBD dropout probability after each repeat purchase
    drop_after: np.ndarray      # the repeat purchase after which the customer drops out
    nu: np.ndarray              # Gamma-Gamma scale of spend
    expected_spend: np.ndarray  # E[spend per order | nu] = p / nu
    costly: np.ndarray          # planted costly-to-serve customer
    declines: np.ndarray        # lifecycle: this customer's rate decays from decline_onset
    decline_onset: np.ndarray   # weeks after the first purchase (inf when not declining)
    satisfaction: np.ndarray    # latent satisfaction, standard normal, high = satisfied
    favourite_category: np.ndarray
    channel: np.ndarray         # preferred order channel (index into ORDER_CHANNELS)
    loyalty_member: np.ndarray
    referred: np.ndarray        # joined through a referral

    @property
    def n(self) -> int:
        return len(self.index)


def draw_traits(rng: np.random.Generator, config: GeneratorConfig, first: int,
                n: int) -> Traits:
    """Hidden traits of customers ``first .. first + n - 1``."""
    c = config
    index = np.arange(first, first + n, dtype=np.int64)
    window = c.window_days
    signup = signup_day(index, c.n_customers, window)
    first_purchase = np.minimum(signup + rng.uniform(0, 30, n) / 1440.0, window - 1e-6)
    horizon = (window - first_purchase) / 7.0

    lam = rng.gamma(c.r, 1.0 / c.alpha, n)
    p_drop = rng.beta(c.a, c.b, n)
    drop_after = rng.geometric(np.clip(p_drop, 1e-12, 1.0)).astype(np.int64)
    nu = rng.gamma(c.q, 1.0 / c.gamma, n)
    costly = rng.random(n) < c.costly_share

    declines = c.lifecycle & (rng.random(n) < c.decline_share)
    onset = c.formation_weeks + rng.exponential(52.0, n)
    onset = np.where(declines, onset, np.inf)

    # satisfied customers drop out less: correlate with the standardised log-odds of p
    logit = np.log(p_drop) - np.log1p(-p_drop)
    mean, sd = digamma(c.a) - digamma(c.b), np.sqrt(polygamma(1, c.a) + polygamma(1, c.b))
    rho = c.satisfaction_dropout_correlation
    satisfaction = -rho * (logit - mean) / sd + np.sqrt(1 - rho**2) * rng.standard_normal(n)
    satisfaction = satisfaction - 0.8 * costly

    return Traits(
        index=index, signup=signup, first_purchase=first_purchase, horizon_weeks=horizon,
        lam=lam, p_drop=p_drop, drop_after=drop_after, nu=nu,
        expected_spend=c.p / nu, costly=costly, declines=declines, decline_onset=onset,
        satisfaction=satisfaction,
        favourite_category=rng.integers(0, N_CATEGORIES, n),
        channel=rng.choice(len(ORDER_CHANNELS), size=n, p=[0.4, 0.3, 0.2, 0.1]),
        loyalty_member=rng.random(n) < c.loyalty_member_share,
        referred=(rng.random(n) < c.referred_share) & (index > 0),
    )
