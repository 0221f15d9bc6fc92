"""The words of the report's retention and win-back lists, key -> (English, 简体中文); merged into
:data:`valuecrm.report.words.TEXT`."""

from __future__ import annotations

ACTION_WORDS: dict[str, tuple[str, str]] = {
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
}
