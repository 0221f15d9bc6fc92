"""Names (English and Chinese), meanings and suggested actions of the value-table labels.

The English name is the value stored in the customer value table; the Chinese name is the one
users search for (CONCEPTS.md sections 3 and 4). Each tuple is in the order reports show it.
"""

from __future__ import annotations

from typing import NamedTuple


class Label(NamedTuple):
    """One label of one dimension of the customer value table."""

    name_en: str
    name_zh: str
    description_en: str
    action_en: str


STATUSES: tuple[Label, ...] = (
    Label("new", "新客户", "First purchase within the last few weeks.",
          "Welcome and onboard; aim for the second purchase."),
    Label("active", "活跃客户", "Probably still buying (high P(alive), recent purchase).",
          "Keep serving well; cross-sell and up-sell."),
    Label("at risk", "有流失风险", "P(alive) falling or a longer gap than usual.",
          "Contact proactively before they leave (retention)."),
    Label("lapsed", "沉默客户", "Probably stopped buying, not long ago.",
          "Reactivate with a reason to come back."),
    Label("lost", "流失客户", "Very unlikely to buy again.",
          "Win back only where the value justifies it; learn why they left."),
)

STAGES: tuple[Label, ...] = (
    Label("exploration", "考察期", "Trying the company out: short tenure or a single purchase.",
          "Make the first experiences good; lower the risk of trying."),
    Label("formation", "形成期", "The relationship is growing: the purchase rate is rising.",
          "Deepen it: more categories, membership."),
    Label("stability", "稳定期", "A steady purchase rate: the mature relationship.",
          "Keep it: loyalty rewards, service quality, structural bonds."),
    Label("decline", "退化期", "Buying less, or a long gap compared with the customer's own "
          "rhythm.", "Find out why; act before the relationship ends."),
)

QUADRANTS: tuple[Label, ...] = (
    Label("high value, high potential", "高价值高潜力",
          "Worth a lot today and can grow.", "invest"),
    Label("high value, low potential", "高价值低潜力",
          "Worth a lot today, little room to grow.", "maintain"),
    Label("low value, high potential", "低价值高潜力",
          "Worth little today, can grow.", "develop"),
    Label("low value, low potential", "低价值低潜力",
          "Worth little today and little room to grow.", "reduce"),
)

STRATEGIES: tuple[Label, ...] = (
    Label("invest", "重点投入", "Invest: the best relationship effort goes here.",
          "Dedicated service, tailored offers, co-creation."),
    Label("maintain", "保持", "Maintain: keep them at an efficient cost of service.",
          "Retention programmes, service quality."),
    Label("develop", "发展", "Develop: grow purchases and categories.",
          "Cross-sell, up-sell, second-category offers."),
    Label("reduce", "减少投入", "Reduce: serve at the lowest cost, or let go.",
          "Self-service and automated channels."),
)

TIERS: tuple[Label, ...] = (
    Label("VIP", "VIP客户", "The top of the customer pyramid (by default the top 1%).",
          "Personal account management."),
    Label("key", "主要客户", "The next tier (by default the next 4%).",
          "Priority service, loyalty privileges."),
    Label("ordinary", "普通客户", "The middle (by default the next 15%).",
          "Up-sell to move them up the pyramid."),
    Label("small", "小客户", "The rest (by default 80%).",
          "Serve efficiently; look for the growable ones."),
)

VALUE_CLASSES: tuple[Label, ...] = (
    Label("MVC", "最有价值客户", "Most valuable customers: the highest current value.",
          "Retain them."),
    Label("MGC", "最具成长性客户", "Most growable customers: the most unrealised value.",
          "Develop them."),
    Label("BZ", "负值客户", "Below zero: they cost more to serve than they bring.",
          "Make them profitable (cheaper service, fees) or let them go."),
    Label("other", "一般客户", "Neither the most valuable nor the most growable, above zero.",
          "Serve efficiently."),
)

LADDER: tuple[Label, ...] = (
    Label("prospect", "潜在客户", "Known, but has not bought yet.", "Convert: a first offer."),
    Label("first-time buyer", "首次购买者", "One purchase.", "Bring them back a second time."),
    Label("repeat buyer", "重复购买者", "Bought more than once.", "Make buying a habit."),
    Label("client", "客户", "Buys regularly and is active.", "Recognise and reward."),
    Label("member", "会员", "A regular buyer enrolled in the loyalty programme.",
          "Financial and social bonds: points, privileges, community."),
    Label("advocate", "拥护者", "Has brought in other customers (a converted referral).",
          "Reward referrals; give them something to talk about."),
    Label("partner", "合作伙伴", "An advocate and member in the top value tiers.",
          "Co-create: advisory panels, early access, joint planning."),
)

RELATIONSHIP_LEVELS: tuple[Label, ...] = (
    Label("basic", "基本型", "Sell, no follow-up.",
          "Many customers with a low future value (CLV)."),
    Label("reactive", "被动型", "Sell and invite the customer to call with questions.",
          "Many customers, or a low future value."),
    Label("accountable", "负责型", "Call after the sale to check satisfaction.",
          "A medium number of customers and future value."),
    Label("proactive", "能动型", "Contact the customer regularly with improvements and offers.",
          "Few customers, or a high future value."),
    Label("partnership", "伙伴型", "Work continuously with the customer to create value.",
          "Few customers with a high future value (CLV)."),
)

VALUE_LABELS: dict[str, tuple[Label, ...]] = {
    "status": STATUSES,
    "lifecycle_stage": STAGES,
    "quadrant": QUADRANTS,
    "strategy": STRATEGIES,
    "tier": TIERS,
    "value_class": VALUE_CLASSES,
    "loyalty_stage": LADDER,
    "relationship_level": RELATIONSHIP_LEVELS,
}


def names(labels: tuple[Label, ...]) -> list[str]:
    """The English names of ``labels``, in order."""
    return [label.name_en for label in labels]


def chinese(labels: tuple[Label, ...]) -> dict[str, str]:
    """English name -> Chinese name."""
    return {label.name_en: label.name_zh for label in labels}
