"""The loyalty programme (financial bonds, 多、久、深): its rules file (:mod:`.rules`), the
figures of the points ledger computed in the engine (:mod:`.ledger`: balances, liability,
breakage and redemption by cohort, tiers and their moves), the what-if of a changed rule set on
past orders (:mod:`.whatif`), and the functions that collect them (:mod:`.programme`).
Definitions: ``docs/loyalty.md``."""

from valuecrm.actions.loyalty.programme import (
    WhatIf,
    default_rules,
    loyalty_balances,
    loyalty_balances_chunks,
    loyalty_tiers,
    loyalty_tiers_chunks,
    loyalty_what_if,
    point_rates,
    points_liability,
    tier_migration,
)
from valuecrm.actions.loyalty.programme import member_value as loyalty_member_value
from valuecrm.actions.loyalty.rules import (
    LoyaltyRules,
    TierLevel,
    VisitRule,
    load_rules,
    rules_from_dict,
)

load_loyalty_rules = load_rules

__all__ = ["LoyaltyRules", "TierLevel", "VisitRule", "WhatIf", "default_rules",
           "load_loyalty_rules", "load_rules", "loyalty_balances", "loyalty_balances_chunks",
           "loyalty_member_value", "loyalty_tiers", "loyalty_tiers_chunks", "loyalty_what_if",
           "point_rates", "points_liability", "rules_from_dict", "tier_migration"]
