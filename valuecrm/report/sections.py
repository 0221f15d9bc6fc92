"""Report sections of one snapshot of the customer value table (``valuecrm.analyze``).

Each function takes figures already computed (by :mod:`valuecrm.report.builder`, in the engine)
and adds one section that names its method and its source.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from valuecrm.models.uncertainty import parameter_interval_method, stored_parameter_intervals
from valuecrm.report.html import Figure, Report
from valuecrm.report.words import ReportWords

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


def model_name(name: str | None, t: ReportWords | None = None) -> str:
    return MODEL_NAMES.get(name or "", name or (t("model_none") if t else "none"))


def overview_section(report: Report, stats: dict[str, Any], monthly: pd.DataFrame,
                     status: pd.DataFrame, *, as_of: str, source: str) -> None:
    """Customers, orders, revenue, customer equity and the status split."""
    import plotly.graph_objects as go

    t = report.t
    section = report.section(t("base_title"), intro=t("base_intro", as_of=as_of),
                             method=t("base_method"), source=source)
    section.figures += [
        Figure(t("customers"), f"{stats['customers']:,}", t("customers_how")),
        Figure(t("active_customers"), f"{stats['active_customers']:,}", t("active_how")),
        Figure(t("orders"), f"{stats['orders']:,}"),
        Figure(t("revenue"), f"{stats['revenue'] or 0:,.0f}", t("revenue_how")),
        Figure(t("period"), t("period_value", first=f"{stats['first']:%Y-%m-%d}",
                              last=f"{stats['last']:%Y-%m-%d}")),
    ]
    if stats.get("equity") is not None:
        section.figures.append(Figure(t("equity"), f"{stats['equity']:,.0f}", t("equity_how")))
    if stats.get("equity_with_referrals") is not None:  # beside equity, never instead of it
        section.figures.append(Figure(t("equity_with_referrals"),
                                      f"{stats['equity_with_referrals']:,.0f}",
                                      t("equity_with_referrals_how",
                                        crv=f"{stats['referral_value']:,.0f}")))
    if len(monthly):
        figure = go.Figure(go.Bar(x=monthly["month"], y=monthly["orders"], name=t("orders")))
        figure.update_layout(title=t("orders_per_month"), yaxis_title=t("orders"),
                             xaxis=date_axis(t))
        section.add_chart(figure, height=320)
    figure = go.Figure(go.Pie(labels=group_labels(status, t), values=status["customers"],
                              hole=0.5, sort=False))
    figure.update_layout(title=t("status_title"))
    section.add_chart(figure, height=320)


def date_axis(t: ReportWords) -> dict[str, Any]:
    """A date axis labelled in the report's language ("Jan 1997" or "1997年1月")."""
    return {"tickformat": "%Y年%-m月", "hoverformat": "%Y年%-m月%-d日"} if t.zh else {}


def group_labels(frame: pd.DataFrame, t: ReportWords) -> pd.Series:
    """A group summary's labels: "lost 流失客户" in English (both names), the Chinese in zh-CN."""
    if t.zh:
        return frame["group"].map(t.label)
    return frame["group"] + " " + frame["name"]


def rfm_section(report: Report, grid: pd.DataFrame, segments: pd.DataFrame) -> None:
    """R x F heat map (customers per cell) and the segment table with the suggested action."""
    import plotly.graph_objects as go

    t = report.t
    section = report.section(t("rfm_title"), intro=t("rfm_intro"), method=t("rfm_method"),
                             source=HUGHES_1994 + ".")
    table = grid.pivot_table(index="r_score", columns="f_score", values="customers",
                             aggfunc="sum", fill_value=0).sort_index(ascending=False)
    figure = go.Figure(go.Heatmap(z=table.to_numpy(), x=[f"F{c}" for c in table.columns],
                                  y=[f"R{r}" for r in table.index], colorscale="Blues",
                                  text=table.to_numpy(), texttemplate="%{text:,}"))
    figure.update_layout(title=t("rf_title"))
    section.add_chart(figure, height=360)
    section.add_table(segments, caption=t("segments_caption"))


