"""The analysis pages: overview, RFM, value, lifecycle and models (one snapshot each)."""

from __future__ import annotations

import math
from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from valuecrm.interfaces.api.state import cursor, server_state
from valuecrm.interfaces.web import charts, model_charts, queries
from valuecrm.interfaces.web.cohorts import retention_figure
from valuecrm.interfaces.web.rendering import Page, open_page, render_page
from valuecrm.models.uncertainty import parameter_interval_method, stored_parameter_intervals
from valuecrm.segments.rfm_names import RFM_CLASSES, SEGMENTS
from valuecrm.segments.value_table_names import (
    LADDER,
    QUADRANTS,
    STAGES,
    STATUSES,
    TIERS,
    VALUE_CLASSES,
)
from valuecrm.views import model_figures
from valuecrm.views.campaigns import actions_tried

router = APIRouter(include_in_schema=False)
Cursor = Annotated[duckdb.DuckDBPyConnection, Depends(cursor)]


def _order(labels: Any) -> list[str]:
    return [x.name_en for x in labels]


def _tried(request: Request, on: str) -> list[dict[str, Any]]:
    """The campaigns whose target was a group of ``on`` (segment, tier, status)."""
    with server_state(request).session() as database:
        return actions_tried(database, on)["campaigns"]


def _label_bars(page: Page, groups: list[dict[str, Any]], *, horizontal: bool = False,
                ) -> dict[str, Any]:
    t = page.t
    return charts.bars([t.label(g["group"]) for g in groups], [g["customers"] for g in groups],
                       t, value_title=t("count"), horizontal=horizontal,
                       colors=charts.PALETTE[:len(groups)])


@router.get("/overview")
def overview(request: Request, cur: Cursor) -> Response:
    page = open_page(request, cur)
    if not isinstance(page, Page) or page.snapshot is None:
        return page if not isinstance(page, Page) else render_page(page, "", "overview")
    t, sid = page.t, page.snapshot.snapshot_id
    statuses = queries.ordered(queries.counts_by(cur, sid, "status"), _order(STATUSES))
    trend = queries.trends(cur) if len(page.snapshots) > 1 else []
    figures = {
        "clv_hist": charts.histogram(queries.clv_histogram(cur, sid), t),
        "status": charts.donut([t.label(g["group"]) for g in statuses],
                               [g["customers"] for g in statuses]),
    }
    if trend:
        figures["trends"] = charts.lines([t.date(r["as_of"]) for r in trend], {
            t("n_customers"): [r["customers"] for r in trend],
            t("active_customers"): [r["active_customers"] for r in trend]})
    return render_page(page, "overview.html", "overview", figures=figures,
                       headline=queries.headline(cur, sid), statuses=statuses,
                       tried=_tried(request, "status"))


@router.get("/rfm")
def rfm(request: Request, cur: Cursor) -> Response:
    page = open_page(request, cur)
    if not isinstance(page, Page) or page.snapshot is None:
        return page if not isinstance(page, Page) else render_page(page, "", "rfm")
    t, sid = page.t, page.snapshot.snapshot_id
    segments = queries.ordered(queries.counts_by(cur, sid, "rfm_segment"), _order(SEGMENTS))
    labels = {s.name_en: s for s in SEGMENTS}
    table = [{**g, "label": labels.get(g["group"])} for g in segments]
    classes = queries.ordered(queries.counts_by(cur, sid, "rfm_class"),
                              [c.name_zh for c in RFM_CLASSES])
    class_labels = {c.name_zh: c for c in RFM_CLASSES}
    figures = {
        "rf": charts.rf_heatmap(queries.rf_grid(cur, sid), t),
        "treemap": charts.treemap([t.label(g["group"]) for g in segments],
                                  [g["customers"] for g in segments], t),
    }
    total = sum(g["customers"] for g in segments) or 1
    return render_page(page, "rfm.html", "rfm", figures=figures, segments=table, total=total,
                       classes=[{**g, "label": class_labels.get(g["group"])} for g in classes],
                       tried=_tried(request, "segment"))


@router.get("/value")
def value(request: Request, cur: Cursor) -> Response:
    page = open_page(request, cur)
    if not isinstance(page, Page) or page.snapshot is None:
        return page if not isinstance(page, Page) else render_page(page, "", "value")
    t, sid = page.t, page.snapshot.snapshot_id
    points = queries.scatter_sample(cur, sid)
    tiers = queries.ordered(queries.counts_by(cur, sid, "tier"), _order(TIERS))
    classes = queries.ordered(queries.counts_by(cur, sid, "value_class"), _order(VALUE_CLASSES))
    quadrants = queries.ordered(queries.counts_by(cur, sid, "quadrant"), _order(QUADRANTS))
    figures = {
        "matrix": charts.value_matrix(points, queries.quadrant_cuts(cur, sid), t,
                                      [(q.name_en, t.label(q.name_en)) for q in QUADRANTS],
                                      page.snapshot.margin_known),
        "pyramid": charts.pyramid([t.label(g["group"]) for g in tiers],
                                  [g["customers"] for g in tiers]),
        "classes": _label_bars(page, classes),
    }
    strategies = {q.name_en: q.action_en for q in QUADRANTS}
    return render_page(page, "value.html", "value", figures=figures, sampled=len(points),
                       headline=queries.headline(cur, sid), classes=classes,
                       quadrants=[{**g, "strategy": strategies.get(g["group"])}
                                  for g in quadrants], tried=_tried(request, "tier"))


