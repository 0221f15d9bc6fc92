"""Report sections for the analyses: each takes computed results and names method and source."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from valuecrm.report.html import Figure, Report

FHL_2005 = ("Fader, Hardie & Lee (2005), \"Counting your customers the easy way: an alternative "
            "to the Pareto/NBD model\", Marketing Science 24(2)")
SMC_1987 = ("Schmittlein, Morrison & Colombo (1987), \"Counting your customers: who are they and "
            "what will they do next?\", Management Science 33(1)")
BDF_2007 = ("Batislam, Denizel & Filiztekin (2007), \"Empirical validation and comparison of "
            "models for customer base analysis\", IJRM 24(3)")
GG_2005 = ("Fader, Hardie & Lee (2005), \"RFM and CLV: using iso-value curves for customer base "
           "analysis\", JMR 42(4)")
MODEL_SOURCES = {"BetaGeo": "BG/NBD: " + FHL_2005, "ParetoNBD": "Pareto/NBD: " + SMC_1987,
                 "ModifiedBetaGeo": "MBG/NBD: " + BDF_2007, "GammaGamma": "Gamma-Gamma: " + GG_2005}
MODEL_NAMES = {"BetaGeo": "BG/NBD", "ParetoNBD": "Pareto/NBD", "ModifiedBetaGeo": "MBG/NBD",
               "GammaGamma": "Gamma-Gamma"}


def model_selection_section(report: Report, selection: Any, tracking: pd.DataFrame,
                            *, calibration: str, holdout: str) -> None:
    """Ranking of the purchase models on the holdout, and the tracking chart of the best."""
    import plotly.graph_objects as go

    section = report.section(
        "Which purchase model to trust",
        intro=(f"Each model was fitted on the calibration period ({calibration}) and asked to "
               f"predict every customer's repeat purchases in the holdout period ({holdout}). "
               + selection.reason),
        method=("Maximum likelihood on the calibration summary; holdout errors per customer "
                "(MAE, RMSE, bias) and in total; cumulative repeat purchases week by week."),
        source="; ".join(MODEL_SOURCES[m] for m in selection.ranking["model"]),
    )
    ranking = selection.ranking.assign(model=selection.ranking["model"].map(MODEL_NAMES))
    section.add_table(ranking[["rank", "model", "mae", "rmse", "bias", "predicted_total",
                               "actual_total", "log_likelihood", "bic"]],
                      caption="Holdout accuracy, best first")
    figure = go.Figure()
    figure.add_scatter(x=tracking["time"], y=tracking["actual_cumulative"], name="actual",
                       mode="lines", line={"color": "#102a43"})
    figure.add_scatter(x=tracking["time"], y=tracking["predicted_cumulative"],
                       name=f"{MODEL_NAMES[selection.best_name]} expected", mode="lines",
                       line={"dash": "dash", "color": "#d64545"})
    figure.update_layout(title="Cumulative repeat purchases in the holdout period",
                         xaxis_title="weeks after the calibration period",
                         yaxis_title="repeat purchases")
    section.add_chart(figure)


def parameters_section(report: Report, models: dict[str, Any], *, period: str) -> None:
    """Fitted parameters with standard errors and 95% intervals."""
    section = report.section(
        "Model parameters",
        intro=f"Parameters fitted on every customer's history ({period}), in weeks.",
        method="Maximum likelihood; standard errors from the inverse Hessian; 95% Wald "
               "intervals.",
        source="; ".join(MODEL_SOURCES[name] for name in models),
    )
    for name, model in models.items():
        table = model.summary()
        table.insert(0, "model", MODEL_NAMES[name])
        section.add_table(table, caption=f"{MODEL_NAMES[name]}: log-likelihood "
                                         f"{model.log_likelihood_:,.3f}, "
                                         f"{model.n_customers_:,} customers")


def value_section(report: Report, scored: pd.DataFrame, equity: Any, *, model_name: str,
                  horizon_months: int, discount_rate: float) -> None:
    """CLV distribution, customer equity, and the most valuable customers."""
    import plotly.graph_objects as go

    clv = scored["clv"].to_numpy()
    section = report.section(
        "Customer lifetime value",
        intro=(f"Expected value of each customer over the next {horizon_months} months, "
               f"discounted at {discount_rate:.0%} a year."),
        method=(f"CLV = E[spend per purchase] (Gamma-Gamma) x expected purchases month by month "
                f"({MODEL_NAMES[model_name]}), discounted monthly; margin 100% of spend (the data "
                "hold no costs). Customer equity = the sum over current customers."),
        source=f"{MODEL_SOURCES[model_name]}; {GG_2005}",
    )
    top_share = np.sort(clv)[::-1][: max(1, len(clv) // 5)].sum() / max(clv.sum(), 1e-12)
    section.figures += [
        Figure("customer equity (current customers)", f"${equity.current:,.0f}",
               f"sum of {equity.n_customers:,} CLVs"),
        Figure("mean CLV", f"${equity.per_customer:,.2f}"),
        Figure("median CLV", f"${float(np.median(clv)):,.2f}"),
        Figure("share of value in the top 20%", f"{top_share:.0%}"),
        Figure("mean P(alive)", f"{scored['p_alive'].mean():.1%}", MODEL_NAMES[model_name]),
    ]
    figure = go.Figure(go.Histogram(x=np.clip(clv, 0, np.quantile(clv, 0.99)), nbinsx=60,
                                    marker_color="#486581"))
    figure.update_layout(title="CLV distribution (clipped at the 99th percentile)",
                         xaxis_title="CLV ($)", yaxis_title="customers")
    section.add_chart(figure)
    top = scored.sort_values("clv", ascending=False).head(15)
    section.add_table(top[["customer_id", "frequency", "recency", "T", "monetary_value",
                           "p_alive", "expected_purchases", "expected_spend", "clv"]],
                      caption="The 15 most valuable customers")


def rfm_section(report: Report, scores: pd.DataFrame, segments: pd.DataFrame) -> None:
    """R x F heat map and the segment table with the suggested action."""
    import plotly.graph_objects as go

    section = report.section(
        "RFM segments",
        intro=("Recency, frequency and monetary value scored 1-5 in quintiles (5 = best 20%); "
               "customers grouped into the 11 named segments by R and F."),
        method=("score = 1 + floor(5 (rank_min - 1) / N), ranks from worst to best, ties sharing "
                "the lower score; segments by the standard R x F rule table."),
        source="Hughes (1994), Strategic Database Marketing; the 11-segment RFM rule table "
               "in common use.",
    )
    grid = scores.pivot_table(index="r_score", columns="f_score", values="customer_id",
                              aggfunc="count", fill_value=0).sort_index(ascending=False)
    figure = go.Figure(go.Heatmap(z=grid.to_numpy(), x=[f"F{c}" for c in grid.columns],
                                  y=[f"R{r}" for r in grid.index], colorscale="Blues",
                                  text=grid.to_numpy(), texttemplate="%{text}"))
    figure.update_layout(title="Customers by recency (R) and frequency (F) score")
    section.add_chart(figure, height=360)
    section.add_table(segments, caption="Segments, largest first")
