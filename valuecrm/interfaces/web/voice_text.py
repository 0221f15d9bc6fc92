"""The labels of the "Voice of the customer / 客户之声" page, key -> (English, 简体中文); merged
into :data:`valuecrm.interfaces.web.i18n.TEXT`. A new section of the page adds its labels
here, under its own prefix (``voice_<section>_``)."""

from __future__ import annotations

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
    "voice_nps_method": (
        "NPS = share of promoters (9-10) - share of detractors (0-6), in points from -100 to "
        "100 (Reichheld 2003). Interval: normal (Wald), with the variance of a difference of "
        "two shares of one multinomial sample, (pP + pD - (pP - pD)²) / n; each period or "
        "segment is its own sample. Source: the stored survey answers.",
        "NPS = 推荐者占比（9-10 分）- 贬损者占比（0-6 分），取值 -100 至 100。"
        "置信区间：正态近似，方差取同一多项样本中两个比例之差的方差，"
        "即（推荐者占比 + 贬损者占比 -（二者之差）²）÷ 回答数；"
        "各时期、各客户群分别作为独立样本。来源：已导入的问卷回答。"),
    "voice_scores": ("Satisfaction scores (1-10)", "满意度评分（1-10 分）"),
    "voice_question": ("Question", "题目"),
    "voice_csat": ("CSAT (9-10)", "CSAT（9-10 分占比）"),
    "voice_mean": ("Mean", "平均分"),
    "voice_mean_100": ("Mean on 0-100", "百分制平均分"),
    "voice_scores_method": (
        "CSAT: share answering 9 or 10 (top-2-box), Wilson interval. Mean answer with a t "
        "interval; on 0-100 = (mean - 1) / 9 x 100.",
        "CSAT：回答 9 或 10 分的比例（最高两档），Wilson 区间。平均分及其 t 区间；"
        "百分制 = (平均分 - 1) ÷ 9 × 100。"),
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
    "voice_index_model": (
        "Model: the ECSI structure without Complaints (no complaint question is asked). "
        "Image drives Expectation, Satisfaction and Loyalty; Expectation drives Quality, Value "
        "and Satisfaction; Quality drives Value and Satisfaction; Value drives Satisfaction; "
        "Satisfaction drives Loyalty. Each construct is measured by one question, so its score "
        "is the standardised answer: the paths are standardised regressions, no measurement "
        "error is modelled, and each index is the mean answer on 0-100.",
        "模型：去掉“抱怨”构念的 ECSI 结构（问卷未问抱怨）。企业形象影响顾客期望、满意度与忠诚度；"
        "顾客期望影响感知质量、感知价值与满意度；感知质量影响感知价值与满意度；感知价值影响满意度；"
        "满意度影响忠诚度。每个构念只由一道题测量，其得分即标准化后的回答：路径系数是标准化回归系数，"
        "不对测量误差建模，各指数即该题的百分制平均分。"),
    "voice_index_method": (
        "PLS path modelling (Wold; Lohmöller), path weighting scheme, standardised answers; "
        "0-100 indices by the ACSI convention (Fornell et al. 1996); intervals: percentiles of "
        "{n} bootstrap resamples of respondents (seed {seed}).",
        "PLS 路径建模，路径加权方案，回答经标准化；0-100 指数按 ACSI 惯例计算；"
        "置信区间：对受访者进行 {n} 次自助法重抽样（随机种子 {seed}）的百分位区间。"),
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
    "voice_ipma_method": (
        "IPMA (Ringle & Sarstedt 2016): importance is the total effect of a driver on the "
        "target's 0-100 score (how many points the target gains when the driver's performance "
        "gains one); performance is the driver's 0-100 index. The lines split at the drivers' "
        "mean importance and mean performance (Martilla & James 1977). Interval: bootstrap "
        "percentiles of the standardised total effect.",
        "IPMA：重要性是驱动因素对目标百分制得分的总效应"
        "（驱动因素绩效每升高 1 分，目标升高的分数）；"
        "绩效是驱动因素的 0-100 指数。分隔线位于各驱动因素重要性与绩效的均值处。"
        "区间：标准化总效应的自助法百分位区间。"),
    # section: drivers
    "voice_drivers": ("Key drivers of NPS", "NPS 的关键驱动因素"),
    "voice_share": ("Share of R²", "占 R² 比例"),
    "voice_beta": ("Standardised β", "标准化 β"),
    "voice_drivers_r2": ("The questions together explain R² = {r2} of the variance of the 0-10 "
                         "recommendation ({n} respondents).",
                         "这些题目共同解释了 0-10 分推荐意愿方差的 R² = {r2}（{n} 位受访者）。"),
    "voice_drivers_method": (
        "Relative importance: the Shapley (LMG) decomposition of R² of the linear regression "
        "of the recommendation (0-10) on the questions (Lindeman, Merenda & Gold 1980; Grömping "
        "2006): each question's average gain in R² over every order of entry; the shares sum "
        "to 100%. Intervals: {n} bootstrap resamples. Performance: mean answer on 0-100; "
        "quadrants split at the questions' means.",
        "相对重要性：推荐意愿（0-10 分）对各题线性回归的 R² 的 Shapley（LMG）分解，"
        "即各题在所有进入顺序下对 R² 的平均贡献，各题占比之和为 100%。区间：{n} 次自助法重抽样。"
        "绩效：百分制平均分；象限按各题均值划分。"),
    # constructs and questions
    "voice_c_Image": ("Image", "企业形象"),
    "voice_c_Expectation": ("Expectation", "顾客期望"),
    "voice_c_Quality": ("Perceived quality", "感知质量"),
    "voice_c_Value": ("Perceived value", "感知价值"),
    "voice_c_Satisfaction": ("Satisfaction", "顾客满意"),
    "voice_c_Loyalty": ("Loyalty", "顾客忠诚"),
}