@router.get("/lifecycle")
def lifecycle(request: Request, cur: Cursor) -> Response:
    page = open_page(request, cur)
    if not isinstance(page, Page) or page.snapshot is None:
        return page if not isinstance(page, Page) else render_page(page, "", "lifecycle")
    t, sid = page.t, page.snapshot.snapshot_id
    stages = queries.ordered(queries.counts_by(cur, sid, "lifecycle_stage"), _order(STAGES))
    ladder = queries.ordered(queries.counts_by(cur, sid, "loyalty_stage"), _order(LADDER))
    figures = {"stages": _label_bars(page, stages), "ladder": _label_bars(page, ladder,
                                                                          horizontal=True)}
    if len(page.snapshots) > 1:
        moves = queries.migration(cur, page.snapshots[-2].snapshot_id, sid)
        names = [s.name_en for s in SEGMENTS]
        cell = {(m["previous"], m["current"]): m["customers"] for m in moves}
        figures["migration"] = charts.heatmap(
            [t.label(n) for n in names], [t.label(n) for n in names],
            [[cell.get((p, c)) for c in names] for p in names],
            x_title=t("current"), y_title=t("previous"))
    figures["cohorts"] = retention_figure(request, page.snapshot, t)
    return render_page(page, "lifecycle.html", "lifecycle", figures=figures, stages=stages)


def _shown(bound: float) -> float | None:
    """A bound as the page shows it: None where unknown (NaN); inf stays (shown as ∞)."""
    return None if math.isnan(bound) else bound


def parameter_rows(parameters: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per model and parameter: estimate, standard error, 95% interval (the stored
    profile-likelihood bounds, :func:`~valuecrm.models.uncertainty.stored_parameter_intervals`)
    and whether it is the ``profile`` likelihood's (else the log-scale Wald interval of a
    snapshot stored before)."""
    found = []
    for model, fit in parameters.items():
        if not isinstance(fit, dict) or "params" not in fit:
            continue
        errors = fit.get("standard_errors") or {}
        bounds, method = stored_parameter_intervals(fit)
        for name, estimate in fit["params"].items():
            lower, upper = (_shown(b) for b in bounds[name])
            found.append({"model": model, "name": name, "estimate": estimate,
                          "profile": method == parameter_interval_method(),
                          "se": errors.get(name), "lower": lower, "upper": upper,
                          "log_likelihood": fit.get("log_likelihood"),
                          "n_customers": fit.get("n_customers")})
    return found


@router.get("/models")
def models(request: Request, cur: Cursor) -> Response:
    page = open_page(request, cur)
    if not isinstance(page, Page) or page.snapshot is None:
        return page if not isinstance(page, Page) else render_page(page, "", "models")
    t, snapshot = page.t, page.snapshot
    ranking = snapshot.metadata.get("model_ranking") or []
    figures: dict[str, Any] = {}
    if ranking:
        figures["holdout"] = charts.grouped_bars(
            [r["model"] for r in ranking],
            {t("predicted_total"): [r.get("predicted_total") for r in ranking],
             t("actual_total"): [r.get("actual_total") for r in ranking]}, t("count"))
    matrix = queries.palive_matrix(cur, snapshot.snapshot_id)
    if matrix:
        weeks = sorted({m["weeks"] for m in matrix})
        freqs = sorted({m["frequency"] for m in matrix})
        cell = {(m["frequency"], m["weeks"]): m["p_alive"] for m in matrix}
        figures["palive"] = charts.heatmap(
            [t.number(w) for w in weeks], [str(f) for f in freqs],
            [[cell.get((f, w)) for w in weeks] for f in freqs],
            x_title=t("recency_weeks"), y_title=t("frequency"), colorscale="RdYlGn",
            text_format="%{z:.2f}", height=460)
    choice = model_figures.model_choice(snapshot)
    if choice and (choice.get("tracking") or {}).get("weeks"):
        figures["holdout_tracking"] = model_charts.holdout_tracking(choice["tracking"], t)
    tracked = model_figures.cumulative_tracking(cur, server_state(request).database.path, snapshot)
    if tracked is not None:
        figures["tracking"] = model_charts.tracking(tracked, t)
    grid = model_figures.frequency_recency(snapshot,
                                           queries.frequency_cap(cur, snapshot.snapshot_id))
    if grid is not None:
        figures["fr"] = model_charts.frequency_recency(grid, t)
    return render_page(page, "models.html", "models", figures=figures, ranking=ranking,
                       tracked=tracked, grid=grid,
                       choice=choice,
                       parameters=parameter_rows(snapshot.parameters),
                       holdout=snapshot.metadata.get("holdout") or {})
