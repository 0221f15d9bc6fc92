"""The words of the report's models section: the chosen model, the model choice, the holdout
check and the parameters, key -> (English, 简体中文); merged into
:data:`valuecrm.report.words.TEXT`."""

from __future__ import annotations

MODEL_WORDS: dict[str, tuple[str, str]] = {
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
}
