"""The "Voice of the customer / 客户之声" page: a list of sections, each one partial template and
one view function (:class:`Section`), shown in the order of :data:`SECTIONS`.

A section's function takes the page and the open database and returns its template's context
(its charts under ``figures``); a :class:`~valuecrm.errors.ValueCRMError` it raises (too few
answers for a model...) is shown in the section's place, so one section never takes the page
down. A database without survey answers gets a page that says how to load them, followed by
the sections that need none (``needs_answers=False``: complaints and service recovery, the
journey, from the complaints and interactions tables).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

import duckdb
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from valuecrm.errors import ValueCRMError
from valuecrm.interfaces.api.state import cursor, server_state
from valuecrm.interfaces.web.rendering import Page, open_page, render, render_page
from valuecrm.interfaces.web.voice_sections import (
    chosen_survey,
    construct_name,
    drivers_section,
    index_section,
    ipma_section,
    nps_section,
    quadrant_name,
)
from valuecrm.interfaces.web.voice_service import journey_section, recovery_section
from valuecrm.interfaces.web.voice_value_sections import (
    dimension_name,
    loyalty_quadrant_name,
    quadrants_section,
    value_section,
)
from valuecrm.store.csv_export import CSV_MEDIA_TYPE
from valuecrm.store.users import record_audit
from valuecrm.views.privacy import shows_personal_data
from valuecrm.views.voice_scores import survey_status
from valuecrm.views.voice_survey import quadrant_file

router = APIRouter(include_in_schema=False)
Cursor = Annotated[duckdb.DuckDBPyConnection, Depends(cursor)]


@dataclass(frozen=True)
class Section:
    """One section of the page: ``name`` (its anchor, ``#voice-<name>``, and its title, the
    label ``voice_<name>``), its partial ``template`` (under ``templates/voice/``) and
    ``build(page, database)``, the context of the template."""

    name: str
    template: str
    build: Callable[[Page, Any], dict[str, Any]]
    needs_answers: bool = True  # False: drawn from other tables, shown without survey answers


# the page, top to bottom; a new section adds one line here
SECTIONS: tuple[Section, ...] = (
    Section("nps", "voice/_nps.html", nps_section),
    Section("index", "voice/_index.html", index_section),
    Section("ipma", "voice/_ipma.html", ipma_section),
    Section("drivers", "voice/_drivers.html", drivers_section),
    Section("value", "voice/_value.html", value_section),
    Section("loyalty", "voice/_loyalty.html", quadrants_section),
    Section("recovery", "voice/_recovery.html", recovery_section, needs_answers=False),
    Section("journey", "voice/_journey.html", journey_section, needs_answers=False),
)


@dataclass
class Built:
    """A section as shown: its context, or the error that kept it from being computed."""

    section: Section
    context: dict[str, Any]
    error: str | None = None


def build_sections(page: Page, database: Any,
                   sections: tuple[Section, ...] = SECTIONS) -> tuple[list[Built], dict[str, Any]]:
    """Every section built, and all their figures in one dict (the page's charts)."""
    built, figures = [], {}
    for section in sections:
        try:
            context = section.build(page, database)
        except ValueCRMError as error:
            built.append(Built(section, {}, error.message))
            continue
        figures.update(context.get("figures", {}))
        built.append(Built(section, context))
    return built, figures


def page_query(page: Page, **changes: str | None) -> str:
    """The page's query (survey, trend, IPMA target...) with ``changes`` (None drops a key),
    as ``?a=b`` (or "" when empty): links and forms of one section keep the others' choices."""
    kept_params = {k: v for k, v in page.request.query_params.items() if k != "lang"}
    kept_params.update(changes)
    shown = {k: v for k, v in kept_params.items() if v}
    return "?" + urlencode(shown) if shown else ""


@router.get("/voice")
def voice(request: Request, cur: Cursor) -> Response:
    page = open_page(request, cur)
    if not isinstance(page, Page):
        return page
    with server_state(request).session() as database:
        status = survey_status(database, chosen_survey(page))
        shown = (SECTIONS if status["questionnaires"]
                 else tuple(s for s in SECTIONS if not s.needs_answers))
        built, figures = build_sections(page, database, shown)
    return render_page(page, "voice.html", "voice", status=status, sections=built,
                       figures=figures, may_export=shows_personal_data(page.user),
                       params={k: v for k, v in request.query_params.items() if k != "lang"},
                       query=lambda **changes: page_query(page, **changes),
                       construct_name=lambda name: construct_name(page.t, name),
                       quadrant_name=lambda name: quadrant_name(page.t, name),
                       dimension_name=lambda name: dimension_name(page.t, name),
                       loyalty_quadrant_name=lambda name: loyalty_quadrant_name(page.t, name))


@router.get("/voice/high-value-defectors.{suffix}")
def export_defectors(request: Request, cur: Cursor, suffix: Literal["csv", "parquet"]
                     ) -> Response:
    """The high-value defectors (of the chosen survey, ``?survey=``) as CSV (UTF-8 with BOM)
    or Parquet: the file of ``valuecrm voice quadrants --list defector --high-value --out``,
    for analysts and admins, written to the audit log."""
    page = open_page(request, cur)
    if not isinstance(page, Page):
        return page
    if not shows_personal_data(page.user):
        return render(request, "forbidden.html", page.t, status_code=403, user=page.user,
                      active="voice", figures=None)
    survey = chosen_survey(page)
    with server_state(request).session() as database:
        survey_status(database, survey)  # a survey not stored: 404 naming those that are
        body = quadrant_file(database, suffix, quadrant="defector", high_value=True,
                             survey=survey)
    with server_state(request).write_lock:
        record_audit(cur, page.user, "export", "loyalty_quadrants", None, format=suffix,
                     quadrant="defector", high_value=True, survey=survey, via="dashboard")
    media = CSV_MEDIA_TYPE if suffix == "csv" else "application/vnd.apache.parquet"
    return Response(body, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="high-value-defectors.{suffix}"'})
