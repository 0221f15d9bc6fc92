"""The words of the perceived value and satisfaction x loyalty parts of the report's "Voice of
the customer / 客户之声" section, key -> (English, 简体中文); merged into
:data:`valuecrm.report.words.TEXT` beside :mod:`.voice_words`."""

from __future__ import annotations

VOICE_VALUE_WORDS: dict[str, tuple[str, str]] = {
    "voice_value_h_dimension": ("Dimension", "维度"),
    "voice_value_h_side": ("Side", "类别"),
    "voice_value_h_weight": ("Weight", "权重"),
    "voice_value_h_share": ("Share of its side (%)", "类内份额（%）"),
    "voice_value_h_value": ("Value (benefits / sacrifices)", "价值（利得 / 利失）"),
    "voice_value_h_change": ("Change of the weight", "权重变化"),
    "voice_value_benefit": ("benefit", "利得"),
    "voice_value_sacrifice": ("sacrifice", "利失"),
    "voice_value_caption": (
        "Customer perceived value (顾客知觉价值) on {n} respondents: weights = least-squares "
        "coefficients of the overall value item ({item}) on the benefit and sacrifice "
        "dimension scores (R² {r2}), 95% percentile bootstrap intervals; mean value (weighted "
        "benefits / weighted sacrifices) {mean}. Zeithaml 1988; Sheth, Newman & Gross 1991; "
        "Sweeney & Soutar 2001.",
        "顾客知觉价值（{n} 位受访者）：权重为总体价值题（{item}）对利得与利失各维度得分的最小二乘回"
        "归"
        "系数（R² {r2}），95% 百分位自助法区间；平均价值（加权利得 / 加权利失）{mean}。"
        "Zeithaml 1988；Sheth, Newman & Gross 1991；Sweeney & Soutar 2001。"),
    "voice_value_segments_caption": ("Perceived value by pyramid tier (answers linked to "
                                     "customers), 95% normal intervals.",
                                     "各金字塔层级的顾客知觉价值（仅关联到客户的回答），95% 正态区"
                                     "间。"),
    "voice_value_waves_caption": ("How the weights changed from {first} to {last} (95% "
                                  "interval from the two waves' bootstrap standard errors).",
                                  "权重从 {first} 到 {last} 的变化（95% 区间取自两轮的自助法标准误"
                                  "）。"),
    "voice_value_dim_functional": ("functional", "功能价值"),
    "voice_value_dim_emotional": ("emotional", "情感价值"),
    "voice_value_dim_social": ("social", "社会价值"),
    "voice_value_dim_epistemic": ("epistemic", "认知价值"),
    "voice_value_dim_conditional": ("conditional", "情境价值"),
    "voice_value_dim_service": ("service", "服务价值"),
    "voice_value_dim_product": ("product", "产品价值"),
    "voice_value_dim_personnel": ("personnel", "人员价值"),
    "voice_value_dim_image": ("image", "形象价值"),
    "voice_value_dim_money": ("money", "货币成本"),
    "voice_value_dim_time": ("time", "时间成本"),
    "voice_value_dim_energy": ("energy", "精力成本"),
    "voice_value_dim_psychic": ("psychic", "心理成本"),
    "voice_loyalty_h_quadrant": ("Quadrant", "象限"),
    "voice_loyalty_h_customers": ("Customers", "客户数"),
    "voice_loyalty_h_share": ("Share (%)", "占比（%）"),
    "voice_loyalty_h_satisfaction": ("Mean satisfaction", "平均满意度"),
    "voice_loyalty_h_loyalty": ("Mean loyalty", "平均忠诚度"),
    "voice_loyalty_h_clv": ("Mean CLV", "平均 CLV"),
    "voice_loyalty_h_high": ("High value", "高价值客户"),
    "voice_loyalty_apostle": ("apostles", "忠诚者（传道者）"),
    "voice_loyalty_mercenary": ("mercenaries", "唯利是图者"),
    "voice_loyalty_hostage": ("hostages", "被套牢者（人质）"),
    "voice_loyalty_defector": ("defectors", "背叛者"),
    "voice_loyalty_caption": (
        "Satisfaction x loyalty quadrants (Jones & Sasser 1995) of {n} customers, each by their "
        "latest answers: high = satisfaction at least {s}, loyalty at least {l}. High value: "
        "the top 20% of the customer pyramid (VIP, key, ordinary). 'valuecrm voice quadrants "
        "--list defector --high-value --out defectors.csv' exports the high-value defectors.",
        "满意度 x 忠诚度四象限（Jones & Sasser 1995），共 {n} 位客户，按各自最近一次回答："
        "满意度 ≥ {s}、忠诚度 ≥ {l} 为高。高价值：客户金字塔前 20%（VIP、主要、普通客户）。"
        "“valuecrm voice quadrants --list defector --high-value --out defectors.csv” 导出高价值背叛"
        "者名单。"),
}
