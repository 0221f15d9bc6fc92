"""The words of the report's "Voice of the customer / 客户之声" section, key -> (English,
简体中文); merged into :data:`valuecrm.report.words.TEXT`."""

from __future__ import annotations

from valuecrm.i18n import paragraphs
from valuecrm.i18n.voice import REPORT_VOICE_METHOD, VOICE_CONSTRUCTS, VOICE_METHODS

VOICE_WORDS: dict[str, tuple[str, str]] = {
    "voice_title": ("Voice of the customer", "客户之声"),
    "voice_intro": (
        "What customers say in surveys: {n} questionnaires in {surveys} surveys, {first} to "
        "{last}. The Net Promoter Score and its trend, satisfaction scores, the satisfaction "
        "index by PLS path modelling, what drives satisfaction (importance-performance map) "
        "and what drives the recommendation (key drivers).",
        "顾客在问卷中的评价：{surveys} 次调查共 {n} 份问卷，{first} 至 {last}。"
        "包括净推荐值及其趋势、满意度评分、PLS 路径模型得出的满意度指数、"
        "满意度的驱动因素（重要性-绩效矩阵）以及推荐意愿的关键驱动因素。"),
    "voice_source": ("The survey answers stored in {path} (table survey_responses); RFM "
                     "segments of snapshot {sid}.",
                     "{path} 中已导入的问卷回答（survey_responses 表）；"
                     "RFM 客户群取自第 {sid} 号快照。"),
    "voice_nps": ("NPS", "净推荐值（NPS）"),
    "voice_nps_how": ("{level} interval {lower} to {upper}; {n} answers",
                      "{level} 置信区间 {lower} 至 {upper}；{n} 份回答"),
    "voice_promoters": ("Promoters (9-10)", "推荐者（9-10 分）"),
    "voice_detractors": ("Detractors (0-6)", "贬损者（0-6 分）"),
    "voice_index_of": ("{construct} index", "{construct}指数"),
    "voice_index_how": ("0-100; 95% interval {lower} to {upper}",
                        "0-100；95% 置信区间 {lower} 至 {upper}"),
    "voice_trend_title": ("NPS by quarter, with its 95% band", "各季度 NPS 及其 95% 置信带"),
    "voice_band": ("95% interval", "95% 置信区间"),
    "voice_change": ("From {before} to {last} the NPS changed by {change} points (95% interval "
                     "{lower} to {upper}).",
                     "从 {before} 到 {last}，NPS 变化 {change} 分"
                     "（95% 置信区间 {lower} 至 {upper}）。"),
    "voice_segments_caption": ("NPS by RFM segment of snapshot {sid}, respondents joined on the "
                               "customer id ({unlinked} answers link to no customer)",
                               "第 {sid} 号快照各 RFM 客户群的 NPS，按客户编号关联受访者"
                               "（{unlinked} 份回答无法关联）"),
    "voice_scores_caption": ("CSAT (share answering 9-10) and mean answer of each question",
                             "各题的 CSAT（9-10 分占比）与平均分"),
    "voice_index_title": ("Satisfaction index of each construct (0-100), with 95% intervals",
                          "各构念满意度指数（0-100）及 95% 置信区间"),
    "voice_paths_caption": ("Path coefficients with 95% bootstrap intervals ({n} respondents)",
                            "路径系数及 95% 自助法置信区间（{n} 位受访者）"),
    "voice_ipma_title": ("What drives satisfaction: importance against performance",
                         "满意度的驱动因素：重要性与绩效"),
    "voice_ipma_caption": ("Importance-performance map of Satisfaction",
                           "顾客满意的重要性-绩效矩阵"),
    "voice_drivers_caption": ("Key drivers of NPS: share of R² = {r2} ({n} respondents)",
                              "NPS 的关键驱动因素：R² = {r2} 的分解（{n} 位受访者）"),
    "voice_unavailable": ("Not shown: {message}", "未显示：{message}"),
    "voice_importance": ("Importance", "重要性"),
    "voice_performance": ("Performance (0-100)", "绩效（0-100）"),
    # table headers
    "voice_h_group": ("segment", "客户群"),
    "voice_h_question": ("question", "题目"),
    "voice_h_answers": ("answers", "回答数"),
    "voice_h_interval": ("95% interval", "95% 置信区间"),
    "voice_h_csat": ("CSAT %", "CSAT %"),
    "voice_h_mean": ("mean (1-10)", "平均分（1-10）"),
    "voice_h_mean_100": ("mean on 0-100", "百分制平均分"),
    "voice_h_path": ("path", "路径"),
    "voice_h_coefficient": ("coefficient", "系数"),
    "voice_h_construct": ("construct", "构念"),
    "voice_h_importance": ("importance", "重要性"),
    "voice_h_total_effect": ("total effect (standardised)", "总效应（标准化）"),
    "voice_h_performance": ("performance (0-100)", "绩效（0-100）"),
    "voice_h_quadrant": ("quadrant", "象限"),
    "voice_h_share": ("share of R² %", "占 R² 比例 %"),
    "voice_h_beta": ("standardised beta", "标准化 β"),
    # quadrants, constructs
    "voice_q_keep up the good work": ("keep up the good work", "继续保持"),
    "voice_q_concentrate here": ("concentrate here", "重点改进"),
    "voice_q_low priority": ("low priority", "次要改进"),
    "voice_q_possible overkill": ("possible overkill", "可能过度投入"),
    # the method note: the dashboard's method texts of the same figures, a paragraph each
    "voice_method": paragraphs(*(VOICE_METHODS[key] for key in REPORT_VOICE_METHOD)),
    **VOICE_CONSTRUCTS,
}
