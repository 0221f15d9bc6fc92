"""Two sections of the "Voice of the customer" page: customer perceived value (顾客知觉价值)
and the satisfaction x loyalty quadrants (Jones & Sasser 1995), from
:mod:`valuecrm.views.voice_survey`; each returns its partial template's context (charts under
``figures``, ids starting ``voice-value-`` and ``voice-loyalty-``)."""

from __future__ import annotations

from typing import Any

from valuecrm.interfaces.web import voice_charts
from valuecrm.interfaces.web.charts import PALETTE, Figure, axis, layout
from valuecrm.interfaces.web.i18n import Translator
from valuecrm.interfaces.web.rendering import Page
from valuecrm.interfaces.web.voice_sections import chosen_survey
from valuecrm.views.answer_cache import kept
from valuecrm.views.voice_survey import perceived_value_summary, quadrant_summary
from valuecrm.voice.quadrants import LOYALTY_QUADRANTS
from valuecrm.voice.stored_answers import answers_state

PAGE_RESAMPLES, PAGE_SEED = 200, 0  # the page's bootstrap of the perceived value weights


def dimension_name(t: Translator, name: str) -> str:
    key = f"voice_value_dim_{name}"
    return t(key) if key in t.catalogue else name.replace("_", " ")


def loyalty_quadrant_name(t: Translator, name: str) -> str:
    return t(f"voice_loyalty_{name}")


def value_section(page: Page, database: Any) -> dict[str, Any]:
    """The weights of the benefit and sacrifice dimensions with their intervals, and value =
    benefits / sacrifices by pyramid tier, with the change of the weights between waves."""
    t, survey = page.t, chosen_survey(page)
    found = kept(database, "voice_value_section",
                 lambda: perceived_value_summary(database, survey=survey,
                                                 n_boot=PAGE_RESAMPLES, seed=PAGE_SEED),
                 survey, answers_state(database))
    weights = found["weights"]
    figures = {"voice-value-weights": voice_charts.estimates_with_intervals(
        [f"{dimension_name(t, w['dimension'])} ({t('voice_value_' + w['side'])})"
         for w in weights], [w["coefficient"] for w in weights],
        [w["lower"] for w in weights], [w["upper"] for w in weights],
        value_title=t("voice_value_weight"))}
    segments = found["segments"]
    if segments:
        figures["voice-value-segments"] = voice_charts.estimates_with_intervals(
            [t.label(s["group"]) for s in segments], [s["value"] for s in segments],
            [s["lower"] for s in segments], [s["upper"] for s in segments],
            value_title=t("voice_value_ratio"),
            hover=[f"{t('voice_answers')} {s['respondents']:,}" for s in segments])
    return {"found": found, "figures": figures, "resamples": PAGE_RESAMPLES}


def _quadrant_chart(t: Translator, rows: list[dict[str, Any]]) -> Figure:
    names = [loyalty_quadrant_name(t, r["quadrant"]) for r in rows]
    others = [r["customers"] - r["high_value"] for r in rows]
    return {"data": [
        {"type": "bar", "x": names, "y": [r["high_value"] for r in rows],
         "name": t("voice_loyalty_high_value"), "marker": {"color": PALETTE[0]}},
        {"type": "bar", "x": names, "y": others, "name": t("voice_loyalty_other_value"),
         "marker": {"color": "#cbd5e1"}},
    ], "layout": layout(barmode="stack", yaxis=axis(t("voice_loyalty_customers")),
                        xaxis={"type": "category"}, showlegend=True,
                        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"})}


def quadrants_section(page: Page, database: Any) -> dict[str, Any]:
    """Customers per satisfaction x loyalty quadrant with their value in the latest snapshot
    (no customer named); analysts are shown how to export the high-value defectors."""
    t = page.t
    survey = chosen_survey(page)
    found = kept(database, "voice_loyalty_section",
                 lambda: quadrant_summary(database, survey=survey), survey,
                 answers_state(database))
    rows = {r["quadrant"]: r for r in found["quadrants"]}
    return {"found": found, "rows": rows, "order": LOYALTY_QUADRANTS,
            "figures": {"voice-loyalty-chart": _quadrant_chart(t, found["quadrants"])}}