def value_section(report: Report, spread: dict[str, Any] | None, bins: list[dict[str, Any]],
                  top: pd.DataFrame, *, model: str | None, config: dict[str, Any],
                  interval_method: str, clv_definition: str, equity: float,
                  mean_clv: float) -> None:
    """CLV distribution, customer equity, and the most valuable customers. ``spread`` and
    ``bins`` are the dashboard's (:func:`valuecrm.views.dashboard.clv_spread` and
    :func:`~valuecrm.views.dashboard.clv_histogram`), ``equity`` and ``mean_clv`` the
    snapshot's figures (:func:`valuecrm.views.headline`): the CLI, the API and the dashboard
    show the same."""
    import plotly.graph_objects as go

    t = report.t
    horizon = config.get("horizon_months", 12)
    rate = config.get("discount_rate", 0.10)
    level = config.get("interval_level", 0.9)
    if t.zh:  # the stored English notes, said again from the settings
        interval_method = t("clv_interval_zh", level=f"{level:.0%}")
    section = report.section(
        t("clv_title"), intro=t("clv_intro", horizon=f"{horizon:g}", rate=f"{rate:.0%}"),
        method=t("clv_method", definition=clv_definition, model=model_name(model, t),
                 interval=interval_method),
        source=f"{MODEL_SOURCES.get(model or '', model_name(model, t))}; {GG_2005}.",
    )
    if spread is None:
        section.add_text(t("no_clv"))
        return
    section.figures += [
        Figure(t("equity_current"), f"{equity:,.0f}",
               t("sum_of_clvs", n=f"{spread['customers']:,}")),
        Figure(t("mean_clv"), f"{mean_clv:,.2f}"),
        Figure(t("median_clv"), f"{spread['median']:,.2f}"),
        Figure(t("top_share"), f"{spread['top_share']:.0%}"),
    ]
    figure = go.Figure(go.Bar(x=[(b["from"] + b["to"]) / 2 for b in bins],
                              y=[b["customers"] for b in bins],
                              width=[b["to"] - b["from"] for b in bins],
                              marker_color="#486581", name=t("customers")))
    figure.update_layout(title=t("clv_distribution"), xaxis_title="CLV",
                         yaxis_title=t("customers"))
    section.add_chart(figure)

    def bounds(name: str, digits: int = 2) -> list[str]:
        """The ``level`` interval of column ``name`` (``name_lower`` to ``name_upper``)."""
        return ["" if pd.isna(lo) or pd.isna(hi) else t(
            "interval_value", low=f"{lo:,.{digits}f}", high=f"{hi:,.{digits}f}")
            for lo, hi in zip(top[f"{name}_lower"], top[f"{name}_upper"], strict=True)]

    shown_level = f"{level:.0%}"
    shown = pd.DataFrame({
        "customer": top["customer_id"], "segment": top["rfm_segment"].map(t.label),
        "purchases": top["n_purchases"], "days since last": top["days_since_last"],
        "revenue": top["revenue"].map(_money), "P(alive)": top["p_alive"].map(_money),
        t("p_alive_interval_column", level=shown_level): bounds("p_alive"),
        "expected purchases": top["expected_purchases"].map(_money),
        t("expected_interval_column", level=shown_level): bounds("expected_purchases"),
        "CLV": top["clv"].map(_money),
        t("clv_interval_column", level=shown_level): bounds("clv"),
    })
    section.add_table(shown, caption=t("top_caption"))


def _money(value: Any) -> str:
    return "" if pd.isna(value) else f"{value:,.2f}"


def groups_section(report: Report, groups: dict[str, pd.DataFrame], *, method: str,
                   source: str, intro: str, current_value: str = "current value") -> None:
    """Status, lifecycle stage, value-matrix quadrant and pyramid tier: counts and value
    (``current_value``: the header of that column, which says when it is revenue)."""
    import plotly.graph_objects as go

    t = report.t
    section = report.section(t("groups_title"), intro=intro, method=method, source=source)
    for title, frame in groups.items():
        labels = group_labels(frame, t)
        figure = go.Figure(go.Bar(x=labels, y=frame["customers"], name=t("customers"),
                                  text=frame["share"].map("{:.1%}".format)))
        figure.update_layout(title=t("group_customers", title=title),
                             yaxis_title=t("customers"))
        section.add_chart(figure, height=320)
        section.add_table(pd.DataFrame({
            "group": labels, "customers": frame["customers"],
            "share": frame["share"].map("{:.1%}".format),
            current_value: frame["current_value"].round(0),
            "CLV": frame["clv"].round(0),
            "CLV share": frame["clv_share"].map(_percent),
        }), caption=title)


def _percent(value: Any) -> str:
    return "" if value is None or value != value else f"{value:.1%}"


