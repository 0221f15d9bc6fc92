"""The dashboard's two languages: English and 简体中文 (Simplified Chinese).

``TEXT`` holds every label of the pages: the general ones here, each topic's in its own module
(``access_text``, ``profile_text``, ``models_text``, ``act_text``, ``loyalty_text``,
``voice_text``, ``voice_survey_text``, ``service_text``), merged below. :class:`Translator`
binds it to one language, with the label names and number and date formats shared with the
report (:mod:`valuecrm.i18n`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from valuecrm.i18n import LABELS_ZH, LANGUAGE_NAMES, LANGUAGES, Words
from valuecrm.interfaces.web.access_text import ACCESS_TEXT
from valuecrm.interfaces.web.act_text import ACT_TEXT
from valuecrm.interfaces.web.loyalty_text import LOYALTY_TEXT
from valuecrm.interfaces.web.models_text import MODELS_TEXT
from valuecrm.interfaces.web.profile_text import PROFILE_TEXT
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
}

TEXT.update(ACCESS_TEXT)  # signing in, roles, error pages
TEXT.update(PROFILE_TEXT)  # who they are: profiles, acquisition, referral value
TEXT.update(MODELS_TEXT)  # the models page
TEXT.update(ACT_TEXT)  # action lists, campaigns, cross-sell
TEXT.update(LOYALTY_TEXT)  # the loyalty page
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
