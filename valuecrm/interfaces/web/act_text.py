"""The labels of the pages that act: action lists, campaigns and cross-sell, key -> (English,
简体中文); merged into :data:`valuecrm.interfaces.web.i18n.TEXT`."""

from __future__ import annotations

ACT_TEXT: dict[str, tuple[str, str]] = {
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
        "confidence x margin per unit (a product sold at a loss is not offered); a customer "
        "with one purchase gets what is most often bought with theirs.",
        "客户已购买规则左边的全部商品、尚未购买右边的商品时推荐，得分 = 置信度 × 单位毛利"
        "（亏本销售的商品不推荐）；只购买过一次的客户，推荐最常与其所购商品一起购买的商品。"),
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
}
