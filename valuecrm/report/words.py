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
from valuecrm.report.action_words import ACTION_WORDS
from valuecrm.report.cross_sell_words import CROSS_SELL_WORDS
from valuecrm.report.loyalty_words import LOYALTY_WORDS
from valuecrm.report.model_words import MODEL_WORDS
from valuecrm.report.profile_words import PROFILE_WORDS
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
}

# column name -> 简体中文 header
TEXT.update(CROSS_SELL_WORDS)  # the cross-sell section
TEXT.update(PROFILE_WORDS)  # who they are
TEXT.update(ACTION_WORDS)  # the retention and win-back lists
TEXT.update(MODEL_WORDS)  # the models and their parameters
TEXT.update(LOYALTY_WORDS)  # the loyalty programme
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
