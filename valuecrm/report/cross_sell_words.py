"""The words of the report's "Cross-sell / 交叉销售" section,
key -> (English, 简体中文); merged into :data:`valuecrm.report.words.TEXT`."""

from __future__ import annotations

CROSS_SELL_WORDS: dict[str, tuple[str, str]] = {
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
}
