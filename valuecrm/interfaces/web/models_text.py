"""The labels of the models page: the chosen purchase model, its parameters, the model choice
and the holdout checks, key -> (English, 简体中文); merged into
:data:`valuecrm.interfaces.web.i18n.TEXT`."""

from __future__ import annotations

MODELS_TEXT: dict[str, tuple[str, str]] = {
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
}
