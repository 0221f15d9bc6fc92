"""The voice of the customer (客户之声) from the stored survey answers: NPS overall, over time
and by segment, CSAT and mean scores, the satisfaction index, the importance-performance map
and the key drivers; the same answers as ``valuecrm voice nps|pls`` without a FILE
(:mod:`valuecrm.views.voice_scores`, :mod:`valuecrm.views.voice_index`).

Every figure is an aggregate, open to viewers; the questionnaires themselves (who answered,
free text) are personal data, for analysts and admins only."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from valuecrm.interfaces.api.auth import Analyst, Viewer
from valuecrm.interfaces.api.params import SnapshotQuery, snapshot_key
from valuecrm.interfaces.api.state import server_state
from valuecrm.reports.group_figures import GROUPINGS
from valuecrm.views.voice_index import voice_drivers, voice_index, voice_ipma
from valuecrm.views.voice_scores import (
    voice_nps,
    voice_nps_by_segment,
    voice_nps_trend,
    voice_responses,
    voice_scores,
)

router = APIRouter(prefix="/voice", tags=["voice of the customer"])
Survey = Annotated[str | None, Query(max_length=100, description=(
    "Keep one survey (its stored name, e.g. nps-2024q3); default: every stored answer."))]
Level = Annotated[float, Query(ge=0.5, le=0.999, description="Confidence level.")]
Grouping = Literal[tuple(GROUPINGS)]  # type: ignore[valid-type]


@router.get("/nps")
def nps(user: Viewer, request: Request, survey: Survey = None, level: Level = 0.95
        ) -> dict[str, Any]:
    """The NPS of every stored answer to the 0-10 question `nps`: promoters, passives,
    detractors (counts and shares), the NPS and its interval (Reichheld 2003; multinomial
    variance of pP - pD): what `valuecrm voice nps --json` prints without a FILE."""
    with server_state(request).session() as database:
        return voice_nps(database, survey=survey, level=level)


@router.get("/nps/trend")
def nps_trend(user: Viewer, request: Request,
              by: Annotated[Literal["wave", "quarter"], Query(description=(
                  "wave: the stored survey name; quarter: the calendar quarter of the "
                  "answer."))] = "wave",
              survey: Survey = None, level: Level = 0.95) -> dict[str, Any]:
    """The NPS of each survey wave or quarter with its interval, oldest first, and the change
    from the previous period to the last with its interval."""
    with server_state(request).session() as database:
        return voice_nps_trend(database, by=by, survey=survey, level=level)


@router.get("/nps/segments")
def nps_by_segment(user: Viewer, request: Request,
                   by: Annotated[Grouping, Query(description=(
                       "The grouping of the customer value table."))] = "rfm_segment",
                   snapshot: SnapshotQuery = "latest", survey: Survey = None,
                   level: Level = 0.95) -> dict[str, Any]:
    """The NPS of each group of a snapshot (the latest by default), respondents joined to it
    on customer_id, with intervals; answers that link to no customer are counted apart."""
    with server_state(request).session() as database:
        return voice_nps_by_segment(database, by=by, snapshot=snapshot_key(snapshot),
                                    survey=survey, level=level)


@router.get("/scores")
def scores(user: Viewer, request: Request, survey: Survey = None, level: Level = 0.95
           ) -> dict[str, Any]:
    """CSAT (top-2-box, Wilson interval) and the mean answer (t interval, and on 0-100) of
    each standard 1-10 question."""
    with server_state(request).session() as database:
        return voice_scores(database, survey=survey, level=level)


@router.get("/index")
def index(user: Viewer, request: Request, survey: Survey = None) -> dict[str, Any]:
    """The satisfaction index by PLS path modelling on the standard questions (ECSI structure
    without Complaints, one question per construct, path scheme): paths and R² with bootstrap
    intervals (1,000 resamples, seed 0), and each construct's 0-100 index with its interval:
    what `valuecrm voice pls --json` prints without a FILE."""
    with server_state(request).session() as database:
        return voice_index(database, survey=survey)


@router.get("/ipma")
def ipma(user: Viewer, request: Request,
         target: Annotated[Literal["Satisfaction", "Loyalty"], Query(description=(
             "The construct whose drivers are mapped."))] = "Satisfaction",
         survey: Survey = None) -> dict[str, Any]:
    """The importance-performance map (Ringle & Sarstedt 2016): per driver its total effect
    on the target's 0-100 score, its 0-100 performance and its quadrant (keep up the good
    work, concentrate here, low priority, possible overkill)."""
    with server_state(request).session() as database:
        return voice_ipma(database, target=target, survey=survey)


@router.get("/drivers")
def drivers(user: Viewer, request: Request, survey: Survey = None) -> dict[str, Any]:
    """The key drivers of NPS: each standard question's Shapley (LMG) share of R² in the
    regression of the 0-10 recommendation, with bootstrap intervals, performance and
    quadrant."""
    with server_state(request).session() as database:
        return voice_drivers(database, survey=survey)


@router.get("/responses")
def responses(user: Analyst, request: Request, survey: Survey = None,
              limit: Annotated[int, Query(ge=1, le=1000)] = 100,
              offset: Annotated[int, Query(ge=0, le=10**9)] = 0) -> dict[str, Any]:
    """The questionnaires one by one, newest first: who answered, when, every answer and the
    free text. Personal data: analysts and admins only (viewers get 403)."""
    with server_state(request).session() as database:
        return voice_responses(database, survey=survey, limit=limit, offset=offset)
