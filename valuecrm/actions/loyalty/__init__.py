"""The loyalty programme (financial bonds, 多、久、深): its rules file, the figures of the
points ledger (balances, liability, breakage and redemption, tiers and their moves) and the
what-if of a changed rule set on past orders."""

from valuecrm.actions.loyalty.rules import (
    LoyaltyRules,
    TierLevel,
    VisitRule,
    load_rules,
    rules_from_dict,
)

__all__ = ["LoyaltyRules", "TierLevel", "VisitRule", "load_rules", "rules_from_dict"]
