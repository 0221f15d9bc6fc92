"""The words of the report's "Voice of the customer / 客户之声" section, key -> (English,
简体中文); merged into :data:`valuecrm.report.words.TEXT`."""

from __future__ import annotations

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
    "voice_method": (
        "NPS = share of promoters (9-10) - share of detractors (0-6) (Reichheld 2003), normal "
        "interval with the multinomial variance (pP + pD - (pP - pD)²) / n. CSAT: share "
        "answering 9-10 on 1-10, Wilson interval. Index: PLS path model (path scheme; Wold, "
        "Lohmöller) with the ECSI structure without Complaints, one question per construct, so "
        "each score is the standardised answer, the paths are standardised regressions, no "
        "measurement error is modelled and each index is the mean answer on 0-100 (ACSI "
        "convention); 95% intervals from {n} bootstrap resamples of respondents (seed {seed}). "
        "IPMA: total effects on the target's 0-100 score against 0-100 performance (Ringle & "
        "Sarstedt 2016), quadrants at the means (Martilla & James 1977). Key drivers: Shapley "
        "(LMG) decomposition of R² of the 0-10 recommendation (Grömping 2006).",
        "NPS = 推荐者占比（9-10 分）- 贬损者占比（0-6 分），正态近似区间，方差为"
        "（推荐者占比 + 贬损者占比 -（二者之差）²）÷ 回答数。"
        "CSAT：1-10 分中回答 9-10 分的比例，Wilson 区间。"
        "指数：PLS 路径模型（路径加权方案），采用去掉“抱怨”构念的 ECSI 结构，"
        "每个构念只由一道题测量，"
        "故其得分即标准化后的回答，路径系数是标准化回归系数，不对测量误差建模，各指数即该题的"
        "百分制平均分（ACSI 惯例）；95% 置信区间来自对受访者的 {n} 次自助法重抽样"
        "（随机种子 {seed}）。"
        "IPMA：各驱动因素对目标百分制得分的总效应与其 0-100 绩效对照，象限按均值划分。"
        "关键驱动因素：0-10 分推荐意愿的 R² 的 Shapley（LMG）分解。"),
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
    "voice_c_Image": ("Image", "企业形象"),
    "voice_c_Expectation": ("Expectation", "顾客期望"),
    "voice_c_Quality": ("Perceived quality", "感知质量"),
    "voice_c_Value": ("Perceived value", "感知价值"),
    "voice_c_Satisfaction": ("Satisfaction", "顾客满意"),
    "voice_c_Loyalty": ("Loyalty", "顾客忠诚"),
}
