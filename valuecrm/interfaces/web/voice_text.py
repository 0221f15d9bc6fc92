"""The labels of the "Voice of the customer / 客户之声" page, key -> (English, 简体中文); merged
into :data:`valuecrm.interfaces.web.i18n.TEXT`; the method notes come from
:mod:`valuecrm.i18n.voice` (the report shows the same). A new section of the page adds its labels
here, under its own prefix (``voice_<section>_``)."""

from __future__ import annotations

from valuecrm.i18n import joined
from valuecrm.i18n.voice import VOICE_CONSTRUCTS, VOICE_METHODS

VOICE_TEXT: dict[str, tuple[str, str]] = {
    "voice": ("Voice of the customer", "客户之声"),
    "voice_intro": ("What customers say in surveys: {n} questionnaires in {surveys} surveys, "
                    "{first} to {last}.",
                    "顾客在问卷中的评价：{surveys} 次调查共 {n} 份问卷，{first} 至 {last}。"),
    "voice_intro_survey": ("What customers say in survey {name}: {n} questionnaires, {first} to "
                           "{last}.",
                           "顾客在调查 {name} 中的评价：共 {n} 份问卷，{first} 至 {last}。"),
    "voice_survey": ("Survey", "调查"),
    "voice_all_surveys": ("All surveys", "全部调查"),
    "voice_survey_note": ("Every section below follows the survey chosen, except complaints "
                          "and the journey (they come from other tables).",
                          "下方各部分均随所选调查变化；投诉与客户旅程除外（来自其他数据表）。"),
    "voice_none": ("No survey answers are stored yet.", "尚未导入问卷回答。"),
    "voice_none_hint": (
        "Load them with one row per question answered, columns and question codes as in the "
        "example below (nps on 0-10, the other questions on 1-10), then open this page again.",
        "按每题一行导入问卷回答，列名与题目代码如下例所示（推荐意愿 0-10 分，其余题目 1-10 分），"
        "导入后重新打开本页。"),
    "voice_unavailable": ("This section cannot be shown for these answers:",
                          "此部分无法根据现有回答计算："),
    "voice_contents": ("On this page", "本页内容"),
    # section: nps
    "voice_nps": ("Net Promoter Score", "净推荐值（NPS）"),
    "voice_nps_overall": ("NPS", "NPS"),
    "voice_nps_interval": ("{level} interval {lower} to {upper}",
                           "{level} 置信区间 {lower} 至 {upper}"),
    "voice_answers": ("Answers", "回答数"),
    "voice_promoters": ("Promoters (9-10)", "推荐者（9-10 分）"),
    "voice_passives": ("Passives (7-8)", "中立者（7-8 分）"),
    "voice_detractors": ("Detractors (0-6)", "贬损者（0-6 分）"),
    "voice_nps_trend": ("NPS by quarter, with its 95% band", "各季度 NPS 及其 95% 置信带"),
    "voice_nps_trend_wave": ("NPS by survey wave, with its 95% band",
                             "各轮调查的 NPS 及其 95% 置信带"),
    "voice_band": ("95% interval", "95% 置信区间"),
    "voice_show_waves": ("Show by survey wave", "按调查轮次显示"),
    "voice_show_quarters": ("Show by quarter", "按季度显示"),
    "voice_nps_change": ("From {before} to {last}: {change} points (95% interval {lower} to "
                         "{upper}).",
                         "从 {before} 到 {last}：变化 {change} 分（95% 置信区间 {lower} 至 "
                         "{upper}）。"),
    "voice_nps_segments": ("NPS by RFM segment (snapshot {sid}), with 95% intervals",
                           "各 RFM 客户群的 NPS（快照 {sid}）及 95% 置信区间"),
    "voice_nps_unlinked": ("{linked} answers joined to the customers of snapshot {sid} on the "
                           "customer id; {unlinked} link to no customer of it.",
                           "{linked} 份回答按客户编号关联到快照 {sid} 的客户；"
                           "{unlinked} 份无法关联。"),
    "voice_scores": ("Satisfaction scores (1-10)", "满意度评分（1-10 分）"),
    "voice_question": ("Question", "题目"),
    "voice_csat": ("CSAT (9-10)", "CSAT（9-10 分占比）"),
    "voice_mean": ("Mean", "平均分"),
    "voice_mean_100": ("Mean on 0-100", "百分制平均分"),
    # section: index
    "voice_index": ("Satisfaction index (PLS path model)", "满意度指数（PLS 路径模型）"),
    "voice_index_chart": ("Index of each construct (0-100), with 95% bootstrap intervals",
                          "各构念指数（0-100）及 95% 自助法置信区间"),
    "voice_index_value": ("Index (0-100)", "指数（0-100）"),
    "voice_paths": ("Path coefficients, with 95% bootstrap intervals",
                    "路径系数及 95% 自助法置信区间"),
    "voice_path": ("Path", "路径"),
    "voice_coefficient": ("Coefficient", "系数"),
    "voice_interval": ("95% interval", "95% 置信区间"),
    "voice_r2": ("R²", "决定系数 R²"),
    "voice_construct": ("Construct", "构念"),
    "voice_respondents": ("{n} respondents with every answer; {dropped} left out for a missing "
                          "answer.", "{n} 位受访者回答了全部题目；{dropped} 位因缺答未计入。"),
    # section: ipma
    "voice_ipma": ("Importance-performance map", "重要性-绩效矩阵（IPMA）"),
    "voice_ipma_chart": ("What drives {target}: importance against performance",
                         "{target}的驱动因素：重要性与绩效"),
    "voice_ipma_target": ("Drivers of", "分析对象"),
    "voice_importance": ("Importance (points of the target per point)",
                         "重要性（绩效每升 1 分，目标升高的分数）"),
    "voice_importance_short": ("Importance", "重要性"),
    "voice_total_effect": ("Total effect (standardised)", "总效应（标准化）"),
    "voice_performance": ("Performance (0-100)", "绩效（0-100）"),
    "voice_quadrant": ("Quadrant", "象限"),
    "voice_q_keep": ("Keep up the good work", "继续保持"),
    "voice_q_concentrate": ("Concentrate here", "重点改进"),
    "voice_q_low": ("Low priority", "次要改进"),
    "voice_q_overkill": ("Possible overkill", "可能过度投入"),
    # section: drivers
    "voice_drivers": ("Key drivers of NPS", "NPS 的关键驱动因素"),
    "voice_share": ("Share of R²", "占 R² 比例"),
    "voice_beta": ("Standardised β", "标准化 β"),
    "voice_drivers_r2": ("The questions together explain R² = {r2} of the variance of the 0-10 "
                         "recommendation ({n} respondents).",
                         "这些题目共同解释了 0-10 分推荐意愿方差的 R² = {r2}（{n} 位受访者）。"),
    # constructs and questions
    # the method notes and the constructs' names, shared with the report
    **VOICE_METHODS,
    **VOICE_CONSTRUCTS,
    "voice_nps_method": joined(VOICE_METHODS["voice_nps_method"],
                               ("Source: the stored survey answers.", "来源：已导入的问卷回答。")),
}
