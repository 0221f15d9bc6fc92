"""How the voice of the customer's figures are made, in English and 简体中文: one text per
method, shown under its section on the dashboard's "Voice of the customer / 客户之声" page
(:mod:`valuecrm.interfaces.web.voice_text`) and joined into the method note of the report's
section (:mod:`valuecrm.report.voice_words`). Key -> (English, 简体中文); ``{n}`` is the
number of bootstrap resamples, ``{seed}`` their seed."""

from __future__ import annotations

VOICE_METHODS: dict[str, tuple[str, str]] = {
    "voice_nps_method": (
        "NPS = share of promoters (9-10) - share of detractors (0-6), in points from -100 to "
        "100 (Reichheld 2003). Interval: normal (Wald), with the variance of a difference of "
        "two shares of one multinomial sample, (pP + pD - (pP - pD)²) / n; each period or "
        "segment is its own sample.",
        "NPS = 推荐者占比（9-10 分）- 贬损者占比（0-6 分），取值 -100 至 100。"
        "置信区间：正态近似，方差取同一多项样本中两个比例之差的方差，"
        "即（推荐者占比 + 贬损者占比 -（二者之差）²）÷ 回答数；"
        "各时期、各客户群分别作为独立样本。"),
    "voice_scores_method": (
        "CSAT: share answering 9 or 10 (top-2-box), Wilson interval. Mean answer with a t "
        "interval; on 0-100 = (mean - 1) / 9 x 100.",
        "CSAT：回答 9 或 10 分的比例（最高两档），Wilson 区间。平均分及其 t 区间；"
        "百分制 = (平均分 - 1) ÷ 9 × 100。"),
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
    "voice_drivers_method": (
        "Relative importance: the Shapley (LMG) decomposition of R² of the linear regression "
        "of the recommendation (0-10) on the questions (Lindeman, Merenda & Gold 1980; Grömping "
        "2006): each question's average gain in R² over every order of entry; the shares sum "
        "to 100%. Intervals: {n} bootstrap resamples. Performance: mean answer on 0-100; "
        "quadrants split at the questions' means.",
        "相对重要性：推荐意愿（0-10 分）对各题线性回归的 R² 的 Shapley（LMG）分解，"
        "即各题在所有进入顺序下对 R² 的平均贡献，各题占比之和为 100%。区间：{n} 次自助法重抽样。"
        "绩效：百分制平均分；象限按各题均值划分。"),
    "voice_value_method": (
        "Dimension score = mean of its items; weights = least-squares coefficients of the "
        "overall perceived value item on the dimension scores, shares within benefits and "
        "within sacrifices, percentile bootstrap intervals ({n} resamples); value = weighted "
        "benefits / weighted sacrifices (Zeithaml 1988; Sheth, Newman & Gross 1991; Sweeney & "
        "Soutar 2001).",
        "维度得分 = 其题目的均值；权重 = 总体感知价值题对各维度得分的最小二乘回归系数，在利得与利失"
        "内各自归一为份额，区间为百分位自助法（{n} 次重抽样）；价值 = 加权利得 / 加权利失"
        "（Zeithaml 1988；Sheth, Newman & Gross 1991；Sweeney & Soutar 2001）。"),
    "voice_loyalty_method": (
        "Jones & Sasser (1995): apostles are highly satisfied and loyal, mercenaries satisfied "
        "but not loyal, hostages loyal but not satisfied, defectors neither. Each customer's "
        "latest questionnaire answering both questions.",
        "Jones & Sasser（1995）：忠诚者满意且忠诚，唯利是图者满意但不忠诚，被套牢者忠诚但不满意，"
        "背叛者两者皆无。取每位客户最近一份同时回答两题的问卷。"),
}

# the method note of the report's voice section: these, in this order
REPORT_VOICE_METHOD = ("voice_nps_method", "voice_scores_method", "voice_index_model",
                       "voice_index_method", "voice_ipma_method", "voice_drivers_method")

# the constructs of the satisfaction index, as the page and the report name them
VOICE_CONSTRUCTS: dict[str, tuple[str, str]] = {
    "voice_c_Image": ("Image", "企业形象"),
    "voice_c_Expectation": ("Expectation", "顾客期望"),
    "voice_c_Quality": ("Perceived quality", "感知质量"),
    "voice_c_Value": ("Perceived value", "感知价值"),
    "voice_c_Satisfaction": ("Satisfaction", "顾客满意"),
    "voice_c_Loyalty": ("Loyalty", "顾客忠诚"),
}