def models_section(report: Report, *, model: str | None, reason: str,
                   ranking: list[dict[str, Any]], holdout: dict[str, Any],
                   tracking: dict[str, Any] | None = None,
                   choice: dict[str, Any] | None = None) -> None:
    """Ranking of the purchase models on the holdout period: errors and totals, and the weekly
    holdout tracking of every model compared (``choice``, the stored record of the model
    choice); the chosen model's cumulative tracking (``valuecrm.analysis.tracking``) when
    given."""
    import plotly.graph_objects as go

    t = report.t
    names = [r["model"] for r in ranking]
    weeks = holdout.get("holdout_weeks")
    if t.zh and ranking:  # the stored English reason, said again from the ranking
        best = min(ranking, key=lambda r: r.get("rank", 0))
        decided = ((choice or {}).get("decided_by") or "rmse").replace(" ", "_")
        reason = t("chosen_reason_zh", model=model_name(best["model"], t), n=len(ranking),
                   criterion=t(f"criterion_{decided}"))
    section = report.section(
        t("models_title"),
        intro=(t("models_intro", end=holdout["calibration_end"], weeks=f"{weeks:g}")
               if ranking and weeks else "") + t("chosen", model=model_name(model, t),
                                                 reason=reason),
        method=t("models_method"),
        source="; ".join(MODEL_SOURCES.get(m, m) for m in (names or [model or "BetaGeo"])) + ".",
    )
    if not ranking:
        return
    frame = pd.DataFrame(ranking)
    frame["model"] = frame["model"].map(model_name)
    shown = [c for c in ("rank", "model", "mae", "rmse", "rmse_gap", "rmse_gap_lower",
                         "rmse_gap_upper", "bias", "predicted_total", "actual_total",
                         "total_error", "tracking_error", "log_likelihood", "bic") if c in frame]
    section.add_table(frame[shown], caption=t("holdout_caption"))
    figure = go.Figure()
    figure.add_bar(x=frame["model"], y=frame["predicted_total"], name=t("predicted"))
    figure.add_bar(x=frame["model"], y=frame["actual_total"], name=t("actual"))
    figure.update_layout(title=t("holdout_bars"), yaxis_title=t("repeat_purchases"),
                         barmode="group")
    section.add_chart(figure, height=320)
    curves = (choice or {}).get("tracking")
    if curves and curves.get("weeks"):
        section.add_chart(holdout_tracking_figure(curves, holdout, t), height=360)
        section.add_text(t("holdout_tracking_note", n=f"{choice.get('customers') or 0:,}"))
    if tracking:
        section.add_chart(tracking_figure(tracking, t), height=360)
        section.add_text(t("tracking_note", model=model_name(tracking["model"], t),
                           n=f"{tracking['customers']:,}", end=tracking["calibration_end"]))


def holdout_tracking_figure(curves: dict[str, Any], holdout: dict[str, Any],
                            t: ReportWords | None = None) -> Any:
    """Actual and each model's expected cumulative repeat purchases, week by week over the
    holdout (the curves of :func:`valuecrm.evaluate_holdout`, stored by the model choice)."""
    import plotly.graph_objects as go

    t = t or ReportWords("en")
    figure = go.Figure()
    figure.add_scatter(x=curves["weeks"], y=curves["actual"], name=t("actual"), mode="lines",
                       line={"color": "black"})
    for name, values in curves["expected"].items():
        figure.add_scatter(x=curves["weeks"], y=values, mode="lines", line={"dash": "dash"},
                           name=t("expected_model", model=model_name(name, t)))
    figure.update_layout(title=t("holdout_tracking_title"), yaxis_title=t("cumulative"),
                         xaxis_title=t("weeks_after", end=holdout.get("calibration_end", "")))
    return figure


def tracking_figure(tracking: dict[str, Any], t: ReportWords | None = None) -> Any:
    """Actual and expected cumulative repeat purchases, the holdout start marked."""
    import plotly.graph_objects as go

    t = t or ReportWords("en")
    figure = go.Figure()
    figure.add_scatter(x=tracking["dates"], y=tracking["actual"], name=t("actual"),
                       mode="lines")
    figure.add_scatter(x=tracking["dates"], y=tracking["expected"],
                       name=t("expected_model", model=model_name(tracking["model"], t)),
                       mode="lines", line={"dash": "dash"})
    figure.add_vline(x=tracking["calibration_end"], line={"color": "grey", "dash": "dot"})
    figure.update_layout(title=t("tracking_title"), yaxis_title=t("cumulative"),
                         xaxis=date_axis(t) | {"title": t("holdout_from",
                                                           end=tracking["calibration_end"])})
    return figure


def parameters_section(report: Report, parameters: dict[str, Any], *, as_of: str) -> None:
    """Fitted parameters with standard errors and their stored 95% profile-likelihood
    intervals (:func:`~valuecrm.models.uncertainty.stored_parameter_intervals`; the log-scale
    Wald interval for snapshots stored before, and the method says so)."""
    fits = {name: fit for name, fit in parameters.items()
            if isinstance(fit, dict) and "params" in fit}
    t = report.t
    profile = all(stored_parameter_intervals(fit)[1] == parameter_interval_method()
                  for fit in fits.values())
    section = report.section(
        t("parameters_title"), intro=t("parameters_intro", as_of=as_of),
        method=t("parameters_method" if profile else "parameters_method_wald"),
        source="; ".join(MODEL_SOURCES.get(name, name) for name in fits) + ".",
    )
    rows = []
    for name, fit in fits.items():
        errors = fit.get("standard_errors") or {}
        bounds, _ = stored_parameter_intervals(fit)
        for parameter, estimate in fit["params"].items():
            se = errors.get(parameter)
            low, high = (None if math.isnan(v) else v for v in bounds[parameter])
            rows.append({"model": model_name(name), "parameter": parameter,
                         "estimate": estimate, "SE": se, "lower 95%": low, "upper 95%": high,
                         "log-likelihood": fit.get("log_likelihood"),
                         "customers": fit.get("n_customers")})
    if rows:
        section.add_table(pd.DataFrame(rows), caption=t("estimates"), max_rows=50)
    else:
        section.add_text(t("no_model"))
