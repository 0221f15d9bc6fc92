"""The dashboard's words for complaints, service recovery and the journey (English, 简体中文),
merged into :data:`valuecrm.interfaces.web.i18n.TEXT`; the method notes come from
:mod:`valuecrm.i18n.service` (the report shows the same)."""

from __future__ import annotations

from valuecrm.i18n import joined
from valuecrm.i18n.service import SERVICE_METHODS, SERVICE_NAMES

SERVICE_TEXT: dict[str, tuple[str, str]] = {
    "svc_no_complaints": ("No complaints yet: load the complaints table and they appear here:",
                          "尚无投诉记录：导入投诉表后即可在此查看："),
    "svc_no_contacts": ("No interactions yet: load the interactions table and the journey "
                        "appears here:", "尚无接触记录：导入互动表后即可在此查看客户旅程："),
    "voice_recovery": ("Complaints and service recovery", "投诉与服务补救"),
    "voice_journey": ("Touchpoints and the journey", "接触点与客户旅程"),
    "svc_complaints": ("Complaints", "投诉数"),
    "svc_per_100_orders": ("Complaints per 100 orders", "每百单投诉数"),
    "svc_complainer_share": ("Buyers who complained", "投诉过的购买客户占比"),
    "svc_median_hours": ("Median hours to resolve", "解决时长中位数（小时）"),
    "svc_satisfaction_after": ("Satisfaction after recovery (1-7)", "补救后满意度（1-7）"),
    "svc_trend": ("Complaints per 100 orders, by month", "每月每百单投诉数"),
    "svc_trend_note": ("Complaints opened in the month per 100 purchases (completed orders) of "
                       "the month.", "当月新开投诉数 ÷ 当月购买（已完成订单）数 × 100。"),
    "svc_justice_missing": ("Not enough rated complaints yet: the regression needs complaints "
                            "with all three justice ratings and the satisfaction after recovery, "
                            "and ratings that vary.",
                            "有评分的投诉还不够：回归需要同时具备三种公平评分与补救后满意度，"
                            "且评分有变化的投诉。"),
    "svc_justice": ("What drives satisfaction after recovery: the three justices",
                    "补救后满意度的驱动因素：三种公平"),
    "outcome_justice": ("Outcome (fair compensation)", "结果公平（补偿合理）"),
    "procedural_justice": ("Procedural (fair, quick process)", "程序公平（流程公正快捷）"),
    "interactional_justice": ("Interactional (good attitude)", "互动公平（态度良好）"),
    "svc_effect": ("Effect on satisfaction", "对满意度的影响"),
    "svc_retention": ("Retention within {days} days", "{days} 天内再购率"),
    "svc_paradox": ("Service-recovery paradox", "服务补救悖论"),
    "svc_paradox_supported": (
        "Supported: retention after a successful recovery is {diff} points above retention "
        "without a complaint (95% interval {lower} to {upper}).",
        "成立：补救成功后的再购率比未投诉高 {diff} 个百分点（95% 区间 {lower} 至 {upper}）。"),
    "svc_paradox_not_supported": (
        "Not supported: retention after a successful recovery minus retention without a "
        "complaint is {diff} points (95% interval {lower} to {upper}, p = {p}).",
        "不成立：补救成功后的再购率减去未投诉的再购率为 {diff} 个百分点（95% 区间 {lower} 至 "
        "{upper}，p = {p}）。"),
    "svc_paradox_untestable": ("Not testable yet: too few complaints can be followed for the "
                               "whole window.", "暂无法检验：可完整跟踪的投诉太少。"),
    "svc_by_stage": ("Contacts by stage, before and after the first order",
                     "各接触阶段的接触次数（首单前后）"),
    "svc_before": ("Before the first order", "首单前"),
    "svc_after": ("After the first order", "首单后"),
    "svc_contacts": ("Contacts", "接触次数"),
    "svc_by_channel": ("Contacts by channel", "各渠道接触次数"),
    "svc_cost_stage": ("Cost to serve per contact, by stage", "各阶段每次接触的服务成本"),
    "svc_cost": ("Cost per contact", "每次接触成本"),
    "svc_funnel": ("From first contact to first order", "从首次接触到首单"),
    "svc_complaint_stages": ("Where complaints arise along the journey", "投诉发生在旅程"
                                                                         "的哪个阶段"),
    "unplaced": ("unplaced", "未归类"),
    "unknown": ("unknown", "未知"),
    "svc_per_customer": ("Per customer in touch: {contacts} contacts, cost to serve {cost} "
                         "(median {median}).",
                         "每位有接触的客户：平均 {contacts} 次接触，"
                         "服务成本 {cost}（中位数 {median}）。"),
    # the method notes and names, shared with the report
    **SERVICE_NAMES,
    "svc_justice_note": joined(
        ("Points of satisfaction (1-7) per point of each justice rating, over {n} rated "
         "complaints (R² {r2}).",
         "每一分公平评价带来的满意度（1-7）变化，基于 {n} 条有评分的投诉（R² {r2}）。"),
        SERVICE_METHODS["svc_justice_method"]),
    "svc_retention_note": SERVICE_METHODS["svc_retention_method"],
    "svc_paradox_method": SERVICE_METHODS["svc_paradox_method"],
    "svc_funnel_note": joined(
        SERVICE_METHODS["svc_funnel_method"],
        ("Of all {started} who got in touch first, {share} ordered, whatever stages they "
         "passed.",
         "首单前有接触的 {started} 位客户中，无论经过哪些阶段，共有 {share} 下单。")),
    "svc_complaint_stages_note": SERVICE_METHODS["svc_complaint_stages_method"],
}
