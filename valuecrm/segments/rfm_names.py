"""Names, descriptions and suggested actions of the RFM segments and the 8 RFM classes.

Both tables are tuples of named tuples, so ``pandas.DataFrame(SEGMENTS)`` gives a table with one
row per segment. English names are the values of ``rfm_segment`` / ``rfm_class_en``; Chinese
names those of the dashboard and of ``rfm_class``.
"""

from __future__ import annotations

from typing import NamedTuple


class SegmentLabel(NamedTuple):
    """One named RFM segment, in English and Chinese."""

    name_en: str
    name_zh: str
    description_en: str
    description_zh: str
    action_en: str
    action_zh: str


class ClassLabel(NamedTuple):
    """One of the 8 RFM classes: R, F, M each high (H) or low (L) against its mean."""

    code: str
    name_zh: str
    name_en: str
    description_en: str
    description_zh: str
    action_en: str
    action_zh: str


SEGMENTS: tuple[SegmentLabel, ...] = (
    SegmentLabel(
        "Champions", "冠军客户",
        "Bought recently, buy often and spend the most.",
        "最近购买、购买频繁、花费最多。",
        "Reward them; offer early access to new products; ask for reviews and referrals.",
        "奖励、抢先体验新品、邀请评价与推荐。"),
    SegmentLabel(
        "Loyal", "忠诚客户",
        "Buy often and fairly recently; respond to promotions.",
        "购买频繁且较近期购买，对促销有响应。",
        "Upsell higher-value products; enrol them in the loyalty programme; ask for reviews.",
        "推荐更高价值的产品、邀请加入会员计划、邀请评价。"),
    SegmentLabel(
        "Potential Loyalist", "潜力客户",
        "Recent customers with a few purchases.",
        "近期购买、已有数次购买的客户。",
        "Offer membership or a loyalty programme; recommend related products.",
        "提供会员或积分计划、推荐相关产品。"),
    SegmentLabel(
        "New", "新客户",
        "Bought very recently, for the first time or almost.",
        "最近首次（或几乎首次）购买。",
        "Welcome them; help with onboarding; build the relationship early.",
        "欢迎与引导、提供上手支持、尽早建立关系。"),
    SegmentLabel(
        "Promising", "有望客户",
        "Recent shoppers who have not bought much yet.",
        "近期购买但购买次数尚少。",
        "Create brand awareness; offer free trials or a second-purchase incentive.",
        "提升品牌认知、提供免费试用或再次购买优惠。"),
    SegmentLabel(
        "Need Attention", "需要关注",
        "Average recency and frequency; may not have bought lately.",
        "最近购买时间与购买频率居中，近来可能未再购买。",
        "Make limited-time offers; recommend based on past purchases; reactivate them.",
        "限时优惠、基于历史购买的推荐、重新激活。"),
    SegmentLabel(
        "About To Sleep", "即将沉睡",
        "Below-average recency and frequency; will be lost if nothing is done.",
        "最近购买时间与购买频率低于平均，不采取行动将会流失。",
        "Share valuable resources; recommend popular products; offer renewal discounts.",
        "分享有价值的内容、推荐热门产品、提供续购折扣。"),
    SegmentLabel(
        "At Risk", "有流失风险",
        "Bought often, but long ago.",
        "曾经频繁购买，但已很久未购买。",
        "Send personalised e-mails to reconnect; offer renewals; share helpful resources.",
        "发送个性化邮件重新联系、提供续订、分享有用的资源。"),
    SegmentLabel(
        "Can't Lose Them", "不能失去",
        "Bought the most often, but have not come back for a long time.",
        "曾经购买最频繁，但很久没有回来。",
        "Win them back with new products or renewals; talk to them; do not lose them "
        "to a competitor.",
        "以新品或续订赢回、主动沟通、不要让他们流向竞争对手。"),
    SegmentLabel(
        "Hibernating", "休眠客户",
        "Last purchase long ago, few purchases.",
        "最后一次购买在很久以前，购买次数少。",
        "Offer other relevant products and special discounts; recreate brand value.",
        "提供其他相关产品与特别折扣、重建品牌价值。"),
    SegmentLabel(
        "Lost", "已流失",
        "Lowest recency and frequency.",
        "最近购买时间与购买频率最低。",
        "Revive interest with an outreach campaign; otherwise ignore.",
        "以触达活动唤起兴趣，否则不再投入。"),
)

RFM_CLASSES: tuple[ClassLabel, ...] = (
    ClassLabel(
        "HHH", "重要价值", "Important value",
        "Recent, frequent, big spenders: the most valuable customers.",
        "最近购买、频繁购买、消费高：最有价值的客户。",
        "Keep them: VIP service, exclusive offers.", "保持：VIP 服务、专属优惠。"),
    ClassLabel(
        "HLH", "重要发展", "Important development",
        "Recent big spenders who buy rarely.",
        "最近购买、消费高，但购买频率低。",
        "Develop: raise purchase frequency, cross-sell.", "发展：提高购买频率、交叉销售。"),
    ClassLabel(
        "LHH", "重要保持", "Important retention",
        "Frequent big spenders who have not bought lately.",
        "购买频繁、消费高，但近来未购买。",
        "Retain: contact them proactively before they leave.", "保持：主动联系，防止流失。"),
    ClassLabel(
        "LLH", "重要挽留", "Important win-back",
        "Big spenders who buy rarely and not lately.",
        "消费高，但购买少且近来未购买。",
        "Win back: find out why they left, make a targeted offer.",
        "挽留：了解流失原因，提供针对性优惠。"),
    ClassLabel(
        "HHL", "一般价值", "General value",
        "Recent, frequent buyers with small spend.",
        "最近购买、购买频繁，但消费低。",
        "Up-sell: raise the amount per purchase.", "追加销售：提高客单价。"),
    ClassLabel(
        "HLL", "一般发展", "General development",
        "Recent buyers with few purchases and small spend.",
        "最近购买，但购买少、消费低。",
        "Develop at low cost: onboarding, second-purchase offers.",
        "低成本发展：引导、再次购买优惠。"),
    ClassLabel(
        "LHL", "一般保持", "General retention",
        "Frequent buyers with small spend who have not bought lately.",
        "购买频繁但消费低，近来未购买。",
        "Retain at low cost: reminders, points.", "低成本保持：提醒、积分。"),
    ClassLabel(
        "LLL", "一般挽留", "General win-back",
        "Not recent, rare, small spenders.",
        "近来未购买、购买少、消费低。",
        "Low priority: automated win-back at most.", "低优先级：至多自动化挽回。"),
)

SEGMENT_BY_NAME: dict[str, SegmentLabel] = {s.name_en: s for s in SEGMENTS}
CLASS_BY_CODE: dict[str, ClassLabel] = {c.code: c for c in RFM_CLASSES}
