"""The leaving reasons in Simplified Chinese: each code's label and rule (with the default
thresholds of :class:`~valuecrm.actions.reasons.ReasonRules`), and the suggested actions of the
order rules, for the dashboard and the report."""

from __future__ import annotations

from valuecrm.actions.reasons import ReasonRules, reason_rule, suggested_action

_R = ReasonRules()
# reason code -> (label, the rule that gives it)
REASONS_ZH: dict[str, tuple[str, str]] = {
    "service_failure": ("服务失败", f"最近一次投诉（最后购买前{_R.lookback_days}天内或之后）"
                        f"未解决，或超过{_R.long_resolution_hours:g}小时才解决"),
    "complaint": ("投诉", f"最近一次投诉在最后购买前{_R.lookback_days}天内或之后，"
                  "且已及时解决"),
    "price_sensitivity": ("价格敏感", f"至少{_R.price_share:.0%}的标价以折扣给出，"
                          "或响应过价格优惠"),
    "returned": ("退回最后订单", "在最后购买日当天或之后有退货订单"),
    "one_purchase": ("仅购买一次后离开", "只有一个购买日"),
    "category_stopped": ("停止购买品类", f"此前至少{_R.category_days}个购买日购买的品类，"
                         "最后一次购买中没有"),
    "spend_fell": ("消费下降", f"最后购买日的金额不超过此前各购买日均值的{_R.spend_fall:g}倍"),
    "intervals_lengthened": ("购买间隔变长", "最后两次购买的间隔至少为此前平均间隔的"
                             f"{_R.gap_growth:g}倍"),
    "overdue": ("超出购买周期", f"距最后购买的天数至少为其平均购买间隔的{_R.gap_growth:g}倍"
                "（至少两个购买日）"),
    "no_sign": ("订单中无迹象", "投诉、价格和订单规则均不符合：金额和间隔稳定，沉默未超过"
                f"平常间隔的{_R.gap_growth:g}倍"),
    "unknown": ("未知", "截至分析日无购买"),
}



# the suggested actions of the order rules (English, as in the lists) -> 简体中文
ACTIONS_ZH: dict[str, str] = {
    suggested_action("returned last order", False, "lost", True): "询问退货原因，提供换货或抵用金",
    suggested_action("left after one purchase", False, "lost", True):
        "根据其首次购买推荐第二次购买优惠",
    suggested_action("spend fell", False, "lost", True): "组合优惠或满额奖励，提升客单价",
    suggested_action("intervals lengthened", False, "lost", True):
        "按其原有购买节奏发送提醒，附限时奖励",
}


def values_zh() -> dict[str, str]:
    """English reason labels, rules (default thresholds) and actions -> 简体中文."""
    from valuecrm.actions.reasons import REASON_LABELS

    out = {label: REASONS_ZH[code][0] for code, label in REASON_LABELS.items()
           if not label.endswith(": ")}
    out.update({reason_rule(code): REASONS_ZH[code][1] for code in REASONS_ZH})
    out.update(ACTIONS_ZH)
    return out
