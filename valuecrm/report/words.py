"""The report's words in English and 简体中文: headings, labels, method notes, table headers.

:class:`ReportWords` binds :data:`TEXT` to one language (:class:`valuecrm.i18n.Words`: label
names, number and date formats shared with the dashboard). Table headers are translated by
column name (:data:`COLUMNS_ZH`); values that the analysis writes in English (reasons,
suggested actions) by :data:`VALUES_ZH`, falling back to the value as stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from valuecrm.actions.reasons_zh import values_zh
from valuecrm.i18n import Words
from valuecrm.report.service_words import SERVICE_WORDS
from valuecrm.report.voice_value_words import VOICE_VALUE_WORDS
from valuecrm.report.voice_words import VOICE_WORDS

# key -> (English, 简体中文)
TEXT: dict[str, tuple[str, str]] = {
    # the page
    "title": ("valuecrm report: customer value", "valuecrm 报告：客户价值"),
    "subtitle": ("Snapshot {sid} of the customer value table, as of {as_of} ({n} customers)",
                 "客户价值表第 {sid} 号快照，截至 {as_of}（{n} 位客户）"),
    "default_source": ("The orders and customers tables of {path}; snapshot {sid} of the "
                       "customer value table.",
                       "{path} 的订单表与客户表；客户价值表第 {sid} 号快照。"),
    "the_database": ("the database", "数据库"),
    "method": ("Method:", "方法："),
    "source": ("Source:", "来源："),
    "footer": ("generated {when} · every figure is computed from the data shown, by the method "
               "named beside it.", "生成于 {when} · 每个数字都由所示数据按旁注的方法计算。"),
    "first_rows": ("First {shown} of {total} rows.", "前 {shown} 行，共 {total} 行。"),
    # customer base
    "base_title": ("Customer base", "客户基础"),
    "base_intro": ("What the database holds up to {as_of}: customers, orders, revenue over "
                   "time, and how many customers are still active.",
                   "截至 {as_of} 数据库中的内容：客户、订单、各期收入，以及仍然活跃的客户数。"),
    "base_method": ("Counts and sums over the orders table up to the as-of date; status and "
                    "CLV from the customer value table of the snapshot (valuecrm.analyze).",
                    "对截至日期前的订单表计数与求和；客户状态与 CLV 取自该快照的客户价值表"
                    "（valuecrm.analyze）。"),
    "customers": ("customers", "客户数"),
    "customers_how": ("who bought up to the as-of date", "截至日期前购买过的客户"),
    "active_customers": ("active customers", "活跃客户数"),
    "active_how": ("status new, active or at risk (not lapsed or lost)",
                   "状态为新客户、活跃客户或有流失风险（未沉默、未流失）"),
    "orders": ("orders", "订单数"),
    "revenue": ("revenue", "收入"),
    "revenue_how": ("sum of the customers' revenue up to the as-of date, net of returns",
                    "截至日期前客户收入合计（扣除退货）"),
    "period": ("period", "期间"),
    "period_value": ("{first} to {last}", "{first} 至 {last}"),
    "equity": ("customer equity", "客户资产"),
    "equity_how": ("sum of the current customers' CLV", "现有客户 CLV 之和"),
    "equity_with_referrals": ("customer equity with referral value", "含推荐价值的客户资产"),
    "equity_with_referrals_how": (
        "sum of CLV + CRV (referral value {crv}; Kumar, Petersen & Leone 2010): counts each "
        "referred customer twice, so it stands beside customer equity",
        "CLV + CRV 之和（推荐价值 {crv}；Kumar, Petersen & Leone 2010）：被推荐客户计算了两次，"
        "故与客户资产并列"),
    "orders_per_month": ("Orders per month", "每月订单数"),
    "status_title": ("Customer status", "客户状态"),
    # RFM
    "rfm_title": ("RFM segments", "RFM 分群"),
    "rfm_intro": ("Recency, frequency and monetary value scored 1-5 in quintiles (5 = best "
                  "20%); customers grouped into the 11 named segments by R and F.",
                  "最近购买（R）、购买频率（F）和消费金额（M）按五分位打 1-5 分（5 = 最好的 "
                  "20%）；再按 R 与 F 将客户归入 11 个命名分群。"),
    "rfm_method": ("score = 1 + floor(5 (rank_min - 1) / N), ranks from worst to best, ties "
                   "sharing the lower score; segments by the standard R x F rule table.",
                   "得分 = 1 + floor(5 (rank_min - 1) / N)，从差到好排名，并列者取较低得分；"
                   "分群依据标准的 R × F 规则表。"),
    "rf_title": ("Customers by recency (R) and frequency (F) score",
                 "按最近购买（R）与频率（F）得分的客户数"),
    "segments_caption": ("Segments, largest first", "各分群（按人数从多到少）"),
    # CLV
    "clv_title": ("Customer lifetime value", "客户终身价值（CLV）"),
    "clv_intro": ("Expected value of each customer over the next {horizon} months, discounted "
                  "at {rate} a year.", "每位客户未来 {horizon} 个月的期望价值，按年 {rate} 贴现。"),
    "clv_method": ("CLV = {definition} ({model} purchases, Gamma-Gamma spend per purchase). "
                   "Interval: {interval}. Customer equity = the sum over current customers.",
                   "CLV = 毛利率 × 每次购买的期望消费 × 预测期内贴现后的期望购买次数"
                   "（购买次数：{model}；每次消费：Gamma-Gamma）。区间：{interval}。"
                   "客户资产 = 现有客户 CLV 之和。"),
    "clv_interval_zh": ("", "德尔塔法（CLV 与期望购买次数在对数尺度上，"
                            "P(alive) 在对数几率尺度上），{level} 区间"),
    "no_clv": ("No CLV: no purchase model could be fitted for this snapshot.",
               "没有 CLV：该快照无法拟合购买模型。"),
    "equity_current": ("customer equity (current customers)", "客户资产（现有客户）"),
    "sum_of_clvs": ("sum of {n} CLVs", "{n} 个 CLV 之和"),
    "mean_clv": ("mean CLV", "平均 CLV"),
    "median_clv": ("median CLV", "CLV 中位数"),
    "top_share": ("share of value in the top 20%", "前 20% 客户的价值占比"),
    "clv_distribution": ("CLV distribution (clipped at the 99th percentile)",
                         "CLV 分布（在第 99 百分位截断）"),
    "top_caption": ("The 15 most valuable customers", "价值最高的 15 位客户"),
    "clv_interval_column": ("CLV {level} interval", "CLV {level} 区间"),
    "p_alive_interval_column": ("P(alive) {level} interval", "P(alive) {level} 区间"),
    "expected_interval_column": ("expected purchases {level} interval",
                                 "期望购买次数 {level} 区间"),
    "interval_value": ("{low} to {high}", "{low} 至 {high}"),
    # cross-sell
    "cross_sell_title": ("Cross-sell: how broadly customers buy, and what goes together",
                         "交叉销售：客户购买的广度，以及哪些商品一起购买"),
    "cross_sell_intro": (
        "More and deeper (多、深): how many of the catalogue's categories customers buy, by "
        "segment, and which categories are bought in the same basket. 'valuecrm cross-sell "
        "--out FILE' and 'valuecrm up-sell --out FILE' export, per customer, the next best "
        "product and an up-sell offer as a campaign list.",
        "多、深：各细分客户购买了目录中多少个品类，以及哪些品类会出现在同一个购物篮中。命令 "
        "valuecrm cross-sell --out FILE 与 valuecrm up-sell --out FILE 可按客户导出下一个最佳"
        "商品和追加销售推荐，作为活动名单。"),
    "cross_sell_method": (
        "Cross-buying: distinct products.category on a customer's purchase orders up to the "
        "as-of day (Verhoef & Donkers 2005); main-category share: the customer's spend in "
        "their largest category / their spend here (a share of wallet would need their spend "
        "at other firms). Rules: association rules (Agrawal, Imielinski & Swami 1993) from "
        "frequent itemsets counted in the database (Apriori), every purchase order a basket, "
        "guest checkouts included, one-to-one at the category level, support at least "
        "{support}; lift = confidence / the right side's support.",
        "交叉购买：截至分析日客户购买订单中不同的 products.category 个数（Verhoef & Donkers "
        "2005）；主品类消费占比：客户在最大品类的消费 / 其在本店的全部消费（钱包份额还需要其在其他"
        "商家的消费）。规则：在数据库中统计频繁项集（Apriori）后生成的关联规则（Agrawal, "
        "Imielinski & Swami 1993），每张购买订单为一个购物篮（含游客订单），品类层级一对一，支持度"
        "不低于 {support}；提升度 = 置信度 / 右边的支持度。"),
    "cross_sell_categories": ("Categories bought per customer", "人均购买品类数"),
    "cross_sell_multi": ("Bought two categories or more", "购买两个及以上品类"),
    "cross_sell_main": ("Share of spend in the main category", "主品类消费占比"),
    "cross_sell_categories_how": ("distinct categories on a customer's purchase orders",
                                  "客户购买订单中不同品类的个数"),
    "cross_sell_multi_how": ("share of customers with two categories or more",
                             "购买两个及以上品类的客户占比"),
    "cross_sell_main_how": ("spend in the largest category / spend here, mean over customers",
                            "最大品类消费 / 本店全部消费，按客户平均"),
    "cross_sell_by_segment": ("Cross-buying by RFM segment", "各 RFM 细分的交叉购买"),
    "cross_sell_chart": ("Category rules by lift", "品类关联规则（按提升度）"),
    "cross_sell_rules": ("{rules} category rules from {baskets} baskets, the first by lift",
                         "从 {baskets} 个购物篮得到 {rules} 条品类规则，按提升度排列"),
    "cross_sell_no_rules": ("No pair of categories is in 1% of the {n} baskets.",
                            "{n} 个购物篮中，没有任何两个品类同时出现在 1% 的购物篮中。"),
    # who they are
    "acq_title": ("Where valuable customers come from", "有价值的客户从哪里来"),
    "acq_intro": ("Which acquisition sources (客户的选择与开发) bring valuable customers, and what "
                  "referrals add. 'valuecrm acquisition --by ...' shows the other sources "
                  "(first category or product, referred or not, signup cohort); 'valuecrm "
                  "referrals' lists the referrers.",
                  "哪些获客来源带来了有价值的客户，以及推荐带来了多少价值。命令 valuecrm "
                  "acquisition --by ... 可查看其他来源（首单品类或商品、是否经推荐、注册年份），"
                  "valuecrm referrals 列出推荐人。"),
    "acq_method": (
        "valuecrm.acquisition: the snapshot's customers grouped by source; mean CLV with a 95% "
        "t-interval of the mean; share of equity = the source's total CLV / the sum of CLV "
        "(Gupta, Lehmann & Stuart 2004); Kruskal-Wallis H test per measure (effect size "
        "epsilon squared). A difference says which customers a source brought, not that it "
        "caused their value. Referral value: valuecrm.referral_value (CRV; Kumar, Petersen & "
        "Leone 2007, 2010): the CLV of the customers each referrer brought, net of rewards, "
        "every referred customer credited to the referral (an upper bound).",
        "valuecrm.acquisition：快照中的客户按来源分组；平均 CLV 附均值的 95% t 区间；占客户资产 = "
        "该来源 CLV 合计 ÷ 全部 CLV 之和（Gupta, Lehmann & Stuart 2004）；各指标用 Kruskal-Wallis "
        "H 检验（效应量 ε²）。差异说明来源带来了怎样的客户，并不说明来源造成了其价值。"
        "推荐价值：valuecrm.referral_value（CRV；Kumar, Petersen & Leone 2007, 2010）：每位推荐人"
        "带来的客户的 CLV 减去奖励，所有被推荐客户都计入推荐（为上限）。"),
    "acq_by_signup_channel": ("signup channel", "注册渠道"),
    "acq_by_first_category": ("first purchase's category", "首单品类"),
    "acq_by_referred": ("referred or not", "是否经推荐"),
    "acq_chart": ("Mean CLV by {by}, with its 95% interval", "各{by}的平均 CLV（含 95% 区间）"),
    "acq_caption": ("Customers and value by {by}", "各{by}的客户数与价值"),
    "acq_source": ("{by}", "{by}"),
    "acq_customers": ("customers", "客户数"),
    "acq_share": ("share", "占比"),
    "acq_interval": ("95% interval", "95% 区间"),
    "acq_total_clv": ("total CLV", "CLV 合计"),
    "acq_equity_share": ("share of equity", "占客户资产"),
    "acq_p_alive": ("mean P(alive)", "平均存活概率"),
    "acq_margin": ("mean margin to date", "至今平均毛利"),
    "acq_measure_clv": ("CLV", "CLV"),
    "acq_measure_p_alive": ("P(alive)", "存活概率"),
    "acq_measure_margin": ("margin to date", "至今毛利"),
    "ref_referrals": ("referrals / joined", "推荐次数 / 成功加入"),
    "ref_rewards": ("rewards paid", "已付奖励"),
    "ref_referred_clv": ("CLV of referred customers", "被推荐客户的 CLV"),
    "ref_share": ("{share} of customer equity", "占客户资产 {share}"),
    "ref_crv": ("referral value (sum of CRV)", "推荐价值（CRV 合计）"),
    "ref_crv_how": ("CLV of the customers each referrer brought, net of rewards",
                    "每位推荐人带来的客户的 CLV 减去奖励"),
    "ref_twice": ("sum of CLV + CRV: counts each referred customer twice, so it stands beside "
                  "customer equity, never instead of it",
                  "CLV + CRV 之和：被推荐客户计算了两次，故与客户资产并列而不取代它"),
    "ref_none": ("No referral is recorded up to {as_of}, so referral value is 0.",
                 "截至 {as_of} 没有推荐记录，推荐价值为 0。"),
    "profile_title": ("Who they are", "客户画像"),
    "profile_intro": ("The customers by {by}: how many, how often and how much they buy, what "
                      "they are worth and their RFM classes ({n} customers with a value, {left} "
                      "without). 'valuecrm profile --by ...' profiles by any other attribute.",
                      "按{by}分组的客户：人数、购买频率与金额、价值及 RFM 八类构成（{n} 位客户有该"
                      "属性，{left} 位没有）。命令 valuecrm profile --by ... 可按其他属性分组。"),
    "profile_method": (
        "valuecrm.profile: orders and spend over the whole order history (returns subtract "
        "from spend), CLV and P(alive) from the snapshot; Kruskal-Wallis H test per measure "
        "(effect size epsilon squared = H/(n-1)), chi-square test of independence for the RFM "
        "class mix (effect size Cramér's V).",
        "valuecrm.profile：购买次数与消费覆盖全部订单历史（退货从消费中扣除），CLV 与存活概率"
        "取自快照；各指标用 Kruskal-Wallis H 检验（效应量 ε² = H ÷ (n − 1)），RFM 八类构成用卡方"
        "独立性检验（效应量 Cramér's V）。"),
    "profile_chart": ("Mean spend and CLV by {by}", "各{by}的平均消费与平均 CLV"),
    "profile_caption": ("Customers and value by {by}", "各{by}的客户数与价值"),
    "profile_test": ("{measure}: {method} = {statistic} (df {df}), p = {p}; {effect} = {size}.",
                     "{measure}：{method} = {statistic}（自由度 {df}），p = {p}；"
                     "{effect} = {size}。"),
    "profile_kw": ("Kruskal-Wallis H", "Kruskal-Wallis H"),
    "profile_chi2": ("chi-square", "卡方"),
    "profile_measure_orders": ("Orders", "购买次数"),
    "profile_measure_spend": ("Spend", "消费金额"),
    "profile_measure_clv": ("CLV", "CLV"),
    "profile_measure_p_alive": ("P(alive)", "存活概率"),
    "profile_measure_rfm_class": ("RFM class mix", "RFM 八类构成"),
    "profile_mean_spend": ("mean spend", "平均消费"),
    "profile_mean_clv": ("mean CLV", "平均 CLV"),
    "profile_attr_age": ("age", "年龄段"),
    "profile_attr_income_band": ("income band", "收入段"),
    "profile_attr_gender": ("gender", "性别"),
    "profile_attr_region": ("region", "地区"),
    "profile_attr_signup_channel": ("signup channel", "注册渠道"),
    # groups
    "groups_title": ("Customer value table: status, lifecycle, value matrix, pyramid",
                     "客户价值表：状态、生命周期、价值矩阵、金字塔"),
    "groups_intro": ("Snapshot {sid} as of {as_of}: every customer's status, lifecycle stage "
                     "(考察期 / 形成期 / 稳定期 / 退化期), value-matrix quadrant and strategy, and "
                     "pyramid tier (客户金字塔). 'valuecrm segments --by ...' prints the same "
                     "tables.", "第 {sid} 号快照（截至 {as_of}）：每位客户的状态、生命周期阶段"
                     "（考察期 / 形成期 / 稳定期 / 退化期）、价值矩阵象限与策略，"
                     "以及客户金字塔层级。"
                     "命令 valuecrm segments --by ... 输出同样的表。"),
    "groups_method": ("valuecrm.analyze: status from P(alive) of the {model} model and the days "
                      "since the last purchase; lifecycle stage from each customer's own recent "
                      "against earlier purchase rate and spend; value matrix = current value x "
                      "growth potential (CLV beyond it + cross-buying headroom), cut at the "
                      "{cut}; tiers by {pyramid}. Margin: {margin}.",
                      "valuecrm.analyze：状态由 {model} 模型的 P(alive) 与距上次购买的天数决定；"
                      "生命周期阶段比较每位客户近期与早期的购买频率和消费；价值矩阵 = 当前价值 × "
                      "增长潜力（超出当前价值的 CLV + 交叉购买空间），以{cut}为界；金字塔层级按"
                      "{pyramid}划分。毛利：{margin}。"),
    "group_status": ("Customer status", "客户状态"),
    "group_stage": ("Lifecycle stages", "生命周期阶段"),
    "group_quadrant": ("Value matrix quadrants", "价值矩阵象限"),
    "group_tier": ("Customer pyramid", "客户金字塔"),
    "group_customers": ("{title}: customers", "{title}：客户数"),
    # actions
    "actions_title": ("Action lists: retention and win-back", "行动名单：保留与赢回"),
    "actions_intro": ("Who to keep and who to win back, with the likely reason and a suggested "
                      "action. Export the full lists, contact details included, with 'valuecrm "
                      "actions retention --out retention.csv' and 'valuecrm actions winback "
                      "--out winback.csv' (CSV or Parquet).",
                      "需要保留和需要赢回的客户，以及可能的原因和建议行动。完整名单（含联系方式）"
                      "可用 valuecrm actions retention --out retention.csv 与 valuecrm actions "
                      "winback --out winback.csv 导出（CSV 或 Parquet）。"),
    "actions_method": ("Retention (valuecrm.retention_list): customers at risk or lapsed whose "
                       "CLV is at least the snapshot's median, ranked by value at risk = CLV x "
                       "(1 - P(alive)). Win-back (valuecrm.winback_list): lost and lapsed "
                       "customers with a positive margin, ranked by historic annual margin x the "
                       "chance of winning them back. Reasons: the last complaint's category, a "
                       "poor service recovery, price sensitivity shown by discounts or price "
                       "offers; without such data, what the orders show (a return, one "
                       "purchase, a category stopped, spend fell, intervals lengthened, "
                       "overdue); each reason's code and rule are in the tables "
                       "(valuecrm.actions.reasons).",
                       "保留名单（valuecrm.retention_list）：CLV 不低于该快照中位数、处于流失风险"
                       "或沉默状态的客户，按风险价值 = CLV × (1 - P(alive)) 排序。赢回名单"
                       "（valuecrm.winback_list）：毛利为正的流失与沉默客户，按历史年毛利 × 赢回"
                       "概率排序。原因：最近一次投诉的类别、服务补救不佳、由折扣或价格优惠体现的"
                       "价格敏感；没有这些数据时，依据订单所示（退货、仅购买一次、停止购买某品类、"
                       "消费下降、购买间隔变长、超出购买周期）；每个原因的代码和规则见表"
                       "（valuecrm.actions.reasons）。"),
    "no_lists": ("No action lists: {message}", "没有行动名单：{message}"),
    "to_retain": ("customers to retain", "需保留的客户"),
    "to_retain_how": ("at risk or lapsed, CLV >= median", "有流失风险或沉默，CLV ≥ 中位数"),
    "value_at_risk": ("value at risk", "风险价值"),
    "value_at_risk_how": ("sum of CLV x (1 - P(alive))", "CLV × (1 - P(alive)) 之和"),
    "no_retention": ("Retention list: no customer qualifies.", "保留名单：没有符合条件的客户。"),
    "retention_by_reason": ("Retention list by likely reason", "保留名单（按可能原因）"),
    "retention_first": ("Retention list: the first {shown} of {total}",
                        "保留名单：前 {shown} 位，共 {total} 位"),
    "to_win_back": ("customers to win back", "需赢回的客户"),
    "to_win_back_how": ("lost or lapsed, positive margin", "流失或沉默，毛利为正"),
    "won_back": ("expected value won back", "预期赢回价值"),
    "won_back_how_revenue": ("sum of annual revenue (no cost data) x chance of winning back",
                             "年收入（无成本数据）× 赢回概率之和"),
    "margin_none": ("no order has a cost or a margin, so current value and margin are revenue "
                    "(no cost data)",
                    "没有订单带成本或毛利，因此当前价值和毛利即为收入（无成本数据）"),
    "won_back_how": ("sum of annual margin x chance of winning back", "年毛利 × 赢回概率之和"),
    "no_winback": ("Win-back list: no customer qualifies.", "赢回名单：没有符合条件的客户。"),
    "chance": ("Chance of winning back: {method}.", "赢回概率：{method}。"),
    "winback_by_reason": ("Win-back list by likely reason", "赢回名单（按可能原因）"),
    "winback_first": ("Win-back list: the first {shown} of {total}",
                      "赢回名单：前 {shown} 位，共 {total} 位"),
    # models
    "models_title": ("Which purchase model to trust", "该信任哪个购买模型"),
    "models_intro": ("Each candidate was fitted on the history up to {end} and asked to "
                     "predict every customer's repeat purchases in the next {weeks} weeks. ",
                     "每个候选模型都用截至 {end} 的历史拟合，再预测每位客户之后 {weeks} 周内的"
                     "重复购买次数。"),
    "chosen": ("Chosen: {model}. {reason}", "选定：{model}。{reason}"),
    "chosen_reason_zh": ("", "共比较了 {n} 个在校准期拟合的模型，按规则选定 {model}，"
                             "起决定作用的是{criterion}。"),
    "criterion_rmse": ("per-customer RMSE", "每客户 RMSE"),
    "criterion_abs_total_error": ("error of the total", "总量误差"),
    "criterion_tracking_error": ("cumulative tracking error", "累计跟踪误差"),
    "criterion_bic": ("BIC", "BIC"),
    "criterion_only_model": ("only model fitted", "唯一拟合成功的模型"),
    "models_method": ("Maximum likelihood on the calibration summary (weeks); holdout errors per "
                      "customer (MAE, RMSE, bias), in total and week by week (tracking error: "
                      "sum of |expected - actual| cumulative purchases / sum of actual). Models "
                      "whose RMSE gap to the lowest is within noise (95% interval of a paired "
                      "bootstrap of the customers reaching 0) tie; ties go to the smaller error "
                      "of the total, then of tracking (compared the same way), then the lowest "
                      "BIC (the validation design of Fader, Hardie & Lee 2005; bootstrap: Efron "
                      "& Tibshirani 1993).",
                      "在校准期汇总数据（以周计）上做最大似然估计；计算每位客户的留存期误差"
                      "（MAE、RMSE、偏差）、总误差与逐周累计跟踪误差（|期望 - 实际| 累计购买之和 / "
                      "实际累计购买之和）。与最低 RMSE 之差在噪声范围内（对客户配对自助抽样，"
                      "差值的 95% 区间包含 0）的模型视为并列；并列时依次比较总量误差、"
                      "跟踪误差（同样检验），最后取 BIC 最低者（Fader、Hardie 与 Lee 2005 的"
                      "验证设计；自助法：Efron 与 Tibshirani 1993）。"),
    "holdout_caption": ("Holdout accuracy, in the order of the choice rule (the chosen first)",
                        "留存期准确度（按选择规则排序，选定的在前）"),
    "holdout_tracking_title": ("Holdout period: cumulative repeat purchases, actual and "
                               "expected by each model compared",
                               "留存期：累计重复购买，实际与各候选模型的期望"),
    "holdout_tracking_note": ("Week by week over the holdout, for the {n} customers the models "
                              "were compared on (each model fitted on their calibration "
                              "period): the figures of valuecrm.evaluate_holdout.",
                              "留存期内逐周比较，对象为用于模型比较的 {n} 位客户（各模型在其校准期"
                              "拟合）：与 valuecrm.evaluate_holdout 的结果一致。"),
    "weeks_after": ("weeks after {end}", "{end} 之后的周数"),
    "predicted": ("predicted", "预测"),
    "actual": ("actual", "实际"),
    "holdout_bars": ("Repeat purchases in the holdout period: predicted and actual",
                     "留存期内的重复购买：预测与实际"),
    "repeat_purchases": ("repeat purchases", "重复购买次数"),
    "tracking_note": ("Cumulative tracking: {model} refitted on the {n} customers who bought by "
                      "{end}; expected cumulative repeat purchases (the sum over first-purchase "
                      "days of the expected purchases of a new customer) against the actual "
                      "ones, week by week, through the calibration period and the holdout "
                      "(Fader, Hardie & Lee 2005, fig. 2).",
                      "累计跟踪：用截至 {end} 购买过的 {n} 位客户重新拟合 {model}；逐周比较期望"
                      "累计重复购买（按首次购买日对新客户期望购买次数求和）与实际累计重复购买，"
                      "覆盖校准期与留存期（Fader、Hardie 与 Lee 2005，图 2）。"),
    "expected_model": ("expected ({model})", "期望（{model}）"),
    "tracking_title": ("Cumulative repeat purchases: actual and expected",
                       "累计重复购买：实际与期望"),
    "cumulative": ("cumulative repeat purchases", "累计重复购买次数"),
    "holdout_from": ("holdout from {end}", "留存期自 {end} 起"),
    # parameters
    "parameters_title": ("Model parameters", "模型参数"),
    "parameters_intro": ("Parameters refitted on every customer's history up to {as_of}, time "
                         "in weeks.", "用截至 {as_of} 的全部客户历史重新拟合的参数，时间以周计。"),
    "parameters_method": ("Maximum likelihood; standard errors from the inverse Hessian; 95% "
                          "profile-likelihood intervals: the values the likelihood-ratio test "
                          "does not reject (deviance <= 3.84; Venzon & Moolgavkar 1988); "
                          "inf where the data do not bound a parameter.",
                          "最大似然估计；标准误来自 Hessian 矩阵的逆；95% 剖面似然区间："
                          "似然比检验不拒绝的参数取值（偏差 ≤ 3.84；Venzon & Moolgavkar "
                          "1988）；数据无法界定时为 inf。"),
    "parameters_method_wald": ("Maximum likelihood; standard errors from the inverse Hessian; "
                               "95% intervals exp(log estimate +/- 1.96 SE / estimate) (the "
                               "snapshot was saved before profile-likelihood intervals).",
                               "最大似然估计；标准误来自 Hessian 矩阵的逆；95% 区间为 "
                               "exp(log 估计值 ± 1.96 SE / 估计值)"
                               "（快照保存于剖面似然区间之前）。"),
    "estimates": ("Estimates", "估计值"),
    "no_model": ("No model was fitted for this snapshot.", "该快照没有拟合模型。"),
    "model_none": ("none", "无"),
    # loyalty programme
    "loyalty_title": ("Loyalty programme", "会员忠诚计划"),
    "loyalty_intro": ("As of {as_of}: {members} members hold {points} points; at {value} a "
                      "point the points liability is {liability}.",
                      "截至 {as_of}：{members} 位会员持有 {points} 积分；每分价值 {value}，"
                      "积分负债为 {liability}。"),
    "loyalty_method": ("From the loyalty ledger (earn, redeem, expire, adjust) and the "
                       "programme's rules (docs/loyalty.md). Liability = points outstanding x "
                       "value per point. Points are used first-in-first-out; per year of issue, "
                       "redemption rate = redeemed / issued and breakage = expired / issued; "
                       "breakage of settled points = expired / (redeemed + expired).",
                       "数据来自积分流水（获得、兑换、过期、调整）与计划规则（docs/loyalty.md）。"
                       "积分负债 = 未使用积分 × 每分价值。积分按先进先出使用；按发放年份，"
                       "兑换率 = 已兑换 / 已发放，失效率 = 已过期 / 已发放；已结算积分的失效率 "
                       "= 已过期 /（已兑换 + 已过期）。"),
    "loyalty_cohorts": ("Redemption and breakage by year of issue", "按发放年份的兑换率与失效率"),
    "loyalty_rates": ("{closed} closed cohorts. To date {redeemed} of the points issued were "
                      "redeemed and {expired} expired; of the settled points, {settled} expired.",
                      "已结清年份 {closed} 个。截至目前，已发放积分中 {redeemed} 已兑换、"
                      "{expired} 已过期；已结算积分中 {settled} 过期。"),
    "loyalty_tiers": ("Members by tier ({basis})", "各等级会员数（{basis}）"),
    "loyalty_basis_points": ("on points earned", "按获得积分"),
    "loyalty_basis_spend": ("on net spend", "按净消费"),
    "loyalty_moves": ("Tier moves from {start} to {end}: {up} up, {down} down, {joined} "
                      "joined.", "{start} 至 {end} 的等级迁移：升级 {up}，降级 {down}，"
                      "新入会 {joined}。"),
    "loyalty_value": ("Members against non-members", "会员与非会员对比"),
    "loyalty_members": ("members", "会员"),
    "loyalty_non_members": ("non-members", "非会员"),
    "loyalty_selection": ("Selection, not effect: customers chose to join, so this difference "
                          "is not what the programme did; measuring that needs a campaign with "
                          "a control group.",
                          "这是自选择差异，不是计划效果：客户自愿入会，此差异不等于会员计划的"
                          "作用；要衡量效果，需要设有对照组的营销活动。"),
}

# column name -> 简体中文 header
TEXT.update(VOICE_WORDS)  # the voice of the customer section
TEXT.update(VOICE_VALUE_WORDS)  # its perceived value and satisfaction x loyalty parts

COLUMNS_ZH: dict[str, str] = {
    "mean_orders": "平均购买次数", "median_orders": "购买次数中位数", "mean_spend": "平均消费",
    "median_spend": "消费中位数", "mean_clv": "平均 CLV", "median_clv": "CLV 中位数",
    "mean_p_alive": "平均存活概率", "median_p_alive": "存活概率中位数",
    "segment": "分群", "customers": "客户数", "share": "占比", "revenue": "收入",
    "mean P(alive)": "平均 P(alive)", "suggested action": "建议行动", "customer": "客户",
    "purchases": "购买次数", "days since last": "距上次购买天数", "expected purchases":
    "期望购买次数", "group": "组别", "current value": "当前价值", "CLV share": "CLV 占比",
    "rank": "排名", "model": "模型", "mae": "MAE", "rmse": "RMSE", "bias": "偏差",
    "predicted_total": "预测合计", "actual_total": "实际合计", "log_likelihood": "对数似然",
    "bic": "BIC", "parameter": "参数", "estimate": "估计值", "lower 95%": "95% 下限",
    "upper 95%": "95% 上限", "log-likelihood": "对数似然", "status": "状态", "reason": "原因",
    "action": "建议行动", "annual margin": "年毛利", "chance": "赢回概率",
    "code": "代码", "rule": "规则", "categories bought": "购买品类数",
    "2+ categories": "两个及以上品类", "main-category share": "主品类消费占比",
    "if bought": "若购买", "then also": "则也购买", "support": "支持度",
    "confidence": "置信度", "lift": "提升度", "baskets": "购物篮数",
    "rmse_gap": "与最低 RMSE 之差", "rmse_gap_lower": "差值 95% 下限",
    "rmse_gap_upper": "差值 95% 上限", "total_error": "总量误差",
    "tracking_error": "累计跟踪误差",
    "annual revenue (no cost data)": "年收入（无成本数据）",
    "current value (revenue, no cost data)": "当前价值（收入，无成本数据）",
    "expected value": "期望价值", "value at risk": "风险价值",
    "expected value won back": "预期赢回价值",
    "year issued": "发放年份", "issued": "发放积分", "redeemed": "兑换率", "expired": "失效率",
    "outstanding": "未使用", "tier": "等级", "members": "会员数",
}

# values the analysis writes in English -> 简体中文
VALUES_ZH: dict[str, str] = {
    "unknown": "未知", "service failure": "服务失误", "price sensitivity": "价格敏感",
    "median": "中位数", "mean": "均值", "current_value": "当前价值", "current value": "当前价值",
    "clv": "CLV", "order amounts": "订单金额",
    "bronze": "铜卡", "silver": "银卡", "gold": "金卡", "platinum": "白金卡",
    "Close the open service case first, then a goodwill credit with an apology":
        "先处理未结的服务工单，再致歉并给予补偿",
    "Targeted price offer (discount or bundle) on the categories they buy":
        "针对其购买品类的定向价格优惠（折扣或组合）",
    "Reactivation offer: what is new since their last purchase, small incentive":
        "唤醒优惠：介绍上次购买以来的新品，并附小额激励",
    "Reminder with a time-limited incentive to buy again": "发送提醒，附限时回购激励",
    "Personal contact and a loyalty reward before they lapse":
        "在其沉默前进行一对一联系并给予忠诚奖励",
    # acquisition sources
    "(not recorded)": "未记录", "(other)": "其他", "referred": "经推荐", "not referred": "非推荐",
    "web": "网站", "app": "应用", "store": "门店", "referral": "推荐", "social": "社交媒体",
    "phone": "电话",
    **values_zh(),
}
TEXT.update(SERVICE_WORDS)  # complaints, service recovery and the journey
_COMPLAINT = re.compile(r"complaint: (\w+)")
_CATEGORY = re.compile(r"category stopped: (.+)")
_DECAY = re.compile(r"decay: ([\d.]+) x ([\d.]+) \*\* \(days since last purchase / (\d+)\)")
_MARGIN = re.compile(r"amount on ([\d.]+%) of order rows")


@dataclass(frozen=True)
class ReportWords(Words):
    """The report's words and formats of one language (``en`` or ``zh-CN``)."""

    catalogue: ClassVar[dict[str, tuple[str, str]]] = TEXT

    def label(self, value: Any) -> str:
        """A label value (segment, status...): in English as stored, in zh-CN its Chinese name."""
        return super().label(value) if self.zh or value is None else str(value)

    def header(self, column: str) -> str:
        """A table's column header in this language."""
        return COLUMNS_ZH.get(column, column) if self.zh else column

    def value(self, text: str) -> str:
        """A value the analysis wrote in English (a reason, an action, a method) in this
        language, or as it is when it has no translation."""
        if not self.zh or not isinstance(text, str):
            return text
        if text in VALUES_ZH:
            return VALUES_ZH[text]
        for pattern, chinese in (
                (_COMPLAINT, lambda m: f"投诉：{self.enum(m.group(1))}"),
                (_CATEGORY, lambda m: f"停止购买品类：{m.group(1)}"),
                (_DECAY, lambda m: f"衰减：{m.group(1)} × {m.group(2)} ^ "
                                   f"(距上次购买天数 / {m.group(3)})"),
                (_MARGIN, lambda m: f"{m.group(1)} 的订单行取订单金额")):
            found = pattern.fullmatch(text)
            if found:
                return chinese(found)
        return text

    def enum(self, text: str) -> str:
        return {"quality": "质量", "price": "价格", "delivery": "配送", "billing": "账单",
                "staff": "员工", "other": "其他"}.get(text, text)
