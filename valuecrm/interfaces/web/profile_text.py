"""The labels of the "Who they are / 客户画像" page: profiles by attribute, acquisition sources,
referral value, and the tests and measures behind them, key -> (English, 简体中文); merged into
:data:`valuecrm.interfaces.web.i18n.TEXT`."""

from __future__ import annotations

PROFILE_TEXT: dict[str, tuple[str, str]] = {
    "profile_none": ("No customer attribute with two values or more is stored: load customers "
                     "with demographic columns "
                     "(age band, income, household ...) and they appear here.",
                     "尚无取值多于一种的客户属性：导入带有人口统计字段（年龄段、收入、家庭等）的客户后"
                     "即可在此查看。"),
    "profile_by": ("Group customers by", "按属性分组"),
    "show": ("Show", "显示"),
    "profile_value": ("Mean spend and CLV by {by}", "各{by}的平均消费与平均 CLV"),
    "profile_mix": ("RFM class mix by {by}", "各{by}的 RFM 八类客户构成"),
    "profile_table": ("Customers and value by {by}", "各{by}的客户数与价值"),
    "profile_left_out": ("{n} customers with a value; {left} without one are left out.",
                         "{n} 位客户有该属性；{left} 位没有，未计入。"),
    "profile_tests": ("Do the groups differ?", "各组之间是否有差异？"),
    "profile_method": (
        "Orders and spend cover the whole order history (purchases; returns subtract from "
        "spend); CLV, P(alive) and RFM classes come from the snapshot. Kruskal-Wallis H test "
        "per measure (mid-ranks, tie-corrected; effect size epsilon squared = H/(n-1)); "
        "chi-square test of independence for the RFM class mix (effect size Cramér's V). "
        "A small p says the groups differ; the effect size says by how much.",
        "购买次数与消费金额覆盖全部订单历史（退货从消费中扣除）；CLV、存活概率与 RFM 八类来自快照。"
        "各指标用 Kruskal-Wallis H 检验（平均秩，含结校正；效应量 ε² = H ÷ (n − 1)）；"
        "RFM 八类构成用卡方独立性检验（效应量 Cramér's V）。"
        "p 值小说明各组有差异，效应量说明差异大小。"),
    "acq_title": ("Where valuable customers come from", "有价值的客户从哪里来（客户的选择与开发）"),
    "acq_by": ("Acquisition source", "获客来源"),
    "acq_signup_channel": ("signup channel", "注册渠道"),
    "acq_first_category": ("first purchase's category", "首单品类"),
    "acq_first_product": ("first purchase's product", "首单商品"),
    "acq_referred": ("referred or not", "是否经推荐"),
    "acq_signup_cohort": ("signup cohort (year)", "注册年份队列"),
    "acq_chart": ("Mean CLV by {by}, with its 95% interval", "各{by}的平均 CLV（含 95% 区间）"),
    "acq_equity_chart": ("Share of customer equity by {by}", "各{by}占客户资产的比例"),
    "acq_table": ("Customers and value by {by}", "各{by}的客户数与价值"),
    "acq_source": ("Source", "来源"),
    "acq_interval": ("95% interval", "95% 区间"),
    "acq_total_clv": ("Total CLV", "CLV 合计"),
    "acq_equity_share": ("Share of equity", "占客户资产"),
    "acq_mean_margin": ("Mean margin to date", "至今平均毛利"),
    "acq_tests": ("Do the sources differ?", "各来源之间是否有差异？"),
    "acq_cohorts": ("By signup cohort", "按注册年份"),
    "acq_cohort": ("Cohort", "队列"),
    "acq_method": (
        "Customers of the snapshot grouped by how they were acquired. Mean CLV with a 95% "
        "t-interval of the mean (the sampling uncertainty of the group mean); share of equity "
        "= the source's total CLV / the sum of CLV (customer equity, Gupta, Lehmann & Stuart "
        "2004); margin to date from order margins, shown only when costs are recorded. "
        "Kruskal-Wallis H test per measure (effect size ε²). A difference says which "
        "customers each source brought, not that the source caused their value.",
        "快照中的客户按获客方式分组。平均 CLV 附均值的 95% t 区间（组均值的抽样不确定性）；"
        "占客户资产 = 该来源的 CLV 合计 ÷ 全部 CLV 之和（客户资产，Gupta, Lehmann & Stuart 2004）；"
        "至今毛利来自订单毛利，仅在记录了成本时显示。各指标用 Kruskal-Wallis H 检验（效应量 ε²）。"
        "差异说明各来源带来了怎样的客户，并不说明来源造成了他们的价值。"),
    "acq_no_margin": ("No cost is recorded, so margin is not shown.",
                      "未记录成本，故不显示毛利。"),
    "ref_title": ("Referral value", "推荐价值"),
    "ref_referrers": ("Referrers", "推荐人"),
    "ref_referrals": ("Referrals", "推荐次数"),
    "ref_converted": ("Joined", "成功加入"),
    "ref_rewards": ("Rewards paid", "已付奖励"),
    "ref_referred_clv": ("CLV of referred customers", "被推荐客户的 CLV"),
    "ref_crv": ("Referral value (sum of CRV)", "推荐价值（CRV 合计）"),
    "ref_equity": ("Customer equity (sum of CLV)", "客户资产（CLV 合计）"),
    "ref_equity_with": ("Equity with referral value (CLV + CRV)",
                        "含推荐价值的客户资产（CLV + CRV）"),
    "ref_share": ("{share} of customer equity is held by customers who came by referral.",
                  "客户资产中有 {share} 来自经推荐加入的客户。"),
    "ref_none": ("No referral is recorded up to {as_of}, so referral value is 0. Load the "
                 "referrals (referrer, referred customer, date, reward) to measure it.",
                 "截至 {as_of} 没有推荐记录，推荐价值为 0。导入推荐记录（推荐人、被推荐客户、日期、"
                 "奖励）后即可计算。"),
    "ref_method": (
        "Customer referral value (CRV; Kumar, Petersen & Leone 2007, 2010): the CLV of the "
        "customers each referrer brought (shared when several named the same customer), net "
        "of the rewards paid; every referred customer is credited to the referral (an upper "
        "bound: 'valuecrm referrals --joined-anyway' discounts those who would have joined "
        "anyway). Customer equity stays the sum of CLV; equity with referral value counts "
        "each referred customer twice (their own CLV and their referrer's CRV), so it is "
        "shown beside equity, never instead of it.",
        "客户推荐价值（CRV；Kumar, Petersen & Leone 2007, 2010）：每位推荐人带来的客户的 CLV"
        "（多人推荐同一客户时平分），减去已付奖励；所有被推荐客户都计入推荐（为上限；"
        "命令行可设定本来也会加入的客户比例并予扣除）。客户资产仍为 CLV 之和；"
        "含推荐价值的客户资产把每位被推荐客户计算了两次（其本人的 CLV 与推荐人的 CRV），"
        "因此与客户资产并列显示，而不取代它。"),
    "referral_value": ("Referral value (CRV)", "推荐价值（CRV）"),
    "clv_plus_crv": ("CLV + CRV", "CLV + CRV"),
    "attributes": ("Attributes", "客户属性"),
    "where_filter": ("Attribute (e.g. age=45-54)", "属性（属性名=取值）"),
    "measure": ("Measure", "指标"),
    "test_method": ("Test", "检验方法"),
    "statistic": ("Statistic", "统计量"),
    "effect_size": ("Effect size", "效应量"),
    "method_kw": ("Kruskal-Wallis H", "Kruskal-Wallis H 检验"),
    "method_chi2": ("Chi-square test of independence", "卡方独立性检验"),
    "epsilon2": ("epsilon²", "ε²"),
    "cramers_v": ("Cramér's V", "Cramér's V"),
    "measure_orders": ("Orders", "购买次数"),
    "measure_spend": ("Spend", "消费金额"),
    "measure_clv": ("CLV", "CLV"),
    "measure_p_alive": ("P(alive)", "存活概率"),
    "measure_margin": ("Margin to date", "至今毛利"),
    "measure_rfm_class": ("RFM class mix", "RFM 八类构成"),
    "mean_orders": ("Mean orders", "平均购买次数"),
    "median_orders": ("Median orders", "购买次数中位数"),
    "mean_spend": ("Mean spend", "平均消费"),
    "median_spend": ("Median spend", "消费中位数"),
    "median_clv": ("Median CLV", "CLV 中位数"),
    "median_p_alive": ("Median P(alive)", "存活概率中位数"),
    "attr_age": ("age", "年龄段"),
    "attr_income_band": ("income band", "收入段"),
    "attr_home_ownership": ("home ownership", "住房情况"),
    "attr_marital_status": ("marital status", "婚姻状况"),
    "attr_household_size": ("household size", "家庭人数"),
    "attr_household_comp": ("household composition", "家庭构成"),
    "attr_kids_count": ("number of children", "子女数"),
    "attr_gender": ("gender", "性别"),
    "attr_region": ("region", "地区"),
    "attr_city": ("city", "城市"),
    "attr_signup_channel": ("signup channel", "注册渠道"),
    "attr_birth_year": ("year of birth", "出生年份"),
}
