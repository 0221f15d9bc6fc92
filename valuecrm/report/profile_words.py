"""The words of the report's "Who they are / 客户画像" section,
key -> (English, 简体中文); merged into :data:`valuecrm.report.words.TEXT`."""

from __future__ import annotations

PROFILE_WORDS: dict[str, tuple[str, str]] = {
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
}
