"""The words of the report's loyalty programme section, key -> (English, 简体中文); merged into
:data:`valuecrm.report.words.TEXT`."""

from __future__ import annotations

LOYALTY_WORDS: dict[str, tuple[str, str]] = {
    "loyalty_title": ("Loyalty programme", "会员忠诚计划"),
    "loyalty_intro": ("As of {as_of}: {members} members hold {points} points; at {value} a "
                      "point the points liability is {liability}.",
                      "截至 {as_of}：{members} 位会员持有 {points} 积分；每分价值 {value}，"
                      "积分负债为 {liability}。"),
    "loyalty_method": ("From the loyalty ledger (earn, redeem, expire, adjust) and the "
                       "programme's rules (docs/loyalty.md). Liability = points outstanding x "
                       "value per point. Points are used first-in-first-out; per year of issue, "
                       "redemption rate = redeemed / issued and breakage = expired / issued; "
                       "breakage of settled points = expired / (redeemed + expired).",
                       "数据来自积分流水（获得、兑换、过期、调整）与计划规则（docs/loyalty.md）。"
                       "积分负债 = 未使用积分 × 每分价值。积分按先进先出使用；按发放年份，"
                       "兑换率 = 已兑换 / 已发放，失效率 = 已过期 / 已发放；已结算积分的失效率 "
                       "= 已过期 /（已兑换 + 已过期）。"),
    "loyalty_cohorts": ("Redemption and breakage by year of issue", "按发放年份的兑换率与失效率"),
    "loyalty_rates": ("{closed} closed cohorts. To date {redeemed} of the points issued were "
                      "redeemed and {expired} expired; of the settled points, {settled} expired.",
                      "已结清年份 {closed} 个。截至目前，已发放积分中 {redeemed} 已兑换、"
                      "{expired} 已过期；已结算积分中 {settled} 过期。"),
    "loyalty_tiers": ("Members by tier ({basis})", "各等级会员数（{basis}）"),
    "loyalty_basis_points": ("on points earned", "按获得积分"),
    "loyalty_basis_spend": ("on net spend", "按净消费"),
    "loyalty_moves": ("Tier moves from {start} to {end}: {up} up, {down} down, {joined} "
                      "joined.", "{start} 至 {end} 的等级迁移：升级 {up}，降级 {down}，"
                      "新入会 {joined}。"),
    "loyalty_value": ("Members against non-members", "会员与非会员对比"),
    "loyalty_members": ("members", "会员"),
    "loyalty_non_members": ("non-members", "非会员"),
    "loyalty_selection": ("Selection, not effect: customers chose to join, so this difference "
                          "is not what the programme did; measuring that needs a campaign with "
                          "a control group.",
                          "这是自选择差异，不是计划效果：客户自愿入会，此差异不等于会员计划的"
                          "作用；要衡量效果，需要设有对照组的营销活动。"),
}
