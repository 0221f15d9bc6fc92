"""The report's "Voice of the customer / 客户之声" section: NPS and its trend, NPS by RFM
segment, CSAT and mean scores, the satisfaction index with its intervals, the importance-
performance map of Satisfaction and the key drivers of NPS (the figures of
:mod:`valuecrm.views.voice_scores` and :mod:`valuecrm.views.voice_index`, as on the dashboard's
page and in ``valuecrm voice``). Left out when the database holds no survey answers."""

from __future__ import annotations

from typing import Any

import pandas as pd

from valuecrm.errors import ValueCRMError
from valuecrm.report.html import Figure, Report, Section
from valuecrm.report.voice_value_parts import (
    loyalty_part,
    loyalty_quadrants,
    perceived_value,
    value_part,
)
from valuecrm.report.words import ReportWords
from valuecrm.views.voice_index import RESAMPLES, SEED, voice_drivers, voice_index, voice_ipma
from valuecrm.views.voice_scores import (
    survey_status,
    voice_nps,
    voice_nps_by_segment,
    voice_nps_trend,
    voice_scores,
)
from valuecrm.voice.specifications import STORED_QUESTIONS

BAND = "rgba(37, 99, 235, 0.15)"
CORNERS = {"keep up the good work": (1, 1), "concentrate here": (0, 1),
           "low priority": (0, 0), "possible overkill": (1, 0)}


def _name(t: ReportWords, construct_or_question: str) -> str:
    construct = STORED_QUESTIONS.get(construct_or_question, construct_or_question)
    return t(f"voice_c_{construct}")


def _interval(t: ReportWords, lower: float | None, upper: float | None, digits: int) -> str:
    if lower is None or upper is None:
        return ""
    return f"{lower:.{digits}f} – {upper:.{digits}f}"


def _quarter(t: ReportWords, period: str) -> str:
    year, quarter = period.split("Q")
    return f"{year}年第{quarter}季度" if t.zh else f"{year} Q{quarter}"


def _trend(section: Section, t: ReportWords, trend: dict[str, Any]) -> None:
    import plotly.graph_objects as go

    groups = trend["groups"]
    x = [_quarter(t, g["period"]) for g in groups]
    figure = go.Figure([
        go.Scatter(x=x, y=[g["upper"] for g in groups], mode="lines", line={"width": 0},
                   showlegend=False, hoverinfo="skip"),
        go.Scatter(x=x, y=[g["lower"] for g in groups], mode="lines", line={"width": 0},
                   fill="tonexty", fillcolor=BAND, name=t("voice_band"), hoverinfo="skip"),
        go.Scatter(x=x, y=[g["nps"] for g in groups], mode="lines+markers", name="NPS"),
    ])
    figure.update_layout(title=t("voice_trend_title"), yaxis_title="NPS",
                         xaxis={"type": "category"})
    section.add_chart(figure, height=340)
    change = trend["change"]
    if change:
        section.add_text(t("voice_change", before=_quarter(t, change["from"]),
                           last=_quarter(t, change["to"]), change=f"{change['difference']:+.1f}",
                           lower=f"{change['lower']:.1f}", upper=f"{change['upper']:.1f}"))


def _segments(section: Section, t: ReportWords, found: dict[str, Any]) -> None:
    if not found["groups"]:
        return
    table = pd.DataFrame({
        t("voice_h_group"): [t.label(g["group"]) for g in found["groups"]],
        t("voice_h_answers"): [g["n"] for g in found["groups"]],
        "NPS": [round(g["nps"], 1) for g in found["groups"]],
        t("voice_h_interval"): [_interval(t, g["lower"], g["upper"], 1)
                                for g in found["groups"]]})
    section.add_table(table, caption=t("voice_segments_caption", sid=found["snapshot_id"],
                                       unlinked=f"{found['unlinked']:,}"), max_rows=30)


def _scores(section: Section, t: ReportWords, found: dict[str, Any]) -> None:
    rows = found["questions"]
    section.add_table(pd.DataFrame({
        t("voice_h_question"): [_name(t, q["question"]) for q in rows],
        t("voice_h_answers"): [q["n"] for q in rows],
        t("voice_h_csat"): [round(q["csat"], 1) for q in rows],
        t("voice_h_interval"): [_interval(t, q["csat_lower"], q["csat_upper"], 1) for q in rows],
        t("voice_h_mean"): [round(q["mean"], 2) for q in rows],
        t("voice_h_mean_100"): [round(q["mean_0_100"], 1) for q in rows]}),
        caption=t("voice_scores_caption"))


def _index(section: Section, t: ReportWords, found: dict[str, Any]) -> None:
    import plotly.graph_objects as go

    rows = found["indices"]
    figure = go.Figure(go.Bar(
        y=[_name(t, r["construct"]) for r in rows], x=[r["index"] for r in rows],
        orientation="h", error_x={"type": "data", "symmetric": False,
                                  "array": [r["upper"] - r["index"] for r in rows],
                                  "arrayminus": [r["index"] - r["lower"] for r in rows]}))
    figure.update_layout(title=t("voice_index_title"), xaxis={"range": [0, 100]},
                         yaxis={"autorange": "reversed"})
    section.add_chart(figure, height=320)
    section.add_table(pd.DataFrame({
        t("voice_h_path"): [f"{_name(t, p['source'])} → {_name(t, p['target'])}"
                            for p in found["paths"]],
        t("voice_h_coefficient"): [round(p["coefficient"], 3) for p in found["paths"]],
        t("voice_h_interval"): [_interval(t, p["lower"], p["upper"], 3)
                                for p in found["paths"]]}),
        caption=t("voice_paths_caption", n=f"{found['respondents']:,}"))


