"""The parameters of the synthetic customer database, with the model each one belongs to.

Purchasing follows the BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the
easy way", Marketing Science 24(2)): while alive, a customer buys at rate ``lambda`` per week,
``lambda ~ Gamma(shape=r, rate=alpha)``; after each repeat purchase the customer drops out with
probability ``p``, ``p ~ Beta(a, b)``. The value of each purchase follows the Gamma-Gamma model
(Fader, Hardie & Lee 2005, "RFM and CLV: using iso-value curves", JMR 42(4)): per customer
``nu ~ Gamma(shape=q, rate=gamma)``, per purchase ``z ~ Gamma(shape=p, rate=nu)``.

The defaults are more active than the CDNOW estimates (r=0.243, alpha=4.414, a=0.793,
b=2.426), so that a three-year window gives about ten orders per customer (1M customers ->
about 10M orders): a mean rate of 0.38 purchases a week and a mean dropout probability of 0.09.
The Gamma-Gamma defaults are the CDNOW estimates (mean spend about 35 per order).

On top of the BG/NBD process the generator plants, each switchable off:

* lifecycle stages (Dwyer, Schurr & Oh 1987): the purchase rate is multiplied by a trajectory
  ``m(age)``: ``exploration_factor`` for the first ``exploration_weeks`` (exploration), rising
  linearly to 1 by ``formation_weeks`` (formation), 1 afterwards (stability), and, for a share
  ``decline_share`` of customers, decaying as ``exp(-(age - onset) / decline_weeks)`` from a
  random onset (decline). With ``lifecycle=False`` the rate is constant (pure BG/NBD);
* service failures: a complaint follows a purchase with probability ``complaint_probability``;
  the recovery's three justice ratings (outcome, procedural, interactional; Tax, Brown &
  Chandrashekaran 1998) set ``satisfaction_after``, and the customer leaves after that purchase
  with probability ``1 - logistic(stay_intercept + stay_slope * (satisfaction_after - 4))``;
* costly-to-serve customers (share ``costly_share``): many contacts and complaints, many
  returns, and a cost to serve larger than their margin (margin - cost to serve < 0);
* campaigns with a random control group: a treated customer alive at contact who would not
  have bought within ``campaign_window_days`` makes one extra order in that window with
  probability equal to the campaign's planted lift (so the expected difference in buyers
  between the groups is the lift times the share of such customers; truth.json states both);
* product affinities ("who buys A also buys B"): ``affinity_pairs`` pairs of products of
  different categories, the antecedent being a most-bought product of its category; an order
  holding an antecedent and another line gets, with probability ``affinity_strength``, the
  consequent in that other line (same amount paid). ``affinity_pairs=0`` switches it off;
  truth.json lists the pairs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any

from valuecrm.errors import ParameterError

DEFAULT_END = date(2025, 12, 31)

CAMPAIGN_KINDS = ("retention", "winback", "cross_sell", "up_sell", "loyalty", "other")


@dataclass(frozen=True)
class GeneratorConfig:
    """Everything that shapes a synthetic customer database (see the module docstring).

    Times are in weeks for the BG/NBD parameters, in days elsewhere. ``start`` defaults to
    three years before ``end``; ``end`` (inclusive) must not be after today.
    """

    # population and window
    n_customers: int = 10_000
    seed: int = 0
    start: date | None = None
    end: date = DEFAULT_END
    chunk_size: int = 50_000
    n_products: int = 400
    chinese_name_share: float = 0.6
    # BG/NBD purchasing (per week)
    r: float = 1.0
    alpha: float = 2.6
    a: float = 1.4
    b: float = 14.0
    # Gamma-Gamma spend per order
    p: float = 6.25
    q: float = 3.74
    gamma: float = 15.44
    # lifecycle trajectory of the purchase rate
    lifecycle: bool = True
    exploration_weeks: float = 8.0
    formation_weeks: float = 26.0
    exploration_factor: float = 0.5
    decline_share: float = 0.25
    decline_weeks: float = 20.0
    # orders
    return_probability: float = 0.03
    cancel_probability: float = 0.015
    loyalty_member_share: float = 0.6
    # service, complaints and recovery
    contacts_per_week: float = 0.03
    complaint_probability: float = 0.02
    complaint_churn: bool = True
    stay_intercept: float = 1.5
    stay_slope: float = 1.2
    costly_share: float = 0.05
    costly_contact_factor: float = 12.0
    costly_complaint_factor: float = 8.0
    costly_return_probability: float = 0.25
    # surveys: satisfaction is correlated with the dropout probability
    survey_share: float = 0.15
    satisfaction_dropout_correlation: float = 0.6
    # referrals
    referred_share: float = 0.08
    # campaigns: one planted lift per campaign (additive probability of an extra order)
    campaign_lifts: tuple[float, ...] = (0.20, 0.10, 0.0, 0.30, 0.15, 0.05)
    campaign_target_share: float = 0.10
    campaign_control_share: float = 0.2
    campaign_window_days: int = 60
    # product affinities: pairs (antecedent, consequent) planted in the baskets
    affinity_pairs: int = 8
    affinity_strength: float = 0.6

    # -- derived -------------------------------------------------------------------------
    @property
    def start_date(self) -> date:
        if self.start is not None:
            return self.start
        try:
            return self.end.replace(year=self.end.year - 3) + timedelta(days=1)
        except ValueError:  # 29 February
            return date(self.end.year - 3, 3, 1)

    @property
    def window_days(self) -> float:
        """Length of the observation window in days (``end`` inclusive)."""
        return float((self.end - self.start_date).days + 1)

    def validated(self) -> GeneratorConfig:
        """This configuration, or a ParameterError naming the first bad field."""
        owner = "GeneratorConfig"
        if not isinstance(self.n_customers, int) or self.n_customers < 1:
            raise ParameterError.of("n_customers", owner, "an integer >= 1", self.n_customers)
        if not isinstance(self.chunk_size, int) or self.chunk_size < 1:
            raise ParameterError.of("chunk_size", owner, "an integer >= 1", self.chunk_size)
        if not isinstance(self.seed, int) or self.seed < 0:
            raise ParameterError.of("seed", owner, "an integer >= 0", self.seed)
        if self.end > date.today():
            raise ParameterError.of("end", owner, "a date not after today", str(self.end))
        if self.start_date >= self.end:
            raise ParameterError.of("start", owner, f"a date before end ({self.end})",
                                    str(self.start_date))
        if self.window_days < self.campaign_window_days + 30 and self.campaign_lifts:
            raise ParameterError.of("start", owner, "a date at least 90 days before end when "
                                    "campaigns are planted", str(self.start_date))
        for name in ("r", "alpha", "a", "b", "p", "q", "gamma", "exploration_weeks",
                     "formation_weeks", "decline_weeks"):
            value = getattr(self, name)
            if not value > 0:
                raise ParameterError.of(name, owner, "a float > 0", value)
        if not 0 < self.exploration_factor <= 1:
            raise ParameterError.of("exploration_factor", owner, "a float in (0, 1]",
                                    self.exploration_factor)
        if self.formation_weeks < self.exploration_weeks:
            raise ParameterError.of("formation_weeks", owner,
                                    f"a float >= exploration_weeks ({self.exploration_weeks})",
                                    self.formation_weeks)
        for name in ("chinese_name_share", "exploration_factor", "decline_share",
                     "return_probability", "cancel_probability", "loyalty_member_share",
                     "complaint_probability", "costly_share", "costly_return_probability",
                     "survey_share", "referred_share", "campaign_target_share",
                     "campaign_control_share", "satisfaction_dropout_correlation",
                     "affinity_strength"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ParameterError.of(name, owner, "a float in [0, 1]", value)
        if any(not 0 <= lift <= 1 for lift in self.campaign_lifts):
            raise ParameterError.of("campaign_lifts", owner, "floats in [0, 1]",
                                    self.campaign_lifts)
        if (not isinstance(self.affinity_pairs, int) or isinstance(self.affinity_pairs, bool)
                or not 0 <= self.affinity_pairs <= 8):
            raise ParameterError.of("affinity_pairs", owner, "an integer in [0, 8] (one per "
                                    "category at most)", self.affinity_pairs)
        if self.n_products < 20:
            raise ParameterError.of("n_products", owner, "an integer >= 20", self.n_products)
        return self

    def to_dict(self) -> dict[str, Any]:
        """The configuration as JSON-ready values (dates as ISO strings)."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["start"] = self.start_date.isoformat()
        out["end"] = self.end.isoformat()
        out["campaign_lifts"] = list(self.campaign_lifts)
        return out

    def replace(self, **changes: Any) -> GeneratorConfig:
        values = asdict(self)
        values.update(changes)
        return GeneratorConfig(**values)


def parse_date(value: str | date | datetime, name: str) -> date:
    """``value`` as a date, or a ParameterError in the usual form."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ParameterError.of(name, "generate", "a date as YYYY-MM-DD", value) from None
