"""The labels of the "Loyalty / 会员忠诚计划" page, key -> (English, 简体中文); merged into
:data:`valuecrm.interfaces.web.i18n.TEXT`."""

from __future__ import annotations

LOYALTY_TEXT: dict[str, tuple[str, str]] = {
    "loyalty": ("Loyalty", "会员忠诚计划"),
    "loyalty_empty": ("The loyalty ledger is empty: there are no points, tiers or members to "
                      "show. Load the table loyalty_ledger, for example with this command:",
                      "积分流水为空：没有可显示的积分、等级或会员。请先导入积分流水表，例如："),
    "loyalty_as_of": ("As of {day}, by the rules of: {name}", "截至 {day}，所用规则：{name}"),
    "members": ("Members", "会员数"),
    "outstanding_points": ("Points outstanding", "未使用积分"),
    "points_liability": ("Points liability", "积分负债"),
    "settled_breakage": ("Breakage of settled points", "已结算积分的失效率"),
    "liability_method": ("Liability = points outstanding (the sum of positive balances) x "
                         "{value} per point; source: the loyalty ledger.",
                         "积分负债 = 未使用积分（正余额之和）× 每分价值 {value}；"
                         "数据来源：积分流水。"),
    "breakage_title": ("Redemption and breakage by cohort of issued points",
                       "按积分发放年份的兑换率与失效率"),
    "issue_year": ("Year issued", "发放年份"),
    "issued": ("Issued", "发放积分"),
    "redemption_rate": ("Redeemed", "兑换率"),
    "breakage": ("Expired (breakage)", "失效率"),
    "adjusted": ("Taken back", "冲减积分"),
    "outstanding": ("Outstanding", "未使用"),
    "closed": ("Closed", "已结清"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "to_date": ("All points to date", "截至目前全部积分"),
    "closed_rates": ("Over the {n} closed cohorts: redemption rate {redeemed}, breakage "
                     "{expired}.", "{n} 个已结清年份：兑换率 {redeemed}，失效率 {expired}。"),
    "no_closed_cohort": ("No cohort is closed yet (every year still has points outstanding): "
                         "the rates to date are not final; the breakage of settled points "
                         "estimates where they will end.",
                         "尚无已结清的年份（每年都仍有未使用积分）：截至目前的比率并非最终值；"
                         "已结算积分的失效率可用来估计最终水平。"),
    "rates_method": ("Points are used first-in-first-out: each redemption, expiry or return "
                     "uses the member's oldest points. Redemption rate = redeemed / issued, "
                     "breakage = expired / issued, per year of issue; a year is closed when "
                     "none of its points is outstanding. Breakage of settled points = expired "
                     "/ (redeemed + expired).",
                     "积分按先进先出使用：每次兑换、过期或退货冲减都先用会员最早的积分。"
                     "兑换率 = 已兑换 / 已发放，失效率 = 已过期 / 已发放，按发放年份计算；"
                     "某年的积分全部用完即为已结清。"
                     "已结算积分的失效率 = 已过期 /（已兑换 + 已过期）。"),
    "tier_mix": ("Members by tier", "各等级会员数"),
    "tier_basis_points": ("Tiers on the points earned in the last {months} months.",
                          "等级按最近 {months} 个月获得的积分评定。"),
    "tier_basis_spend": ("Tiers on the net spend of the last {months} months.",
                         "等级按最近 {months} 个月的净消费评定。"),
    "tier_basis_points_lifetime": ("Tiers on the points earned since joining.",
                                   "等级按入会以来获得的积分评定。"),
    "tier_basis_spend_lifetime": ("Tiers on the net spend since joining.",
                                  "等级按入会以来的净消费评定。"),
    "tier_moves": ("Tier moves", "会员等级迁移"),
    "tier_from": ("Tier on {day}", "{day} 的等级"),
    "tier_to": ("Tier on {day}", "{day} 的等级"),
    "tier_moves_note": ("{up} moved up, {down} moved down, {joined} joined.",
                        "升级 {up} 人，降级 {down} 人，新入会 {joined} 人。"),
    "tier_moves_dates": ("From {start} to {end}.", "自 {start} 至 {end}。"),
    "tier_moves_between": ("Compare the tiers on the as-of dates of two snapshots",
                           "比较两个快照截至日的会员等级"),
    "tier_moves_from": ("From snapshot", "起始快照"),
    "tier_moves_to": ("To snapshot", "结束快照"),
    "tier_moves_default_from": ("a year before", "一年前"),
    "tier_moves_default_to": ("the last ledger entry", "最近一笔积分记录"),
    "tier_moves_snapshot": ("{id} · {day}", "{id} · {day}"),
    "tier_benefits": ("Tiers and their benefits", "会员等级与权益"),
    "tier_min": ("From", "起点"),
    "benefits": ("Benefits", "权益"),
    "visit_rules": ("Visit rules", "到店次数规则"),
    "visit_rule": ("Benefit", "权益"),
    "visits_needed": ("Needs", "条件"),
    "visits_in_months": ("{visits} visits in {months} months", "{months} 个月内 {visits} 次"),
    "qualifying_members": ("Members who qualify", "达标会员"),
    "benefit_cost": ("Cost", "成本"),
    "member_value": ("Members against non-members", "会员与非会员对比"),
    "group_members": ("Members", "会员"),
    "group_non_members": ("Non-members", "非会员"),
    "selection_not_effect": ("Selection, not effect:", "这是自选择差异，不是计划效果："),
    "selection_note": ("customers chose to join, so members differ from the others for reasons "
                       "of their own; the difference is not what the programme did. Measuring "
                       "that needs a campaign with a control group. Snapshot of {day}.",
                       "客户自愿入会，会员与非会员本来就不同，差异不等于会员计划带来的效果；"
                       "要衡量效果，需要设有对照组的营销活动。快照日期 {day}。"),
    "controlled_campaign": ("A loyalty campaign with a control group (its effect is what it "
                            "did):", "设有对照组的会员活动（其效果即活动的作用）："),
    "member_value_no_snapshot": ("No snapshot yet: run this command to compare the members' "
                                 "CLV and P(alive) with the other customers':",
                                 "尚无快照：运行以下命令后可对比会员与其他客户的 "
                                 "CLV 和 P(alive)："),
    "what_if": ("What if the rules changed?", "规则调整模拟"),
    "what_if_intro": ("Apply changed rules to the members' past orders: the points they would "
                      "have issued, what they cost, and who changes tier. Nothing is written.",
                      "将调整后的规则应用于会员过去的订单：会发放多少积分、成本多少、"
                      "谁的等级会变化。不会写入任何数据。"),
    "points_per_unit": ("Points per currency unit", "每元积分"),
    "value_per_point": ("Value of a point", "每分价值"),
    "bonus_category": ("Bonus category", "加倍品类"),
    "bonus_multiplier": ("Multiplier", "倍数"),
    "tier_minimums": ("Tier thresholds (lowest first)", "等级门槛（由低到高）"),
    "months_of_orders": ("Months of orders", "订单月数"),
    "run_what_if": ("Compute", "计算"),
    "rule_set": ("Rules", "规则"),
    "rules_current": ("Current", "现行规则"),
    "rules_changed": ("Changed", "调整后"),
    "points_net": ("Points issued (net)", "净发放积分"),
    "face_value": ("Face value", "面值"),
    "expected_cost": ("Expected cost", "预计成本"),
    "visit_benefit_cost": ("Visit benefits", "到店权益成本"),
    "total_cost": ("Total cost", "总成本"),
    "change": ("Change", "变化"),
    "what_if_tiers": ("{n} members would change tier ({up} up, {down} down).",
                      "{n} 位会员等级会变化（升级 {up}，降级 {down}）。"),
    "what_if_method": ("Orders from {since} to {day}; expected cost = face value x (1 - the "
                       "breakage of settled points, {breakage}); tiers as of {day}.",
                       "订单区间 {since} 至 {day}；预计成本 = 面值 ×（1 − 已结算积分的失效率 "
                       "{breakage}）；等级按 {day} 评定。"),
    "tier_current": ("Tier now", "现行等级"),
    "tier_changed": ("Tier with the changed rules", "调整后等级"),
    "qualifying_current": ("Qualifying now", "现行达标值"),
    "qualifying_changed": ("Qualifying with the changed rules", "调整后达标值"),
    "movers_for_analysts": ("Analysts and administrators see who changes tier.",
                            "分析师和管理员可查看等级变化的会员名单。"),
}
