"""Report sections of one snapshot of the customer value table (``valuecrm.analyze``).

Each function takes figures already computed (by :mod:`valuecrm.report.builder`, in the engine)
and adds one section that names its method and its source.
"""

from __future__ import annotations

import math
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
HUGHES_1994 = ("Hughes (1994), Strategic Database Marketing; the 11-segment RFM rule table in "
               "common use")
MODEL_SOURCES = {"BetaGeo": "BG/NBD: " + FHL_2005, "ParetoNBD": "Pareto/NBD: " + SMC_1987,
                 "ModifiedBetaGeo": "MBG/NBD: " + BDF_2007, "GammaGamma": "Gamma-Gamma: " + GG_2005}
MODEL_NAMES = {"BetaGeo": "BG/NBD", "ParetoNBD": "Pareto/NBD", "ModifiedBetaGeo": "MBG/NBD",
               "GammaGamma": "Gamma-Gamma"}


def model_name(name: str | None) -> str:
    return MODEL_NAMES.get(name or "", name or "none")


def overview_section(report: Report, stats: dict[str, Any], monthly: pd.DataFrame,
                     status: pd.DataFrame, *, as_of: str, source: str) -> None:
    """Customers, orders, revenue, customer equity and the status split."""
    import plotly.graph_objects as go

    section = report.section(
        "Customer base",
        intro=f"What the database holds up to {as_of}: customers, orders, revenue over time, "
              "and how many customers are still active.",
        method="Counts and sums over the orders table up to the as-of date; status and CLV "
               "from the customer value table of the snapshot (valuecrm.analyze).",
        source=source,
    )
    active = int(status.loc[status["group"].isin(["new", "active"]), "customers"].sum())
    section.figures += [
        Figure("customers", f"{stats['customers']:,}", "who bought up to the as-of date"),
        Figure("active customers", f"{active:,}", "status new or active"),
        Figure("orders", f"{stats['orders']:,}"),
        Figure("revenue", f"{stats['revenue']:,.0f}", "sum of order amounts"),
        Figure("period", f"{stats['first']:%Y-%m-%d} to {stats['last']:%Y-%m-%d}"),
    ]
    if stats.get("equity") is not None:
        section.figures.append(Figure("customer equity", f"{stats['equity']:,.0f}",
                                      "sum of the current customers' CLV"))
    if len(monthly):
        figure = go.Figure(go.Bar(x=monthly["month"], y=monthly["orders"], name="orders"))
        figure.update_layout(title="Orders per month", yaxis_title="orders")
        section.add_chart(figure, height=320)
    figure = go.Figure(go.Pie(labels=status["group"] + " " + status["name"],
                              values=status["customers"], hole=0.5, sort=False))
    figure.update_layout(title="Customer status")
    section.add_chart(figure, height=320)


def rfm_section(report: Report, grid: pd.DataFrame, segments: pd.DataFrame) -> None:
    """R x F heat map (customers per cell) and the segment table with the suggested action."""
    import plotly.graph_objects as go

    section = report.section(
        "RFM segments",
        intro="Recency, frequency and monetary value scored 1-5 in quintiles (5 = best 20%); "
              "customers grouped into the 11 named segments by R and F.",
        method="score = 1 + floor(5 (rank_min - 1) / N), ranks from worst to best, ties "
               "sharing the lower score; segments by the standard R x F rule table.",
        source=HUGHES_1994 + ".",
    )
    table = grid.pivot_table(index="r_score", columns="f_score", values="customers",
                             aggfunc="sum", fill_value=0).sort_index(ascending=False)
    figure = go.Figure(go.Heatmap(z=table.to_numpy(), x=[f"F{c}" for c in table.columns],
                                  y=[f"R{r}" for r in table.index], colorscale="Blues",
                                  text=table.to_numpy(), texttemplate="%{text}"))
    figure.update_layout(title="Customers by recency (R) and frequency (F) score")
    section.add_chart(figure, height=360)
    section.add_table(segments, caption="Segments, largest first")


