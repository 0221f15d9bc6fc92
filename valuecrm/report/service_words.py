"""The report's words for complaints, service recovery and the journey (English, 简体中文),
merged into :data:`valuecrm.report.words.TEXT`."""

from __future__ import annotations

from valuecrm.i18n import joined
from valuecrm.i18n.service import SERVICE_METHODS, SERVICE_NAMES

SERVICE_WORDS: dict[str, tuple[str, str]] = {
    "svc_recovery_source": ("The complaints and orders tables of {path}.",
                            "{path} 的投诉表与订单表。"),
    "svc_journey_source": ("The interactions, complaints and orders tables of {path}.",
                           "{path} 的互动表、投诉表与订单表。"),
    "svc_recovery_title": ("Complaints and service recovery", "投诉与服务补救"),
    "svc_recovery_intro": (
        "{complaints} complaints from {complainers} customers: {rate} per 100 orders; median "
        "{hours} hours to resolve; satisfaction after recovery {sat} on 1-7.",
        "{complainers} 位客户共投诉 {complaints} 次："
        "每百单 {rate} 次；解决时长中位数 {hours} 小时；"
        "补救后满意度 {sat}（1-7）。"),
    "svc_justice_chart": ("Effect of each justice on satisfaction after recovery (95% interval)",
                          "各公平维度对补救后满意度的影响（95% 区间）"),
    "svc_retention_chart": ("Retention within {days} days", "{days} 天内再购率"),
    "svc_term": ("term", "项"),
    "svc_coefficient": ("coefficient", "系数"),
    "svc_lower": ("95% lower", "95% 下限"),
    "svc_upper": ("95% upper", "95% 上限"),
    "intercept": ("Intercept", "截距"),
    "outcome_justice": ("Outcome justice", "结果公平"),
    "procedural_justice": ("Procedural justice", "程序公平"),
    "interactional_justice": ("Interactional justice", "互动公平"),
    "svc_paradox_supported": ("Service-recovery paradox: supported ({diff} points, 95% "
                              "interval {lower} to {upper}).",
                              "服务补救悖论：成立（{diff} 个百分点，"
                              "95% 区间 {lower} 至 {upper}）。"),
    "svc_paradox_not_supported": ("Service-recovery paradox: not supported ({diff} points, 95% "
                                  "interval {lower} to {upper}).",
                                  "服务补救悖论：不成立（{diff} 个百分点，95% 区间 {lower} 至 "
                                  "{upper}）。"),
    "svc_journey_title": ("Touchpoints and the journey", "接触点与客户旅程"),
    "svc_journey_intro": (
        "{contacts} contacts with {customers} customers; per customer in touch {per} contacts "
        "and {cost} cost to serve.",
        "与 {customers} 位客户共接触 {contacts} 次；"
        "每位有接触的客户平均 {per} 次接触，服务成本 {cost}。"),
    "svc_ordered_share": ("Of all {started} customers who got in touch before ordering, {share} "
                          "ordered, whatever stages they passed.",
                          "首单前有接触的 {started} 位客户中，"
                          "无论经过哪些阶段，共有 {share} 下单。"),
    "svc_stage_chart": ("Contacts and cost per contact by stage", "各阶段接触次数与每次接触成本"),
    "svc_contacts": ("contacts", "接触次数"),
    "svc_cost_per_contact": ("cost per contact", "每次接触成本"),
    "svc_funnel_chart": ("From first contact to first order", "从首次接触到首单"),
    "svc_complaint_chart": ("Where complaints arise", "投诉发生的阶段"),
    "stage_information": ("information", "信息"),
    "stage_enquiry": ("enquiry", "咨询"),
    "stage_selection": ("selection", "选购"),
    "stage_order": ("order", "下单"),
    "stage_delivery": ("delivery", "配送"),
    "stage_payment": ("payment", "支付"),
    "stage_after_sales": ("after-sales", "售后"),
    "stage_unplaced": ("unplaced", "未归类"),
    "stage_unknown": ("unknown", "未知"),
    # the method notes: the dashboard's method texts of the same figures, joined
    "svc_recovery_method": joined(("Justice effects:", "公平效应："),
                                  SERVICE_METHODS["svc_justice_method"],
                                  SERVICE_METHODS["svc_retention_method"],
                                  SERVICE_METHODS["svc_paradox_method"]),
    "svc_journey_method": joined(
        ("Contacts by stage and channel; a contact before the customer's first purchase "
         "belongs to the journey to the first order.",
         "按阶段与渠道统计接触次数；首单之前的接触属于通往首单的旅程。"),
        SERVICE_METHODS["svc_funnel_method"], SERVICE_METHODS["svc_complaint_stages_method"]),
    **SERVICE_NAMES,
}
