"""How the complaint, service recovery and journey figures are made, in English and 简体中文:
one text per method, shown beside its chart on the dashboard
(:mod:`valuecrm.interfaces.web.service_text`) and joined into the method notes of the report's
sections (:mod:`valuecrm.report.service_words`). Key -> (English, 简体中文); ``{days}`` and
``{threshold}`` are the settings of the view."""

from __future__ import annotations

SERVICE_METHODS: dict[str, tuple[str, str]] = {
    "svc_justice_method": (
        "OLS of satisfaction after recovery on outcome, procedural and interactional justice, "
        "HC3 standard errors, 95% intervals (Tax, Brown & Chandrashekaran 1998; Smith, Bolton & "
        "Wagner 1999).",
        "以补救后满意度对结果公平、程序公平与互动公平做普通最小二乘回归，HC3 稳健标准误，95% 区间"
        "（Tax, Brown & Chandrashekaran 1998；Smith, Bolton & Wagner 1999）。"),
    "svc_retention_method": (
        "Retention: a purchase within {days} days after the complaint was resolved (success: "
        "satisfaction after recovery at least {threshold}), or after a purchase without a "
        "complaint; 95% intervals.",
        "再购率：投诉解决后 {days} 天内再次购买（补救成功：补救后满意度不低于 {threshold}），"
        "或未投诉的购买之后 {days} 天内再次购买；95% 区间。"),
    "svc_paradox_method": (
        "The service-recovery paradox (McCollough & Bharadwaj 1992; de Matos, Henrique & Rossi "
        "2007) is supported when retention after a successful recovery beats retention without "
        "a complaint with an interval above 0. Purchases are compared, not customers, because "
        "customers who never complain are those who bought little afterwards.",
        "补救成功者的再购率高于未投诉且区间在 0 以上时，服务补救悖论成立"
        "（McCollough & Bharadwaj 1992；de Matos, Henrique & Rossi 2007）。"
        "比较的是购买而非客户：从不投诉的客户往往是之后买得少的客户。"),
    "svc_funnel_method": (
        "Funnel: customers whose first contact came before their first order; of them, those "
        "in touch at information, then also enquiry, then also selection before ordering, then "
        "those of them who ordered (each step inside the one before).",
        "漏斗：首次接触早于首单的客户中，首单前有信息阶段接触者、又有咨询者、又有选购者，"
        "以及其中最终下单者（每一步都包含于上一步）。"),
    "svc_complaint_stages_method": (
        "Each complaint is placed on the stage of the customer's latest interaction within "
        "{days} days before it; 'unplaced' when there is none.",
        "每条投诉归入客户投诉前 {days} 天内最近一次接触的阶段；若无接触则为“未归类”。"),
}

# the steps of the funnel and the groups compared for retention, as the page and the report
# name them
SERVICE_NAMES: dict[str, tuple[str, str]] = {
    "group_success": ("Recovery succeeded", "补救成功"),
    "group_failure": ("Recovery failed", "补救失败"),
    "group_no_complaint": ("No complaint", "未投诉"),
    "step_first_contact": ("First contact", "首次接触"),
    "step_information": ("Information", "信息"),
    "step_enquiry": ("Enquiry", "咨询"),
    "step_selection": ("Selection", "选购"),
    "step_first_order": ("First order", "首单"),
}