def value_section(report: Report, clv: np.ndarray, top: pd.DataFrame, *, model: str | None,
                  config: dict[str, Any], interval_method: str, clv_definition: str) -> None:
    """CLV distribution, customer equity, and the most valuable customers."""
    import plotly.graph_objects as go

    horizon = config.get("horizon_months", 12)
    rate = config.get("discount_rate", 0.10)
    section = report.section(
        "Customer lifetime value",
        intro=f"Expected value of each customer over the next {horizon:g} months, discounted "
              f"at {rate:.0%} a year.",
        method=f"CLV = {clv_definition} ({model_name(model)} purchases, Gamma-Gamma spend per "
               f"purchase). Interval: {interval_method}. Customer equity = the sum over "
               "current customers.",
        source=f"{MODEL_SOURCES.get(model or '', model_name(model))}; {GG_2005}.",
    )
    clv = clv[np.isfinite(clv)]
    if not len(clv):
        section.add_text("No CLV: no purchase model could be fitted for this snapshot.")
        return
    ordered = np.sort(clv)[::-1]
    top_share = ordered[: max(1, len(clv) // 5)].sum() / max(clv.sum(), 1e-12)
    section.figures += [
        Figure("customer equity (current customers)", f"{clv.sum():,.0f}",
               f"sum of {len(clv):,} CLVs"),
        Figure("mean CLV", f"{clv.mean():,.2f}"),
        Figure("median CLV", f"{float(np.median(clv)):,.2f}"),
        Figure("share of value in the top 20%", f"{top_share:.0%}"),
    ]
    counts, edges = np.histogram(np.clip(clv, 0, np.quantile(clv, 0.99)), bins=60)
    figure = go.Figure(go.Bar(x=(edges[:-1] + edges[1:]) / 2, y=counts, width=np.diff(edges),
                              marker_color="#486581", name="customers"))
    figure.update_layout(title="CLV distribution (clipped at the 99th percentile)",
                         xaxis_title="CLV", yaxis_title="customers")
    section.add_chart(figure)
    level = config.get("interval_level", 0.9)
    shown = pd.DataFrame({
        "customer": top["customer_id"], "segment": top["rfm_segment"],
        "purchases": top["n_purchases"], "days since last": top["days_since_last"],
        "revenue": top["revenue"].map(_money), "P(alive)": top["p_alive"].map(_money),
        "expected purchases": top["expected_purchases"].map(_money),
        "CLV": top["clv"].map(_money),
        f"CLV {level:.0%} interval": [
            "" if pd.isna(lo) or pd.isna(hi) else f"{lo:,.2f} to {hi:,.2f}"
            for lo, hi in zip(top["clv_lower"], top["clv_upper"], strict=True)],
    })
    section.add_table(shown, caption="The 15 most valuable customers")


def _money(value: Any) -> str:
    return "" if pd.isna(value) else f"{value:,.2f}"


def groups_section(report: Report, groups: dict[str, pd.DataFrame], *, method: str,
                   source: str, intro: str) -> None:
    """Status, lifecycle stage, value-matrix quadrant and pyramid tier: counts and value."""
    import plotly.graph_objects as go

    section = report.section(
        "Customer value table: status, lifecycle, value matrix, pyramid",
        intro=intro, method=method, source=source)
    for title, frame in groups.items():
        labels = frame["group"] + " " + frame["name"]
        figure = go.Figure(go.Bar(x=labels, y=frame["customers"], name="customers",
                                  text=frame["share"].map("{:.1%}".format)))
        figure.update_layout(title=f"{title}: customers", yaxis_title="customers")
        section.add_chart(figure, height=320)
        section.add_table(pd.DataFrame({
            "group": labels, "customers": frame["customers"],
            "share": frame["share"].map("{:.1%}".format),
            "current value": frame["current_value"].round(0),
            "CLV": frame["clv"].round(0),
            "CLV share": frame["clv_share"].map(_percent),
        }), caption=title)


def _percent(value: Any) -> str:
    return "" if value is None or value != value else f"{value:.1%}"


def models_section(report: Report, *, model: str | None, reason: str,
                   ranking: list[dict[str, Any]], holdout: dict[str, Any],
                   tracking: dict[str, Any] | None = None) -> None:
    """Ranking of the purchase models on the holdout period: errors and totals; the chosen
    model's cumulative tracking (``valuecrm.analysis.tracking``) when given."""
    import plotly.graph_objects as go

    names = [r["model"] for r in ranking]
    weeks = holdout.get("holdout_weeks")
    section = report.section(
        "Which purchase model to trust",
        intro=(f"Each candidate was fitted on the history up to {holdout['calibration_end']} "
               f"and asked to predict every customer's repeat purchases in the next {weeks:g} "
               "weeks. " if ranking and weeks else "") + f"Chosen: {model_name(model)}. {reason}",
        method="Maximum likelihood on the calibration summary (weeks); holdout errors per "
               "customer (MAE, RMSE, bias) and in total; the lowest RMSE wins "
               "(the validation design of Fader, Hardie & Lee 2005).",
        source="; ".join(MODEL_SOURCES.get(m, m) for m in (names or [model or "BetaGeo"])) + ".",
    )
    if not ranking:
        return
    frame = pd.DataFrame(ranking)
    frame["model"] = frame["model"].map(model_name)
    shown = [c for c in ("rank", "model", "mae", "rmse", "bias", "predicted_total",
                         "actual_total", "log_likelihood", "bic") if c in frame]
    section.add_table(frame[shown], caption="Holdout accuracy, best first")
    figure = go.Figure()
    figure.add_bar(x=frame["model"], y=frame["predicted_total"], name="predicted")
    figure.add_bar(x=frame["model"], y=frame["actual_total"], name="actual")
    figure.update_layout(title="Repeat purchases in the holdout period: predicted and actual",
                         yaxis_title="repeat purchases", barmode="group")
    section.add_chart(figure, height=320)
    if tracking:
        section.add_chart(tracking_figure(tracking), height=360)
        section.add_text(
            f"Cumulative tracking: {model_name(tracking['model'])} refitted on the "
            f"{tracking['customers']:,} customers who bought by {tracking['calibration_end']}; "
            "expected cumulative repeat purchases (the sum over first-purchase days of the "
            "expected purchases of a new customer) against the actual ones, week by week, "
            "through the calibration period and the holdout (Fader, Hardie & Lee 2005, fig. 2).")


def tracking_figure(tracking: dict[str, Any]) -> Any:
    """Actual and expected cumulative repeat purchases, the holdout start marked."""
    import plotly.graph_objects as go

    figure = go.Figure()
    figure.add_scatter(x=tracking["dates"], y=tracking["actual"], name="actual", mode="lines")
    figure.add_scatter(x=tracking["dates"], y=tracking["expected"],
                       name=f"expected ({model_name(tracking['model'])})", mode="lines",
                       line={"dash": "dash"})
    figure.add_vline(x=tracking["calibration_end"], line={"color": "grey", "dash": "dot"})
    figure.update_layout(title="Cumulative repeat purchases: actual and expected",
                         yaxis_title="cumulative repeat purchases",
                         xaxis_title=f"holdout from {tracking['calibration_end']}")
    return figure


def parameters_section(report: Report, parameters: dict[str, Any], *, as_of: str) -> None:
    """Fitted parameters with standard errors and 95% intervals (log scale: they are > 0)."""
    fits = {name: fit for name, fit in parameters.items()
            if isinstance(fit, dict) and "params" in fit}
    section = report.section(
        "Model parameters",
        intro=f"Parameters refitted on every customer's history up to {as_of}, time in weeks.",
        method="Maximum likelihood; standard errors from the inverse Hessian; 95% intervals "
               "exp(log estimate +/- 1.96 SE / estimate).",
        source="; ".join(MODEL_SOURCES.get(name, name) for name in fits) + ".",
    )
    rows = []
    for name, fit in fits.items():
        errors = fit.get("standard_errors") or {}
        for parameter, estimate in fit["params"].items():
            se = errors.get(parameter)
            low = high = None
            if se is not None and estimate and estimate > 0 and math.isfinite(se):
                spread = 1.96 * se / estimate
                low, high = estimate * math.exp(-spread), estimate * math.exp(spread)
            rows.append({"model": model_name(name), "parameter": parameter,
                         "estimate": estimate, "SE": se, "lower 95%": low, "upper 95%": high,
                         "log-likelihood": fit.get("log_likelihood"),
                         "customers": fit.get("n_customers")})
    if rows:
        section.add_table(pd.DataFrame(rows), caption="Estimates", max_rows=50)
    else:
        section.add_text("No model was fitted for this snapshot.")
