"""The settings of :func:`valuecrm.analyze`: horizons, thresholds and cut points, all documented.

Every threshold that turns a number into a label lives here, so a snapshot records exactly how
its labels were made (the configuration is stored with it as JSON).
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass, fields
from typing import Any

from valuecrm.errors import ParameterError
from valuecrm.features.money import MONEY_DECIMALS, check_money_decimals

OWNER = "AnalysisConfig"
VALUE_BASES = ("current_value", "margin", "clv")
CUTS = ("mean", "median")
RELATIONSHIP_BASES = ("rfm_segment", "rfm_class", "tier", "quadrant", "status",
                      "lifecycle_stage")
# the ranges the interfaces accept (the API's JSON fields and the CLI's options read them)
HORIZON_MONTHS = (1, 120)  # whole months
INTERVAL_LEVELS = (0.5, 0.99)
HOLDOUT_SAMPLE = 100_000  # customers evaluate-holdout evaluates: a seeded sample beyond them


@dataclass(frozen=True)
class AnalysisConfig:
    """How the customer value table is computed (see each group of fields).

    Predicted value (purchase model chosen on a holdout, then refitted on all history in weeks):
        ``horizon_months`` and the annual ``discount_rate`` of the CLV; ``margin_rate``, the
        share of spend kept as margin in the CLV (``None``: margin / revenue over the base,
        1 when no cost is known, so the CLV is then revenue); ``interval_level`` of the
        intervals of CLV, P(alive) and expected purchases; the holdout is
        ``holdout_share`` of the history, clipped to
        [``holdout_min_weeks``, ``holdout_max_weeks``]; with less than
        ``min_history_weeks`` of history, or fewer than ``min_selection_customers`` customers
        before the holdout, no holdout comparison is tried. Model selection runs on at most
        ``selection_sample`` customers (a seeded random sample; ``None``: all) among the purchase
        models named in ``candidates``: models whose holdout RMSE gap is within noise (a paired
        bootstrap of ``selection_bootstrap`` resamples of the customers, seeded by ``seed``)
        tie, and ties go to the better total, then tracking, then BIC
        (:mod:`valuecrm.models.model_choice`); the refit runs on
        at most ``fit_sample`` (every customer is scored). With fewer than
        ``min_model_customers`` customers no model is fitted at all (its estimates would be
        noise) and the predicted columns stay empty.
    Status (first rule that matches; ``p_alive`` rules are skipped when no model could be fitted):
        new: first purchase at most ``new_days`` ago; lost: P(alive) < ``lost_p_alive`` or no
        purchase for more than ``lost_days``; lapsed: P(alive) < ``lapsed_p_alive`` or more
        than ``lapsed_days``; at risk: P(alive) < ``at_risk_p_alive`` or more than
        ``at_risk_days``; active otherwise.
    Lifecycle stage: see :mod:`valuecrm.segments.lifecycle` (``exploration_days``,
        ``formation_days``, ``trend_window_days``, ``fall_level``, ``rise_level``,
        ``silence_level``, ``gap_factor``).
    Value matrix: current value is the margin of the last ``current_value_days``; growth
        potential adds ``cross_sell_weight`` of the cross-buying headroom; both cut at
        ``matrix_cut`` (mean or median).
    Pyramid: tiers by ``pyramid_value`` with the cumulative shares ``tier_shares`` (VIP, key,
        ordinary; the rest are small). MVC / MGC: the top ``mvc_share`` by current value and
        the top ``mgc_share`` by growth potential.
    Loyalty ladder: a client has at least ``client_purchases`` purchases and is active or new.
    Money: amounts are rounded to ``money_decimals`` digits (the currency's minor unit: 2 for
        cents, 0 for yen) and summed exactly in minor units before anything ranks or cuts them
        (see :mod:`valuecrm.features.money`).
    Relationship level: from the size and value of each ``relationship_by`` group (Kotler):
        a group holding at least ``many_share`` of the customers is "many", at most
        ``few_share`` "few"; its mean ``relationship_value`` per customer (default the CLV,
        the value the relationship can still bring; the historic margin when no model was
        fitted) at least ``high_margin_ratio`` times the overall mean is "high", at most
        ``low_margin_ratio`` times "low" (see :mod:`valuecrm.segments.relationship`).
    """

    # predicted value
    horizon_months: float = 12.0
    discount_rate: float = 0.10
    margin_rate: float | None = None
    interval_level: float = 0.90
    holdout_share: float = 1 / 3
    holdout_min_weeks: float = 8.0
    holdout_max_weeks: float = 52.0
    min_history_weeks: float = 24.0
    selection_sample: int | None = 20_000
    fit_sample: int | None = 250_000
    min_selection_customers: int = 300
    selection_bootstrap: int = 1000
    min_model_customers: int = 30
    candidates: tuple[str, ...] = ("BetaGeo", "ParetoNBD", "ModifiedBetaGeo")
    seed: int = 0
    # status
    new_days: int = 60
    at_risk_p_alive: float = 0.7
    lapsed_p_alive: float = 0.4
    lost_p_alive: float = 0.15
    at_risk_days: int = 120
    lapsed_days: int = 240
    lost_days: int = 365
    # lifecycle
    exploration_days: int = 60
    formation_days: int = 180
    trend_window_days: int = 90
    fall_level: float = 0.25
    rise_level: float = 0.01
    silence_level: float = 0.05
    gap_factor: float = 3.0
    # value matrix, pyramid, MVC / MGC / BZ
    current_value_days: int = 365
    cross_sell_weight: float = 0.1
    matrix_cut: str = "median"
    pyramid_value: str = "current_value"
    tier_shares: tuple[float, float, float] = (0.01, 0.05, 0.20)
    mvc_share: float = 0.20
    mgc_share: float = 0.20
    # loyalty ladder and relationship level
    client_purchases: int = 3
    relationship_by: str = "rfm_segment"
    relationship_value: str = "clv"
    many_share: float = 0.15
    few_share: float = 0.05
    high_margin_ratio: float = 1.5
    low_margin_ratio: float = 0.5
    # money
    money_decimals: int = MONEY_DECIMALS

    def validated(self) -> AnalysisConfig:
        """This configuration, or a ParameterError naming the first bad field."""
        for name in ("horizon_months", "holdout_min_weeks", "holdout_max_weeks",
                     "min_history_weeks", "gap_factor", "high_margin_ratio"):
            _positive(name, getattr(self, name))
        for name in ("new_days", "at_risk_days", "lapsed_days", "lost_days",
                     "exploration_days", "formation_days", "trend_window_days",
                     "current_value_days", "client_purchases", "min_selection_customers",
                     "min_model_customers"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ParameterError.of(name, OWNER, "an integer >= 1", value)
        for name in ("fall_level", "rise_level", "silence_level"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) \
                    or not 0 < value < 0.5:
                raise ParameterError.of(name, OWNER, "a significance level in (0, 0.5)", value)
        for name in ("discount_rate", "holdout_share", "cross_sell_weight",
                     "mvc_share", "mgc_share", "few_share", "many_share", "low_margin_ratio",
                     "at_risk_p_alive", "lapsed_p_alive", "lost_p_alive"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or not 0 <= value < 1:
                raise ParameterError.of(name, OWNER, "a float in [0, 1)", value)
        if self.margin_rate is not None and (
                isinstance(self.margin_rate, bool) or not isinstance(self.margin_rate, int | float)
                or not 0 < self.margin_rate <= 1):
            raise ParameterError.of("margin_rate", OWNER, "None or a number in (0, 1]",
                                    self.margin_rate)
        low, high = HORIZON_MONTHS
        if not float(self.horizon_months).is_integer() or not low <= self.horizon_months <= high:
            raise ParameterError.of("horizon_months", OWNER, f"a whole number of months from "
                                    f"{low} to {high}", self.horizon_months)
        low, high = INTERVAL_LEVELS
        level = self.interval_level
        if isinstance(level, bool) or not isinstance(level, int | float) \
                or not low <= level <= high:
            raise ParameterError.of("interval_level", OWNER, f"a float in [{low}, {high}]",
                                    self.interval_level)
        _ordered("holdout_min_weeks <= holdout_max_weeks",
                 self.holdout_min_weeks, self.holdout_max_weeks)
        _ordered("lost_p_alive <= lapsed_p_alive <= at_risk_p_alive",
                 self.lost_p_alive, self.lapsed_p_alive, self.at_risk_p_alive)
        _ordered("at_risk_days <= lapsed_days <= lost_days",
                 self.at_risk_days, self.lapsed_days, self.lost_days)
        _ordered("exploration_days <= formation_days", self.exploration_days,
                 self.formation_days)
        _ordered("few_share <= many_share", self.few_share, self.many_share)
        _ordered("low_margin_ratio <= 1 <= high_margin_ratio", self.low_margin_ratio, 1.0,
                 self.high_margin_ratio)
        shares = self.tier_shares
        if (not isinstance(shares, tuple | list) or len(shares) != 3
                or not all(isinstance(s, int | float) for s in shares)
                or not 0 < shares[0] < shares[1] < shares[2] < 1):
            raise ParameterError.of("tier_shares", OWNER, "three increasing cumulative shares "
                                    "in (0, 1), e.g. (0.01, 0.05, 0.20)", shares)
        if self.matrix_cut not in CUTS:
            raise ParameterError.of("matrix_cut", OWNER, "'mean' or 'median'", self.matrix_cut)
        if self.pyramid_value not in VALUE_BASES:
            raise ParameterError.of("pyramid_value", OWNER, " or ".join(map(repr, VALUE_BASES)),
                                    self.pyramid_value)
        if self.relationship_value not in VALUE_BASES:
            raise ParameterError.of("relationship_value", OWNER,
                                    " or ".join(map(repr, VALUE_BASES)), self.relationship_value)
        if self.relationship_by not in RELATIONSHIP_BASES:
            raise ParameterError.of("relationship_by", OWNER,
                                    "one of " + ", ".join(map(repr, RELATIONSHIP_BASES)),
                                    self.relationship_by)
        for name in ("selection_sample", "fit_sample"):
            sample = getattr(self, name)
            if sample is not None and (isinstance(sample, bool) or not isinstance(sample, int)
                                       or sample < 100):
                raise ParameterError.of(name, OWNER, "None or an integer >= 100", sample)
        known = ("BetaGeo", "ParetoNBD", "ModifiedBetaGeo")
        if (not isinstance(self.candidates, tuple | list) or not self.candidates
                or not set(self.candidates) <= set(known)):
            raise ParameterError.of("candidates", OWNER, "a non-empty tuple of "
                                    + ", ".join(map(repr, known)), self.candidates)
        check_money_decimals(self.money_decimals, OWNER)
        if (isinstance(self.selection_bootstrap, bool) or not isinstance(
                self.selection_bootstrap, int) or not 0 <= self.selection_bootstrap <= 100_000):
            raise ParameterError.of("selection_bootstrap", OWNER, "an integer from 0 to 100000",
                                    self.selection_bootstrap)
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise ParameterError.of("seed", OWNER, "an integer >= 0", self.seed)
        return self

    def to_dict(self) -> dict[str, Any]:
        """The configuration as JSON-ready values."""
        out = asdict(self)
        out["tier_shares"] = list(self.tier_shares)
        out["candidates"] = list(self.candidates)
        return out

    def replace(self, **changes: Any) -> AnalysisConfig:
        """A copy with some fields changed (unknown names are a ParameterError)."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ParameterError(f"AnalysisConfig has no field {unknown[0]!r}.",
                                 hint="Fields: " + ", ".join(sorted(known)) + ".")
        values = asdict(self)
        values.update(changes)
        values["tier_shares"] = tuple(values["tier_shares"])
        values["candidates"] = tuple(values["candidates"])
        return AnalysisConfig(**values)


def _positive(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ParameterError.of(name, OWNER, "a number > 0", value)


def _ordered(rule: str, *values: float) -> None:
    if any(a > b for a, b in itertools.pairwise(values)):
        raise ParameterError(f"The thresholds of AnalysisConfig must satisfy {rule}. "
                             f"Got {', '.join(str(v) for v in values)} instead.")