def _ipma(section: Section, t: ReportWords, found: dict[str, Any]) -> None:
    import plotly.graph_objects as go

    rows = found["table"]
    xs, ys = [r["performance"] for r in rows], [r["importance"] for r in rows]
    x_pad = max(2.0, (max(xs) - min(xs)) * 0.3)
    y_pad = max(0.02, (max(ys) - min(ys)) * 0.35)
    x_range = [min(*xs, found["performance_cut"]) - x_pad,
               max(*xs, found["performance_cut"]) + x_pad]
    y_range = [min(*ys, found["importance_cut"]) - y_pad,
               max(*ys, found["importance_cut"]) + y_pad]
    figure = go.Figure(go.Scatter(x=xs, y=ys, mode="markers+text", textposition="top center",
                                  text=[_name(t, r["construct"]) for r in rows],
                                  marker={"size": 11}))
    figure.add_vline(x=found["performance_cut"], line={"color": "grey", "dash": "dot"})
    figure.add_hline(y=found["importance_cut"], line={"color": "grey", "dash": "dot"})
    for quadrant, (right, top) in CORNERS.items():
        figure.add_annotation(x=x_range[right], y=y_range[top], showarrow=False,
                              text=f"<b>{t('voice_q_' + quadrant)}</b>",
                              xanchor="right" if right else "left",
                              yanchor="top" if top else "bottom")
    figure.update_layout(title=t("voice_ipma_title"),
                         xaxis={"range": x_range, "title": t("voice_performance")},
                         yaxis={"range": y_range, "title": t("voice_importance")})
    section.add_chart(figure, height=420)
    section.add_table(pd.DataFrame({
        t("voice_h_construct"): [_name(t, r["construct"]) for r in rows],
        t("voice_h_importance"): [round(r["importance"], 3) for r in rows],
        t("voice_h_total_effect"): [round(r["total_effect"], 3) for r in rows],
        t("voice_h_interval"): [_interval(t, r["lower"], r["upper"], 3) for r in rows],
        t("voice_h_performance"): [round(r["performance"], 1) for r in rows],
        t("voice_h_quadrant"): [t("voice_q_" + r["quadrant"]) for r in rows]}),
        caption=t("voice_ipma_caption"))


def _drivers(section: Section, t: ReportWords, found: dict[str, Any]) -> None:
    rows = found["items"]
    section.add_table(pd.DataFrame({
        t("voice_h_question"): [_name(t, r["item"]) for r in rows],
        t("voice_h_share"): [round(r["share"], 1) for r in rows],
        t("voice_h_importance"): [round(r["importance"], 3) for r in rows],
        t("voice_h_interval"): [_interval(t, r["lower"], r["upper"], 3) for r in rows],
        t("voice_h_beta"): [round(r["beta"], 3) for r in rows],
        t("voice_h_performance"): [round(r["performance"], 1) for r in rows],
        t("voice_h_quadrant"): [t("voice_q_" + r["quadrant"]) for r in rows]}),
        caption=t("voice_drivers_caption", r2=f"{found['r_squared']:.3f}",
                  n=f"{found['respondents']:,}"))


def voice_section(report: Report, database: Any, snapshot_id: int, *,
                  path: str | None = None) -> bool:
    """Add the section (segments from snapshot ``snapshot_id``); False (nothing added) when the
    database holds no survey answers. A part the answers cannot give (too few respondents for
    the model...) is replaced by a line saying why."""
    t = report.t
    status = survey_status(database)
    if not status["nps_answers"]:
        return False
    section = report.section(
        t("voice_title"),
        intro=t("voice_intro", n=f"{status['questionnaires']:,}",
                surveys=f"{status['surveys']:,}", first=status["first"][:10],
                last=status["last"][:10]),
        method=t("voice_method", n=f"{RESAMPLES:,}", seed=SEED),
        source=t("voice_source", path=path or t("the_database"), sid=snapshot_id))
    overall = voice_nps(database)
    section.figures += [
        Figure(t("voice_nps"), f"{overall['nps']:.1f}",
               t("voice_nps_how", level=f"{overall['level']:.0%}", lower=f"{overall['lower']:.1f}",
                 upper=f"{overall['upper']:.1f}", n=f"{overall['n']:,}")),
        Figure(t("voice_promoters"), f"{overall['promoter_share']:.1%}"),
        Figure(t("voice_detractors"), f"{overall['detractor_share']:.1%}")]
    parts = [
        (lambda: voice_nps_trend(database, by="quarter"), _trend),
        (lambda: voice_nps_by_segment(database, snapshot=snapshot_id), _segments),
        (lambda: voice_scores(database), _scores),
        (lambda: voice_index(database), _index),
        (lambda: voice_ipma(database, target="Satisfaction"), _ipma),
        (lambda: voice_drivers(database), _drivers),
        (lambda: perceived_value(database, snapshot_id), value_part),
        (lambda: loyalty_quadrants(database, snapshot_id), loyalty_part),
    ]
    for compute, show in parts:
        try:
            found = compute()
        except ValueCRMError as error:
            section.add_text(t("voice_unavailable", message=error.message))
            continue
        show(section, t, found)
        if show is _index:
            for row in found["indices"]:
                if row["construct"] in ("Satisfaction", "Loyalty"):
                    section.figures.append(Figure(
                        t("voice_index_of", construct=_name(t, row["construct"])),
                        f"{row['index']:.1f}",
                        t("voice_index_how", lower=f"{row['lower']:.1f}",
                          upper=f"{row['upper']:.1f}")))
    return True
