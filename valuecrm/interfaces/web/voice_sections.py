"""The first sections of the "Voice of the customer" page: NPS (trend and segments, CSAT), the
satisfaction index, the importance-performance map and the key drivers.

Each function takes the page and the open database and returns its partial template's context
(its charts under ``figures``, ids starting ``voice-<section>-``); the figures come from
:mod:`valuecrm.views.voice_scores` and :mod:`valuecrm.views.voice_index`.
"""

from __future__ import annotations

from typing import Any

from valuecrm.errors import NotFoundError
from valuecrm.interfaces.web import voice_charts
from valuecrm.interfaces.web.i18n import Translator
from valuecrm.interfaces.web.rendering import Page
from valuecrm.views.voice_index import RESAMPLES, SEED, voice_drivers, voice_index, voice_ipma
from valuecrm.views.voice_scores import (
    voice_nps,
    voice_nps_by_segment,
    voice_nps_trend,
    voice_scores,
)
from valuecrm.voice.ipma import QUADRANTS

QUADRANT_KEYS = dict(zip(QUADRANTS, ("voice_q_keep", "voice_q_concentrate", "voice_q_low",
                                     "voice_q_overkill"), strict=True))
QUESTION_CONSTRUCTS = {"image": "Image", "expectations": "Expectation",
                       "perceived_quality": "Quality", "perceived_value": "Value",
                       "satisfaction": "Satisfaction", "loyalty": "Loyalty"}


def construct_name(t: Translator, name: str) -> str:
    """A construct (Image, Quality...) or a question code (perceived_quality) in the page's
    language."""
    key = f"voice_c_{QUESTION_CONSTRUCTS.get(name, name)}"
    return t(key) if key in t.catalogue else name.replace("_", " ")


def quadrant_name(t: Translator, quadrant: str) -> str:
    return t(QUADRANT_KEYS[quadrant])


def chosen_survey(page: Page) -> str | None:
    """The survey the page's chooser asks for (``?survey=``; None: every stored survey)."""
    return page.request.query_params.get("survey") or None


def _quarter(t: Translator, period: str) -> str:
    """``2024Q3`` as ``2024 Q3`` or ``2024年第3季度``."""
    year, quarter = period.split("Q")
    return f"{year}年第{quarter}季度" if t.zh else f"{year} Q{quarter}"


def nps_section(page: Page, database: Any) -> dict[str, Any]:
    """The NPS with its interval, its trend by quarter (or by survey wave, ``?trend=wave``)
    with its band, by RFM segment of the latest snapshot, and CSAT and mean scores."""
    t = page.t
    by = "wave" if page.request.query_params.get("trend") == "wave" else "quarter"
    survey = chosen_survey(page)
    overall = voice_nps(database, survey=survey)
    trend = voice_nps_trend(database, by=by, survey=survey)
    labels = [g["period"] if by == "wave" else _quarter(t, g["period"]) for g in trend["groups"]]
    figures = {"voice-nps-trend": voice_charts.trend_with_band(
        labels, [g["nps"] for g in trend["groups"]], [g["lower"] for g in trend["groups"]],
        [g["upper"] for g in trend["groups"]], value_title=t("voice_nps_overall"),
        band_name=t("voice_band"),
        hover=[f"{t('voice_answers')} {g['n']:,}" for g in trend["groups"]])}
    segments = None
    if page.snapshot is not None:
        try:
            segments = voice_nps_by_segment(database, survey=survey)
        except NotFoundError:
            segments = None
    if segments and segments["groups"]:
        groups = segments["groups"]
        figures["voice-nps-segments"] = voice_charts.estimates_with_intervals(
            [t.label(g["group"]) for g in groups], [g["nps"] for g in groups],
            [g["lower"] for g in groups], [g["upper"] for g in groups],
            value_title=t("voice_nps_overall"), value_range=[-100, 100],
            hover=[f"{t('voice_answers')} {g['n']:,}" for g in groups])
    change = trend["change"]
    if change:
        name = (lambda p: p) if by == "wave" else (lambda p: _quarter(t, p))
        change = {"before": name(change["from"]), "last": name(change["to"]),
                  "change": f"{change['difference']:+.1f}", "lower": f"{change['lower']:.1f}",
                  "upper": f"{change['upper']:.1f}"}
    return {"overall": overall, "trend_by": by, "change": change, "segments": segments,
            "scores": voice_scores(database, survey=survey), "figures": figures}


def index_section(page: Page, database: Any) -> dict[str, Any]:
    """The 0-100 index of each construct with its bootstrap interval, and the paths."""
    t = page.t
    found = voice_index(database, survey=chosen_survey(page))
    rows = found["indices"]
    figures = {"voice-index-chart": voice_charts.estimates_with_intervals(
        [construct_name(t, r["construct"]) for r in rows], [r["index"] for r in rows],
        [r["lower"] for r in rows], [r["upper"] for r in rows],
        value_title=t("voice_index_value"), value_range=[0, 100])}
    return {"found": found, "figures": figures, "resamples": RESAMPLES, "seed": SEED}


def ipma_section(page: Page, database: Any) -> dict[str, Any]:
    """The importance-performance map of Satisfaction (or Loyalty, ``?ipma=Loyalty``) with its
    four quadrants labelled, and its table."""
    t = page.t
    target = "Loyalty" if page.request.query_params.get("ipma") == "Loyalty" else "Satisfaction"
    found = voice_ipma(database, target=target, survey=chosen_survey(page))
    points = [{"label": construct_name(t, r["construct"]), "importance": r["importance"],
               "performance": r["performance"], "quadrant": quadrant_name(t, r["quadrant"])}
              for r in found["table"]]
    figures = {"voice-ipma-map": voice_charts.importance_performance(
        points, {"importance": found["importance_cut"],
                 "performance": found["performance_cut"]},
        {q: quadrant_name(t, q) for q in QUADRANTS},
        importance_title=t("voice_importance_short"), performance_title=t("voice_performance"))}
    return {"found": found, "target": target, "figures": figures}


def drivers_section(page: Page, database: Any) -> dict[str, Any]:
    """The key-driver table of NPS (Shapley shares of R² with intervals, quadrants)."""
    return {"found": voice_drivers(database, survey=chosen_survey(page)),
            "resamples": RESAMPLES, "figures": {}}
