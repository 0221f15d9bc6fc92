"""Two parts of the report's "Voice of the customer / 客户之声" section: customer perceived
value (顾客知觉价值) and the satisfaction x loyalty quadrants (Jones & Sasser 1995), the figures
of :mod:`valuecrm.views.voice_survey` (as on the dashboard's page and in ``valuecrm voice
value|quadrants``)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from valuecrm.report.html import Section
from valuecrm.report.words import ReportWords
from valuecrm.views.voice_survey import perceived_value_summary, quadrant_summary

RESAMPLES, SEED = 1000, 0  # the bootstrap of the perceived value weights


def perceived_value(database: Any, snapshot_id: int) -> dict[str, Any]:
    return perceived_value_summary(database, n_boot=RESAMPLES, seed=SEED, snapshot=snapshot_id)


def loyalty_quadrants(database: Any, snapshot_id: int) -> dict[str, Any]:
    return quadrant_summary(database, snapshot=snapshot_id)


def _dimension(t: ReportWords, name: str) -> str:
    key = f"voice_value_dim_{name}"
    return t(key) if key in t.catalogue else name


def _interval(lower: float | None, upper: float | None, digits: int) -> str:
    return "" if lower is None or upper is None else f"{lower:.{digits}f} – {upper:.{digits}f}"


def value_part(section: Section, t: ReportWords, found: dict[str, Any]) -> None:
    """The dimension weights with intervals, value by tier, the change between waves."""
    rows = found["weights"]
    section.add_table(pd.DataFrame({
        t("voice_value_h_dimension"): [_dimension(t, w["dimension"]) for w in rows],
        t("voice_value_h_side"): [t("voice_value_" + w["side"]) for w in rows],
        t("voice_value_h_weight"): [round(w["coefficient"], 3) for w in rows],
        t("voice_h_interval"): [_interval(w["lower"], w["upper"], 3) for w in rows],
        t("voice_value_h_share"): [None if w["share"] is None else round(100 * w["share"])
                                   for w in rows]}),
        caption=t("voice_value_caption", n=f"{found['respondents']:,}",
                  r2=f"{found['r_squared']:.3f}", mean=f"{found['mean_value']:.2f}",
                  item=found["overall_item"]))
    if found["segments"]:
        section.add_table(pd.DataFrame({
            t("voice_h_group"): [t.label(s["group"]) for s in found["segments"]],
            t("voice_h_answers"): [s["respondents"] for s in found["segments"]],
            t("voice_value_h_value"): [round(s["value"], 3) for s in found["segments"]],
            t("voice_h_interval"): [_interval(s["lower"], s["upper"], 3)
                                    for s in found["segments"]]}),
            caption=t("voice_value_segments_caption"))
    if found["changes"]:
        first = found["changes"][0]
        section.add_table(pd.DataFrame({
            t("voice_value_h_dimension"): [_dimension(t, c["dimension"])
                                           for c in found["changes"]],
            t("voice_value_h_change"): [round(c["change"], 3) for c in found["changes"]],
            t("voice_h_interval"): [_interval(c.get("lower"), c.get("upper"), 3)
                                    for c in found["changes"]]}),
            caption=t("voice_value_waves_caption", first=first["from_wave"],
                      last=first["to_wave"]))


def loyalty_part(section: Section, t: ReportWords, found: dict[str, Any]) -> None:
    """Customers, answers and value per satisfaction x loyalty quadrant."""
    rows = found["quadrants"]
    section.add_table(pd.DataFrame({
        t("voice_loyalty_h_quadrant"): [t("voice_loyalty_" + r["quadrant"]) for r in rows],
        t("voice_loyalty_h_customers"): [r["customers"] for r in rows],
        t("voice_loyalty_h_share"): [None if r["share"] is None else round(100 * r["share"], 1)
                                     for r in rows],
        t("voice_loyalty_h_satisfaction"): [None if r["mean_satisfaction"] is None
                                            else round(r["mean_satisfaction"], 2) for r in rows],
        t("voice_loyalty_h_loyalty"): [None if r["mean_loyalty"] is None
                                       else round(r["mean_loyalty"], 2) for r in rows],
        t("voice_loyalty_h_clv"): [None if r["mean_clv"] is None else round(r["mean_clv"], 2)
                                   for r in rows],
        t("voice_loyalty_h_high"): [r["high_value"] for r in rows]}),
        caption=t("voice_loyalty_caption", s=f"{found['satisfaction_threshold']:g}",
                  l=f"{found['loyalty_threshold']:g}", n=f"{found['customers']:,}"))
