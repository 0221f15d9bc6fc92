"""The dashboard's two languages: English and 简体中文 (Simplified Chinese).

``TEXT`` holds every label of the pages; :class:`Translator` binds it to one language, with
the label names and number and date formats shared with the report (:mod:`valuecrm.i18n`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from valuecrm.i18n import LABELS_ZH, LANGUAGE_NAMES, LANGUAGES, Words
from valuecrm.interfaces.web.service_text import SERVICE_TEXT
from valuecrm.interfaces.web.voice_survey_text import VOICE_SURVEY_TEXT
from valuecrm.interfaces.web.voice_text import VOICE_TEXT

__all__ = ["ENUMS_ZH", "LABELS_ZH", "LANGUAGES", "LANGUAGE_NAMES", "TEXT", "Translator",
           "pick_language"]

# key -> (English, 简体中文)
TEXT: dict[str, tuple[str, str]] = {
    "app": ("valuecrm dashboard", "valuecrm 客户价值看板"),
    "nav_value": ("Find value", "发现价值"),
    "nav_customers": ("Know customers", "了解客户"),
    "nav_act": ("Act and check", "行动与检查"),
    # a shorter name in the navigation than on the page (navlabel_PAGE)
    "navlabel_voice": ("Customer voice", "客户之声"),
    "overview": ("Overview", "总览"),
    "rfm": ("RFM", "RFM 分析"),
    "value": ("Value", "客户价值"),
    "lifecycle": ("Lifecycle", "生命周期"),
    "models": ("Models", "模型"),
    "customers": ("Customers", "客户"),
    "profile": ("Who they are", "客户画像"),
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
    "sign_in": ("Sign in", "登录"),
    "sign_out": ("Sign out", "退出"),
    "token": ("API token", "API 令牌"),
    "or_password": ("or your user name and password", "或使用用户名与密码"),
    "user_name": ("User name", "用户名"),
    "password": ("Password", "密码"),
    "bad_sign_in": ("Wrong token, user name or password.", "令牌、用户名或密码不正确。"),
    "too_many_sign_ins": ("Too many failed sign-ins: try again in {seconds} seconds.",
                          "登录失败次数过多：请在 {seconds} 秒后重试。"),
    "sign_in_hint": ("An administrator makes a token with this command:",
                     "管理员可用以下命令创建令牌："),
    "signed_in_as": ("Signed in as", "当前用户"),
    "role_viewer": ("viewer", "查看者"),
    "role_analyst": ("analyst", "分析师"),
    "role_admin": ("admin", "管理员"),
    "masked_note": ("Personal data is masked for your role.",
                    "您的角色无法查看个人信息，已脱敏显示。"),
    "no_snapshot": ("There is no analysis yet.", "尚无分析结果。"),
    "no_snapshot_hint": ("Run this command to compute the customer value table, then reload "
                         "this page:", "请先运行以下命令计算客户价值表，然后刷新本页："),
    "error_title": ("Something went wrong", "出错了"),
    "error_title_400": ("The request is not valid", "请求无效"),
    "error_title_401": ("Please sign in", "请先登录"),
    "error_title_403": ("Not allowed for your role", "您的角色无权访问"),
    "error_title_404": ("Not found", "未找到"),
    "error_title_405": ("Not allowed here", "不支持该操作"),
    "error_title_409": ("Not possible right now", "暂时无法完成"),
    "error_title_422": ("This cannot be computed", "无法完成计算"),
    "error_title_500": ("The server failed", "服务器出错"),
    "error_title_503": ("A required tool is missing", "缺少所需的组件"),
    "error_status": ("Status {status}", "状态码 {status}"),
    "error_details": ("Details", "详细信息（英文原文）"),
    "error_what_next": ("What to do next", "下一步"),
    "error_back": ("Back to the overview", "返回总览"),
    "error_no_page": ("There is no such page.", "没有这个页面。"),
    "error_address": ("Address", "网址"),
    "error_no_page_hint": ("Check the address, or choose a page in the menu.",
                           "请检查网址，或从菜单中选择页面。"),
    "error_method": ("This page does not take this kind of request.", "此页面不支持这种请求方式。"),
    "error_invalid": ("The address holds a value this page does not accept.",
                      "网址中有本页不接受的参数值。"),
    "error_invalid_hint": ("Correct or remove it, then load the page again.",
                           "请更正或删除该参数，然后重新打开本页。"),
    "error_bug": ("The server failed unexpectedly; the error has been logged.",
                  "服务器意外出错，错误已记录。"),
    "error_bug_hint": ("This is a bug in valuecrm: please report it with the time of the "
                       "request.", "这是 valuecrm 的缺陷，请连同出错时间一起报告。"),
    "as_of": ("As of", "截至"),
    "snapshot": ("Snapshot", "快照"),
    "n_customers": ("Customers", "客户数"),
    "active_customers": ("Active customers", "活跃客户数"),
    "equity": ("Customer equity (CLV)", "客户资产（CLV 合计）"),
    "mean_clv": ("Mean CLV", "平均 CLV"),
    "revenue": ("Revenue", "收入"),
    "clv_distribution": ("CLV distribution", "CLV 分布"),
    "status_split": ("Customer status", "客户状态"),
    "kpi_trends": ("Trends across snapshots", "各快照趋势"),
    "one_snapshot": ("Trends appear once there are two snapshots or more.",
                     "有两个及以上快照后显示趋势。"),
    "share": ("Share", "占比"),
    "count": ("Count", "人数"),
    "rf_heatmap": ("Recency x frequency: customers and mean spend",
                   "最近购买 × 购买频率：客户数与平均消费"),
    "r_score": ("R score (recency)", "R 分（最近购买）"),
    "f_score": ("F score (frequency)", "F 分（购买频率）"),
    "mean_monetary": ("mean spend", "平均消费"),
    "segment_treemap": ("RFM segments", "RFM 客户分群"),
    "segment_table": ("Segments and what to do", "客户分群与建议行动"),
    "segment": ("Segment", "分群"),
    "description": ("Description", "说明"),
    "action": ("Suggested action", "建议行动"),
    "total_clv": ("Total CLV", "CLV 合计"),
    "mean_p_alive": ("Mean P(alive)", "平均 P(alive)"),
    "rfm_classes": ("The 8 RFM classes", "RFM 八类客户"),
    "value_matrix": ("Value matrix: current value x growth potential",
                     "价值矩阵：当前价值 × 增长潜力"),
    "current_value": ("Current value", "当前价值"),
    "current_value_revenue": ("Current value (revenue, no cost data)",
                              "当前价值（收入，无成本数据）"),
    "growth_potential": ("Growth potential", "增长潜力"),
    "sampled": ("A random sample of {n} customers is drawn.", "图中为随机抽取的 {n} 位客户。"),
    "pyramid": ("Customer pyramid", "客户金字塔"),
    "value_classes": ("MVC, MGC and BZ", "MVC、MGC 与 BZ"),
    "quadrant": ("Quadrant", "象限"),
    "strategy": ("Strategy", "策略"),
    "tier": ("Tier", "层级"),
    "stage_distribution": ("Lifecycle stages", "生命周期阶段分布"),
    "ladder": ("Loyalty ladder", "忠诚度阶梯"),
    "migration": ("Segment migration since the previous snapshot", "与上一快照相比的分群迁移"),
    "migration_none": ("Migration appears once there are two snapshots or more.",
                       "有两个及以上快照后显示分群迁移。"),
    "previous": ("Previous segment", "上一快照分群"),
    "current": ("Current segment", "当前分群"),
    "cohorts": ("Cohort retention", "同期群留存"),
    "cohort": ("First purchase", "首次购买"),
    "period": ("Period", "期数"),
    "retention": ("Retention", "留存率"),
    "chosen_model": ("Model chosen", "选用模型"),
    "parameters": ("Parameters with 95% intervals", "参数及 95% 区间"),
    "parameter": ("Parameter", "参数"),
    "estimate": ("Estimate", "估计值"),
    "std_error": ("Standard error", "标准误"),
    "lower": ("Lower", "下限"),
    "upper": ("Upper", "上限"),
    "interval_note": ("95% profile-likelihood intervals: the values of a parameter that the "
                      "likelihood-ratio test does not reject (deviance ≤ 3.84; Venzon & "
                      "Moolgavkar 1988). They stay inside the parameter's domain; ∞ where the "
                      "data do not bound it. Standard errors from the inverse Hessian.",
                      "95% 剖面似然区间：似然比检验不拒绝的参数取值（偏差 ≤ 3.84；Venzon & "
                      "Moolgavkar 1988），始终在参数的取值范围内；数据无法界定上限时显示 ∞。"
                      "标准误来自黑塞矩阵的逆。"),
    "interval_note_wald": ("95% intervals on the log scale, exp(log θ ± 1.96 × SE / θ): this "
                           "snapshot was saved before profile-likelihood intervals; analyse "
                           "again to get them. SE from the inverse Hessian.",
                           "95% 区间在对数尺度上计算：exp(log θ ± 1.96 × SE / θ)。此快照保存于"
                           "剖面似然区间之前；重新分析即可得到。标准误来自黑塞矩阵的逆。"),
    "log_likelihood": ("Log-likelihood", "对数似然"),
    "fitted_on": ("Customers fitted", "拟合客户数"),
    "ranking": ("Model comparison on the holdout period", "留出期模型比较"),
    "rank": ("Rank", "排名"),
    "model": ("Model", "模型"),
    "predicted_total": ("Predicted purchases", "预测购买次数"),
    "actual_total": ("Actual purchases", "实际购买次数"),
    "total_error": ("Error of the total", "总量误差"),
    "tracking_error": ("Tracking error", "累计跟踪误差"),
    "rmse_gap": ("RMSE gap to the lowest [95% interval]", "与最低 RMSE 之差 [95% 区间]"),
    "chosen": ("chosen", "选用"),
    "choice_title": ("Why this model", "为何选用该模型"),
    "choice_decided": ("{model} was chosen, decided by the {criterion}.",
                       "选用 {model}，起决定作用的是{criterion}。"),
    "choice_rule": ("Rule: models whose per-customer holdout RMSE is within noise of the lowest "
                    "tie (the 95% interval of the gap, from a paired bootstrap of {n} resamples "
                    "of the customers with seed {seed}, reaches 0); ties go to the smaller error "
                    "of the total, then the smaller cumulative tracking error (each compared the "
                    "same way), then the lowest BIC.",
                    "规则：每客户留出期 RMSE 与最低者之差在噪声范围内的模型视为并列"
                    "（对客户做 {n} 次配对自助抽样、随机种子 {seed}，差值的 95% 区间包含 0）；"
                    "并列时依次比较总量误差、累计跟踪误差（同样检验），最后取 BIC 最低者。"),
    "criterion": ("Criterion", "标准"),
    "holdout_week": ("Week of the holdout", "留出期周数"),
    "holdout_tracking_chart": ("Holdout: cumulative repeat purchases of every model compared",
                               "留出期：各候选模型的累计重复购买"),
    "holdout_tracking_note": ("The {n} customers the models were compared on, each model fitted "
                              "on their calibration period (valuecrm.evaluate_holdout).",
                              "用于模型比较的 {n} 位客户，各模型在其校准期拟合。"),
    "criterion_rmse": ("per-customer RMSE", "每客户 RMSE"),
    "criterion_abs_total_error": ("error of the total", "总量误差"),
    "criterion_tracking_error": ("cumulative tracking error", "累计跟踪误差"),
    "criterion_bic": ("BIC", "BIC"),
    "criterion_only_model": ("only model fitted", "唯一拟合成功的模型"),
    "figure": ("Figure", "数值"),
    "gap": ("Gap to the best", "与最优之差"),
    "gap_interval": ("95% interval of the gap", "差值的 95% 区间"),
    "verdict": ("Verdict", "判断"),
    "best_of_step": ("best", "最优"),
    "within_noise": ("within noise: tie", "在噪声范围内：并列"),
    "beyond_noise": ("beyond noise: out", "超出噪声范围：淘汰"),
    "holdout_chart": ("Calibration vs holdout: purchases in the holdout period",
                      "校准期与留出期：留出期购买次数"),
    "holdout_period": ("Calibration ended", "校准期截止"),
    "palive_matrix": ("Mean P(alive) by frequency and recency", "按频率与最近购买的平均 P(alive)"),
    "frequency": ("Repeat purchases", "重复购买次数"),
    "recency_weeks": ("Weeks since the last purchase", "距最近购买的周数"),
    "no_model": ("No purchase model was fitted for this snapshot.", "该快照未拟合购买模型。"),
    "search": ("Search", "搜索"),
    "search_placeholder": ("Customer id, name or e-mail", "客户编号、姓名或邮箱"),
    "search_placeholder_viewer": ("Customer id", "客户编号"),
    "no_results": ("No customer matches.", "没有匹配的客户。"),
    "top_customers": ("Customers with the highest CLV", "CLV 最高的客户"),
    "all_customers": ("All customers, highest CLV first", "全部客户（按 CLV 从高到低）"),
    "all": ("All", "全部"),
    "filter": ("Filter", "筛选"),
    "clear_filters": ("Clear filters", "清除筛选"),
    "showing": ("{first}–{last} of {total}", "第 {first}–{last} 位，共 {total} 位"),
    "pages": ("Pages", "分页"),
    "page_previous": ("Previous", "上一页"),
    "page_next": ("Next", "下一页"),
    "customer": ("Customer", "客户"),
    "customer_id": ("Customer id", "客户编号"),
    "name": ("Name", "姓名"),
    "email": ("E-mail", "邮箱"),
    "phone": ("Phone", "电话"),
    "region": ("Region", "地区"),
    "city": ("City", "城市"),
    "signup": ("Signed up", "注册时间"),
    "basic_info": ("Profile", "基本信息"),
    "orders": ("Orders", "订单"),
    "order_timeline": ("Order timeline", "订单时间线"),
    "amount": ("Amount", "金额"),
    "date": ("Date", "日期"),
    "channel": ("Channel", "渠道"),
    "status": ("Status", "状态"),
    "value_row": ("Value (latest snapshot)", "价值（最新快照）"),
    "p_alive": ("P(alive)", "P(alive)"),
    "expected_purchases": ("Expected purchases", "预计购买次数"),
    "clv": ("CLV", "CLV"),
    "clv_interval": ("CLV interval", "CLV 区间"),
    "interval_range": ("{level} interval {low} to {high}", "{level} 区间 {low} 至 {high}"),
    "interval_method_note": ("Intervals: parameter uncertainty by the delta method, on the logit "
                             "scale for P(alive) and the log scale for expected purchases and "
                             "CLV.", "区间：参数不确定性，德尔塔法；P(alive) 在对数几率尺度上，"
                             "预计购买次数和 CLV 在对数尺度上。"),
    "segment_history": ("Segment history", "分群历史"),
    "complaints": ("Complaints", "投诉"),
    "category": ("Category", "类别"),
    "severity": ("Severity", "严重程度"),
    "surveys": ("Survey answers", "问卷回答"),
    "question": ("Question", "问题"),
    "score": ("Score", "得分"),
    "points": ("Loyalty points", "会员积分"),
    "balance": ("Balance", "余额"),
    "kind": ("Kind", "类型"),
    "none": ("None.", "无。"),
    "not_found": ("There is no such customer.", "没有这位客户。"),
    "back": ("Back to the customers", "返回客户列表"),
    "stage": ("Stage", "阶段"),
    "value_class": ("Value class", "价值类别"),
    "language": ("Language", "语言"),
    "no_purchase_model": ("None", "无"),
    "actions": ("Action lists", "行动清单"),
    "campaigns": ("Campaigns", "营销活动"),
    "campaigns_intro": ("Each campaign is kept as its plan-do-check-act record. With a control "
                        "group, the effect is the difference treatment - control in the "
                        "planned outcome within the window, with its 95% Welch interval. "
                        "Without one (e.g. campaigns sent to chosen customers), a difference "
                        "between those who got it and those who did not is selection, not effect.",
                        "每项营销活动保留其计划-执行-检查-处理记录。设有对照组时，效果为观察期内"
                        "计划指标的实验组与对照组之差，并给出 95% 韦尔奇置信区间；没有对照组时"
                        "（例如只发给挑选出的客户），收到与未收到者之间的差异来自挑选，而非活动效果。"),
    "no_control_group": ("no control group: not measurable", "无对照组：无法评估效果"),
    "no_campaigns": ("No campaign yet: plan one with this command:",
                     "尚无营销活动：请用以下命令创建："),
    "campaign": ("Campaign", "活动"),
    "campaign_status": ("Status", "状态"),
    "treated": ("Treated", "实验组"),
    "control_group": ("Control", "对照组"),
    "effect_ci": ("Effect [95% interval]", "效果［95% 区间］"),
    "decision": ("Decision", "决策"),
    "not_measured": ("not measured", "未评估"),
    "cross_sell": ("Cross-sell", "交叉销售"),
    "no_catalogue": ("No purchase line names a product with a category: load order lines and "
                     "products (valuecrm ingest) to see what customers buy together.",
                     "没有带品类的订单明细：请导入订单明细与商品表，才能看到客户"
                     "一起购买的商品。"),
    "cross_buying": ("Cross-buying by segment (more, deeper)", "各细分的交叉购买（多、深）"),
    "mean_categories": ("Categories bought per customer", "人均购买品类数"),
    "multi_category_share": ("Bought two categories or more", "购买两个及以上品类的客户占比"),
    "category_coverage": ("Share of the catalogue's categories", "覆盖的品类占比"),
    "main_category_share": ("Share of spend in the main category", "主品类消费占比"),
    "cross_buying_method": (
        "Categories bought: distinct products.category on a customer's purchase orders up to "
        "the snapshot's day (cross-buying, Verhoef & Donkers 2005). Main-category share: the "
        "customer's spend in their largest category / their spend here, averaged over "
        "customers; a share of wallet proper would need their spend at other firms.",
        "购买品类数：截至快照日客户购买订单中不同商品品类的个数（交叉购买，费尔霍夫与东克斯，"
        "2005）。主品类消费占比：客户在其最大品类的消费 / 其在本店的全部消费，按客户平均；"
        "真正的钱包份额还需要客户在其他商家的消费，数据中没有。"),
    "categories_distribution": ("Customers by number of categories bought",
                                "按购买品类数的客户分布"),
    "top_rules_chart": ("Top rules by lift ({level})", "提升度最高的关联规则（{level}）"),
    "top_rules": ("Association rules at the {level} level, by lift",
                  "{level}层级的关联规则（按提升度排序）"),
    "rules_found": ("{rules} rules from {baskets} baskets (support at least {support}); "
                    "guest checkouts count as baskets.",
                    "从 {baskets} 个购物篮中找到 {rules} 条规则（支持度不低于 {support}）；"
                    "游客订单也计为购物篮。"),
    "rules_method": (
        "Method: association rules (Agrawal, Imielinski & Swami 1993) from frequent itemsets "
        "counted in the database (Apriori, Agrawal & Srikant 1994). Support: share of baskets "
        "holding both sides; confidence: share of the baskets with the left side that also "
        "hold the right; lift: confidence / the right side's support (above 1: bought together "
        "more often than by chance). Source: purchase orders and their lines, guests included.",
        "方法：在数据库中逐层统计频繁项集（先验算法，阿格拉瓦尔与斯里坎特，1994），再生成关联规则"
        "（阿格拉瓦尔等，1993）。支持度：同时包含两边的购物篮占比；置信度：包含左边"
        "的购物篮中也包含右边的比例；提升度：置信度 / 右边的支持度（大于 1 表示一起购买的频率高于"
        "偶然）。来源：购买订单及其明细，含游客订单。"),
    "level_category": ("category", "品类"),
    "level_type": ("product type", "商品类型"),
    "level_product": ("product", "商品"),
    "if_bought": ("If bought", "若购买"),
    "then_also": ("Then also", "则也购买"),
    "support": ("Support", "支持度"),
    "confidence": ("Confidence", "置信度"),
    "lift": ("Lift", "提升度"),
    "baskets": ("Baskets", "购物篮数"),
    "next_best_products": ("Next best products", "下一个最佳商品"),
    "up_sell": ("Up-sell", "追加销售"),
    "offer": ("Offer", "推荐商品"),
    "because_bought": ("Because they bought", "因为已购买"),
    "source_kind": ("From", "依据"),
    "next_best_method": (
        "Rules whose items the customer bought and whose consequent they did not, scored by "
        "confidence x margin per unit; a customer with one purchase gets what is most often "
        "bought with theirs.",
        "客户已购买规则左边的全部商品、尚未购买右边的商品时推荐，得分 = 置信度 × 单位毛利；"
        "只购买过一次的客户，推荐最常与其所购商品一起购买的商品。"),
    "campaign_list_note": (
        "Each download is a campaign list (one row per customer and offer, the customer id "
        "first). Up-sell: in a category the customer buys, a dearer product (at most twice the "
        "price) with a higher unit margin than the dearest one they bought there. To run one as "
        "a campaign with a control group:",
        "每个下载文件都是一份活动名单（每位客户每个推荐一行，客户编号在首列）。追加销售：在客户已"
        "购买的品类中，推荐比其购买过的最贵商品更贵（不超过两倍价格）且单位毛利更高的商品。以名单"
        "开展带对照组的营销活动："),
    "lists_for_analysts": ("Per-customer lists are for analysts and administrators; your role "
                           "sees the rules and the figures by segment.",
                           "按客户的推荐清单仅供分析师和管理员查看；您的角色可查看规则和各细分的"
                           "汇总数字。"),
    "actions_tried": ("Actions tried on these groups", "对这些客户群尝试过的行动"),
    "actions_tried_note": (
        "Campaigns whose target was one of these groups, with their status and the measured "
        "effect on the planned outcome (treatment - control, 95% Welch interval).",
        "目标为这些客户群的营销活动，及其状态与计划指标的实测效果（实验组 - 对照组，95% 韦尔奇"
        "区间）。"),
    "no_actions_tried": ("No campaign has targeted these groups yet.",
                         "尚无针对这些客户群的营销活动。"),
    "target_group": ("Group", "客户群"),
    "retention_list": ("Retention: valuable customers slipping away",
                       "挽留：正在流失的高价值客户"),
    "winback_list": ("Win-back: lost customers worth winning back", "赢回：值得赢回的流失客户"),
    "reason": ("Likely reason", "可能原因"),
    "value_at_risk": ("Value at risk", "风险价值"),
    "win_score": ("Expected value x chance", "期望价值 × 赢回概率"),
    "download": ("Download the whole list", "下载完整清单"),
    "first_rows": ("The first {n} customers of the list.", "清单中的前 {n} 位客户。"),
    "forbidden": ("Your role may not export lists; ask an analyst or an administrator.",
                  "您的角色不能导出清单，请联系分析师或管理员。"),
    "of_total": ("{shown} of {total}", "共 {total} 条，显示 {shown} 条"),
    "palive_over_time": ("P(alive) over time", "P(alive) 随时间变化"),
    "palive_over_time_note": ("From what had been seen by each day, with the snapshot's "
                              "{model} parameters.",
                              "按每天之前已发生的购买计算，使用本快照的 {model} 参数。"),
    "purchase": ("Purchase", "购买"),
    "interactions": ("Interactions", "互动记录"),
    "touchpoint_stage": ("Stage", "接触阶段"),
    "duration": ("Minutes", "时长（分钟）"),
    "tracking_chart": ("Cumulative repeat purchases: calibration and holdout",
                       "累计重复购买：校准期与验证期"),
    "tracking_note": ("{model} refitted on the {n} customers who bought before the holdout; "
                      "expected against actual.",
                      "{model} 仅用验证期之前购买过的 {n} 位客户重新拟合；预测值与实际值对比。"),
    "actual_cumulative": ("Actual", "实际"),
    "expected_cumulative": ("Expected", "预测"),
    "holdout_starts": ("Holdout starts", "验证期开始"),
    "cumulative_repeat_purchases": ("Cumulative repeat purchases", "累计重复购买次数"),
    "fr_matrix": ("Expected purchases by frequency and recency",
                  "按频次与最近购买时间的预期购买次数"),
    "fr_note": ("Over the next {months} months, for a customer who first bought {weeks} weeks "
                "ago.", "未来 {months} 个月内，首次购买于 {weeks} 周前的客户。"),
    "recency_since_first": ("Weeks from the first to the last purchase",
                            "首次到最近一次购买的周数"),
    # the loyalty page
    "loyalty": ("Loyalty", "会员忠诚计划"),
    "loyalty_empty": ("The loyalty ledger is empty: there are no points, tiers or members to "
                      "show. Load the table loyalty_ledger, for example with this command:",
                      "积分流水为空：没有可显示的积分、等级或会员。请先导入积分流水表，例如："),
    "loyalty_as_of": ("As of {day}, by the rules of: {name}", "截至 {day}，所用规则：{name}"),
    "members": ("Members", "会员数"),
    "outstanding_points": ("Points outstanding", "未使用积分"),
    "points_liability": ("Points liability", "积分负债"),
    "settled_breakage": ("Breakage of settled points", "已结算积分的失效率"),
    "liability_method": ("Liability = points outstanding (the sum of positive balances) x "
                         "{value} per point; source: the loyalty ledger.",
                         "积分负债 = 未使用积分（正余额之和）× 每分价值 {value}；"
                         "数据来源：积分流水。"),
    "breakage_title": ("Redemption and breakage by cohort of issued points",
                       "按积分发放年份的兑换率与失效率"),
    "issue_year": ("Year issued", "发放年份"),
    "issued": ("Issued", "发放积分"),
    "redemption_rate": ("Redeemed", "兑换率"),
    "breakage": ("Expired (breakage)", "失效率"),
    "adjusted": ("Taken back", "冲减积分"),
    "outstanding": ("Outstanding", "未使用"),
    "closed": ("Closed", "已结清"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "to_date": ("All points to date", "截至目前全部积分"),
    "closed_rates": ("Over the {n} closed cohorts: redemption rate {redeemed}, breakage "
                     "{expired}.", "{n} 个已结清年份：兑换率 {redeemed}，失效率 {expired}。"),
    "no_closed_cohort": ("No cohort is closed yet (every year still has points outstanding): "
                         "the rates to date are not final; the breakage of settled points "
                         "estimates where they will end.",
                         "尚无已结清的年份（每年都仍有未使用积分）：截至目前的比率并非最终值；"
                         "已结算积分的失效率可用来估计最终水平。"),
    "rates_method": ("Points are used first-in-first-out: each redemption, expiry or return "
                     "uses the member's oldest points. Redemption rate = redeemed / issued, "
                     "breakage = expired / issued, per year of issue; a year is closed when "
                     "none of its points is outstanding. Breakage of settled points = expired "
                     "/ (redeemed + expired).",
                     "积分按先进先出使用：每次兑换、过期或退货冲减都先用会员最早的积分。"
                     "兑换率 = 已兑换 / 已发放，失效率 = 已过期 / 已发放，按发放年份计算；"
                     "某年的积分全部用完即为已结清。"
                     "已结算积分的失效率 = 已过期 /（已兑换 + 已过期）。"),
    "tier_mix": ("Members by tier", "各等级会员数"),
    "tier_basis_points": ("Tiers on the points earned in the last {months} months.",
                          "等级按最近 {months} 个月获得的积分评定。"),
    "tier_basis_spend": ("Tiers on the net spend of the last {months} months.",
                         "等级按最近 {months} 个月的净消费评定。"),
    "tier_basis_points_lifetime": ("Tiers on the points earned since joining.",
                                   "等级按入会以来获得的积分评定。"),
    "tier_basis_spend_lifetime": ("Tiers on the net spend since joining.",
                                  "等级按入会以来的净消费评定。"),
    "tier_moves": ("Tier moves", "会员等级迁移"),
    "tier_from": ("Tier on {day}", "{day} 的等级"),
    "tier_to": ("Tier on {day}", "{day} 的等级"),
    "tier_moves_note": ("{up} moved up, {down} moved down, {joined} joined.",
                        "升级 {up} 人，降级 {down} 人，新入会 {joined} 人。"),
    "tier_benefits": ("Tiers and their benefits", "会员等级与权益"),
    "tier_min": ("From", "起点"),
    "benefits": ("Benefits", "权益"),
    "visit_rules": ("Visit rules", "到店次数规则"),
    "visit_rule": ("Benefit", "权益"),
    "visits_needed": ("Needs", "条件"),
    "visits_in_months": ("{visits} visits in {months} months", "{months} 个月内 {visits} 次"),
    "qualifying_members": ("Members who qualify", "达标会员"),
    "benefit_cost": ("Cost", "成本"),
    "member_value": ("Members against non-members", "会员与非会员对比"),
    "group_members": ("Members", "会员"),
    "group_non_members": ("Non-members", "非会员"),
    "selection_not_effect": ("Selection, not effect:", "这是自选择差异，不是计划效果："),
    "selection_note": ("customers chose to join, so members differ from the others for reasons "
                       "of their own; the difference is not what the programme did. Measuring "
                       "that needs a campaign with a control group. Snapshot of {day}.",
                       "客户自愿入会，会员与非会员本来就不同，差异不等于会员计划带来的效果；"
                       "要衡量效果，需要设有对照组的营销活动。快照日期 {day}。"),
    "controlled_campaign": ("A loyalty campaign with a control group (its effect is what it "
                            "did):", "设有对照组的会员活动（其效果即活动的作用）："),
    "member_value_no_snapshot": ("No snapshot yet: run this command to compare the members' "
                                 "CLV and P(alive) with the other customers':",
                                 "尚无快照：运行以下命令后可对比会员与其他客户的 "
                                 "CLV 和 P(alive)："),
    "what_if": ("What if the rules changed?", "规则调整模拟"),
    "what_if_intro": ("Apply changed rules to the members' past orders: the points they would "
                      "have issued, what they cost, and who changes tier. Nothing is written.",
                      "将调整后的规则应用于会员过去的订单：会发放多少积分、成本多少、"
                      "谁的等级会变化。不会写入任何数据。"),
    "points_per_unit": ("Points per currency unit", "每元积分"),
    "value_per_point": ("Value of a point", "每分价值"),
    "bonus_category": ("Bonus category", "加倍品类"),
    "bonus_multiplier": ("Multiplier", "倍数"),
    "tier_minimums": ("Tier thresholds (lowest first)", "等级门槛（由低到高）"),
    "months_of_orders": ("Months of orders", "订单月数"),
    "run_what_if": ("Compute", "计算"),
    "rule_set": ("Rules", "规则"),
    "rules_current": ("Current", "现行规则"),
    "rules_changed": ("Changed", "调整后"),
    "points_net": ("Points issued (net)", "净发放积分"),
    "face_value": ("Face value", "面值"),
    "expected_cost": ("Expected cost", "预计成本"),
    "visit_benefit_cost": ("Visit benefits", "到店权益成本"),
    "total_cost": ("Total cost", "总成本"),
    "change": ("Change", "变化"),
    "what_if_tiers": ("{n} members would change tier ({up} up, {down} down).",
                      "{n} 位会员等级会变化（升级 {up}，降级 {down}）。"),
    "what_if_method": ("Orders from {since} to {day}; expected cost = face value x (1 - the "
                       "breakage of settled points, {breakage}); tiers as of {day}.",
                       "订单区间 {since} 至 {day}；预计成本 = 面值 ×（1 − 已结算积分的失效率 "
                       "{breakage}）；等级按 {day} 评定。"),
    "tier_current": ("Tier now", "现行等级"),
    "tier_changed": ("Tier with the changed rules", "调整后等级"),
    "qualifying_current": ("Qualifying now", "现行达标值"),
    "qualifying_changed": ("Qualifying with the changed rules", "调整后达标值"),
    "movers_for_analysts": ("Analysts and administrators see who changes tier.",
                            "分析师和管理员可查看等级变化的会员名单。"),
}

TEXT.update(VOICE_TEXT)  # the voice of the customer page's own labels
TEXT.update(SERVICE_TEXT)  # complaints, service recovery and the journey
TEXT.update(VOICE_SURVEY_TEXT)  # its perceived value and satisfaction x loyalty sections

# values of data columns shown on the customer page -> Chinese
ENUMS_ZH: dict[str, str] = {
    "low": "低", "lower_middle": "中低", "middle": "中等", "upper_middle": "中高", "high": "高",
    "web": "网站", "phone": "电话", "app": "应用", "store": "门店", "email": "邮件",
    "chat": "在线客服", "referral": "推荐", "social": "社交媒体",
    "returned": "已退货", "completed": "已完成", "cancelled": "已取消",
    "price": "价格", "other": "其他", "quality": "质量", "billing": "账单", "delivery": "配送",
    "staff": "员工",
    "satisfaction": "满意度", "perceived_quality": "感知质量", "loyalty": "忠诚度",
    "nps": "NPS", "expectations": "期望", "perceived_value": "感知价值", "image": "形象",
    "adjust": "调整", "expire": "过期", "redeem": "兑换", "earn": "获得",
    "female": "女", "male": "男",
    "information": "信息", "enquiry": "咨询", "selection": "选购", "order": "下单",
    "payment": "支付", "after_sales": "售后", "support": "售后支持", "question": "提问",
    "visit": "浏览", "order_help": "下单协助", "delivery_query": "配送查询",
    "payment_query": "支付查询", "consultation": "选购咨询",
    # campaigns: kinds, channels, statuses, outcomes and decisions
    "acquisition": "获客", "retention": "客户挽留", "winback": "赢返", "cross_sell": "交叉销售",
    "up_sell": "追加销售", "rule": "关联规则", "co-occurrence": "共同购买", "sms": "短信",
    "app_push": "应用推送", "mail": "邮寄",
    "planned": "已计划", "assigned": "已分组", "launched": "已执行", "measured": "已评估",
    "decided": "已决策", "purchase": "购买率", "revenue": "收入", "margin": "毛利",
    "scale": "扩大", "continue": "继续", "change": "调整", "stop": "停止",
    # loyalty tiers of the built-in rules
    "bronze": "铜卡", "silver": "银卡", "gold": "金卡", "platinum": "白金卡",
    "(not a member)": "非会员", "free delivery": "免运费", "priority service": "优先服务",
    "personal adviser": "专属顾问", "service fee waived": "免服务费",
    "the generator's planted programme": "生成器预设的会员计划",
    # acquisition sources
    "(not recorded)": "未记录", "(other)": "其他", "referred": "经推荐", "not referred": "非推荐",
}

PARAMETER_SYMBOLS = {"alpha": "α", "beta": "β", "gamma": "γ", "s": "s", "r": "r"}


def pick_language(query: str | None, cookie: str | None, accept: str | None) -> str:
    """The language asked for in the query, else the cookie, else the browser's; else English."""
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return candidate
    if accept and accept.strip().lower().startswith("zh"):
        return "zh-CN"
    return "en"


@dataclass(frozen=True)
class Translator(Words):
    """The dashboard's labels and formats of one language (``en`` or ``zh-CN``)."""

    catalogue: ClassVar[dict[str, tuple[str, str]]] = TEXT

    def label(self, value: Any) -> str:
        """A value of a label column (segment, status, stage...) in this language."""
        if value is None or not self.zh:
            return super().label(value)
        return LABELS_ZH.get(str(value), ENUMS_ZH.get(str(value), str(value)))

    def enum(self, value: Any) -> str:
        """A value of a data column (channel, order status...) in this language."""
        if value is None:
            return "–"
        return ENUMS_ZH.get(str(value), str(value)) if self.zh else str(value)

    def parameter(self, name: str) -> str:
        return PARAMETER_SYMBOLS.get(name, name)
