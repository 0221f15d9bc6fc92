"""The labels of the perceived value and satisfaction x loyalty sections of the "Voice of the
customer / 客户之声" page, key -> (English, 简体中文); merged into
:data:`valuecrm.interfaces.web.i18n.TEXT` beside :mod:`.voice_text`."""

from __future__ import annotations

from valuecrm.i18n.voice import VOICE_METHODS

VOICE_SURVEY_TEXT: dict[str, tuple[str, str]] = {
    # section: value (customer perceived value)
    "voice_value": ("Customer perceived value", "顾客知觉价值"),
    "voice_value_mean": ("Mean value (benefits / sacrifices)", "平均价值（利得 / 利失）"),
    "voice_value_mean_note": ("above 1: more received than given", "大于 1：所得多于所付"),
    "voice_value_weights": ("Weights of the value dimensions, with 95% intervals",
                            "价值维度的权重及其 95% 置信区间"),
    "voice_value_weights_note": (
        "Change of the overall value item ({item}) per scale point of a dimension, the others "
        "held fixed: benefits raise it, sacrifices lower it.",
        "维度每提高一个量表点，总体价值题（{item}）的变化（其他维度不变）：利得提高价值，利失降低价"
        "值。"),
    "voice_value_segments": ("Value by pyramid tier, with 95% intervals",
                             "各金字塔层级的顾客知觉价值及其 95% 置信区间"),
    "voice_value_segments_note": ("Answers linked to customers, tiers of the latest snapshot.",
                                  "仅含关联到客户的回答；层级取自最新快照。"),
    "voice_value_dimension": ("Dimension", "维度"),
    "voice_value_side": ("Side", "类别"),
    "voice_value_benefit": ("benefit", "利得"),
    "voice_value_sacrifice": ("sacrifice", "利失"),
    "voice_value_weight": ("Weight", "权重"),
    "voice_value_share": ("Share of its side", "类内份额"),
    "voice_value_ratio": ("Value (benefits / sacrifices)", "价值（利得 / 利失）"),
    "voice_value_change": ("Change of the weight", "权重变化"),
    "voice_value_waves": ("How the weights changed from {first} to {last}",
                          "权重从 {first} 到 {last} 的变化"),
    "voice_value_dim_functional": ("Functional", "功能价值"),
    "voice_value_dim_emotional": ("Emotional", "情感价值"),
    "voice_value_dim_social": ("Social", "社会价值"),
    "voice_value_dim_epistemic": ("Epistemic", "认知价值"),
    "voice_value_dim_conditional": ("Conditional", "情境价值"),
    "voice_value_dim_service": ("Service", "服务价值"),
    "voice_value_dim_product": ("Product", "产品价值"),
    "voice_value_dim_personnel": ("Personnel", "人员价值"),
    "voice_value_dim_image": ("Image", "形象价值"),
    "voice_value_dim_money": ("Money", "货币成本"),
    "voice_value_dim_time": ("Time", "时间成本"),
    "voice_value_dim_energy": ("Energy", "精力成本"),
    "voice_value_dim_psychic": ("Psychic", "心理成本"),
    # section: loyalty (satisfaction x loyalty quadrants)
    "voice_loyalty": ("Satisfaction and loyalty", "满意度与忠诚度"),
    "voice_loyalty_apostle": ("Apostles", "忠诚者（传道者）"),
    "voice_loyalty_mercenary": ("Mercenaries", "唯利是图者"),
    "voice_loyalty_hostage": ("Hostages", "被套牢者（人质）"),
    "voice_loyalty_defector": ("Defectors", "背叛者"),
    "voice_loyalty_grid": ("Satisfaction ≥ {s} and loyalty ≥ {l} count as high",
                           "满意度 ≥ {s}、忠诚度 ≥ {l} 视为高"),
    "voice_loyalty_sat_low": ("Less satisfied", "满意度低"),
    "voice_loyalty_sat_high": ("Highly satisfied", "满意度高"),
    "voice_loyalty_loy_high": ("Highly loyal", "忠诚度高"),
    "voice_loyalty_loy_low": ("Less loyal", "忠诚度低"),
    "voice_loyalty_cell": ("{n} customers ({share})", "{n} 位客户（{share}）"),
    "voice_loyalty_clv": ("mean CLV {clv}", "平均 CLV {clv}"),
    "voice_loyalty_high": ("{n} of high value", "其中高价值 {n} 位"),
    "voice_loyalty_placed": ("{n} customers placed by their latest answers to {s} and {l}; "
                             "anonymous answers are left out.",
                             "按 {n} 位客户最近一次对 {s} 与 {l} 的回答划分；匿名回答不计。"),
    "voice_loyalty_chart": ("Customers per quadrant, high value first",
                            "各象限客户数（高价值在下）"),
    "voice_loyalty_high_note": ("High value: the top 20% of the customer pyramid (VIP, key, "
                                "ordinary).",
                                "高价值：客户金字塔前 20%（VIP、主要、普通客户）。"),
    "voice_loyalty_high_value": ("High value", "高价值"),
    "voice_loyalty_other_value": ("Others", "其他"),
    "voice_loyalty_customers": ("Customers", "客户数"),
    "voice_loyalty_snapshot": ("Value from the snapshot of {date}.", "价值取自 {date} 的快照。"),
    "voice_loyalty_export": ("The same list from the command line:",
                             "也可在命令行导出同一名单："),
    "voice_loyalty_download": ("Download the high-value defectors (customer ids, their answers "
                               "and value)",
                               "下载高价值背叛者名单（客户编号、其回答与价值）"),
    "voice_loyalty_for_analysts": ("The list of high-value defectors (customer ids) is for "
                                   "analysts and administrators to download.",
                                   "高价值背叛者名单（含客户编号）仅供分析师和管理员下载。"),
    # the method notes, shared with the report
    "voice_value_method": VOICE_METHODS["voice_value_method"],
    "voice_loyalty_method": VOICE_METHODS["voice_loyalty_method"],
}
