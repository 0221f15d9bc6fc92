"""Surveys loaded and read back (``/api/voice/surveys``, ``/api/voice/quadrants``,
``/api/voice/perceived-value``): what ``valuecrm voice import|pls|quadrants|value`` do, from the
same functions (:mod:`valuecrm.voice.survey_import`, :mod:`valuecrm.views.voice_survey`).

Roles: analysts import surveys, list customers by quadrant and export them (written to the
audit log); viewers get aggregates only: no respondent identity (customer or response ids) and
no free text.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, File, Form, Query, Request, UploadFile
from fastapi.responses import Response

from valuecrm.errors import IngestError, ParameterError
from valuecrm.interfaces.api.auth import Analyst, Viewer
from valuecrm.interfaces.api.errors import ERROR_SCHEMA
from valuecrm.interfaces.api.params import SnapshotQuery, snapshot_key
from valuecrm.interfaces.api.routes.ingest import _save
from valuecrm.interfaces.api.state import server_state
from valuecrm.store.users import record_audit
from valuecrm.views.voice_survey import (
    perceived_value_summary,
    quadrant_customers,
    quadrant_file,
    quadrant_summary,
    stored_pls,
    stored_surveys,
)
from valuecrm.voice.quadrants import LOYALTY_QUADRANTS

router = APIRouter(prefix="/voice", tags=["voice of the customer"])

Quadrant = Literal[LOYALTY_QUADRANTS]  # type: ignore[valid-type]
SurveyQuery = Annotated[str | None, Query(max_length=200, description=(
    "Stored survey name (default: every stored survey)."))]
SatisfactionItem = Annotated[str, Query(max_length=200, description=(
    "The satisfaction question code."))]
LoyaltyItem = Annotated[str, Query(max_length=200, description=(
    "The loyalty question code (e.g. repurchase intention, or nps)."))]
Threshold = Annotated[float, Query(ge=-1000, le=1000, description=(
    "Answers at or above it are high (the item's own units; default 8, the top of a 1-10 "
    "item)."))]
_MEDIA = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}
_REFUSED = {422: {"description": "The file was refused (the report lists every bad row: row, "
                                 "column, value, reason) or cannot support the model.",
                  "content": {"application/json": {"schema": ERROR_SCHEMA}}}}


def _model_text(name: str, text: str | None) -> dict[str, Any] | None:
    if text is None or not text.strip():
        return None
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParameterError(f"The field {name!r} is not valid JSON ({exc.msg} at character "
                             f"{exc.pos}).", hint="Send the model file's content as a JSON "
                                                  "object.") from None
    if not isinstance(body, dict):
        raise ParameterError(f"The field {name!r} must be a JSON object.")
    return body


@router.post("/surveys", responses=_REFUSED)
def import_survey_file(
    user: Analyst,
    request: Request,
    file: Annotated[UploadFile, File(description=(
        "Survey export: one row per respondent, one column per item (CSV or Excel, as "
        "Qualtrics, SurveyMonkey or 问卷星 export it), or the long survey_responses form."))],
    model: Annotated[UploadFile, File(description=(
        "Survey model file (YAML, or JSON named .json): survey name, respondent, customer and "
        "time columns, constructs, paths, scales, reversed items, missing-answer rule."))],
    on_error: Annotated[Literal["reject", "skip"], Form(description=(
        "reject: refuse the whole file if any row is bad; skip: load the good rows."))]
    = "reject",
    create_customers: Annotated[bool, Form(description=(
        "Create the customers the file names and the database lacks."))] = False,
    sheet: Annotated[str | None, Form(max_length=200, description=(
        "Excel sheet (default: the first)."))] = None,
) -> dict[str, Any]:
    """Load a survey export into ``survey_responses`` (all or nothing with ``on_error=reject``)
    as `valuecrm voice import` does; answers the import report. Written to the audit log."""
    from valuecrm.voice.survey_import import import_survey
    from valuecrm.voice.survey_model import read_survey_model

    state = server_state(request)
    with tempfile.TemporaryDirectory(prefix="valuecrm-survey-") as folder:
        model_path, _ = _save(model, Path(folder), "model.yaml")
        spec = read_survey_model(model_path)
        data = Path(folder) / "data"
        data.mkdir()
        path, original = _save(file, data, "survey.csv")
        with (state.data_writes.ingest(f"{original} into survey_responses"),
              state.write_lock, state.session() as database):
            try:
                report = import_survey(database, path, spec, on_error=on_error,
                                       create_customers=create_customers, sheet=sheet)
            except IngestError as refused:
                record_audit(database.raw, user, "survey_import_rejected", spec.survey,
                             getattr(refused.report, "respondents_rejected", None),
                             source=original)
                raise
            record_audit(database.raw, user, "survey_import", spec.survey,
                         report.respondents_loaded, source=original, mode=on_error)
    report.source, report.rejects_path = original, None
    return report.to_dict()


@router.get("/surveys")
def surveys(user: Viewer, request: Request) -> dict[str, Any]:
    """The stored surveys: respondents, those linked to customers, questions, first and last
    answer."""
    with server_state(request).session() as database:
        return stored_surveys(database)


@router.post("/surveys/{survey}/pls", responses=_REFUSED)
def survey_pls(
    user: Viewer,
    request: Request,
    survey: str,
    model: Annotated[dict[str, Any], Body(description=(
        "The survey model file's content as JSON: constructs, paths, scales, reversed items, "
        "missing rule (the survey name in it is not used)."),
        examples=[{"survey": "mobi", "constructs": {"Image": ["IMAG1", "IMAG2"],
                                                    "Satisfaction": ["CUSA1", "CUSA2"]},
                   "paths": ["Image -> Satisfaction"], "scale": "1-10"}])],
    scheme: Annotated[Literal["path", "centroid", "factorial"], Query(
        description="Inner weighting scheme.")] = "path",
    bootstrap: Annotated[int, Query(ge=0, le=10_000, description=(
        "Bootstrap resamples (0: none)."))] = 0,
    seed: Annotated[int | None, Query(description="Seed of the resampling.")] = None,
) -> dict[str, Any]:
    """The model's PLS path model fitted on the stored answers of ``survey``: what `valuecrm
    voice pls --survey NAME --model FILE --json` prints."""
    with server_state(request).session() as database:
        return stored_pls(database, survey, {**model, "survey": model.get("survey") or survey},
                          scheme=scheme, bootstrap=bootstrap, seed=seed)


def _quadrant_options(survey: str | None, satisfaction: str, loyalty: str,
                      satisfaction_threshold: float, loyalty_threshold: float,
                      snapshot: str) -> dict[str, Any]:
    return {"survey": survey, "satisfaction": satisfaction, "loyalty": loyalty,
            "satisfaction_threshold": satisfaction_threshold,
            "loyalty_threshold": loyalty_threshold, "snapshot": snapshot_key(snapshot)}


@router.get("/quadrants")
def quadrants(
    user: Viewer,
    request: Request,
    survey: SurveyQuery = None,
    satisfaction: SatisfactionItem = "satisfaction",
    loyalty: LoyaltyItem = "loyalty",
    satisfaction_threshold: Threshold = 8.0,
    loyalty_threshold: Threshold = 8.0,
    snapshot: SnapshotQuery = "latest",
) -> dict[str, Any]:
    """Satisfaction x loyalty quadrants (Jones & Sasser 1995): customers, mean answers and
    value per quadrant (no customer is named): `valuecrm voice quadrants --json`."""
    with server_state(request).session() as database:
        return quadrant_summary(database, **_quadrant_options(
            survey, satisfaction, loyalty, satisfaction_threshold, loyalty_threshold, snapshot))


@router.get("/quadrants/customers")
def quadrant_list(
    user: Analyst,
    request: Request,
    quadrant: Annotated[Quadrant | None, Query(description="One quadrant (default: all).")]
    = None,
    high_value: Annotated[bool, Query(description=(
        "Only high-value customers (tier VIP, key or ordinary: the top 20%)."))] = False,
    limit: Annotated[int, Query(ge=1, le=10_000, description="Rows to answer.")] = 100,
    survey: SurveyQuery = None,
    satisfaction: SatisfactionItem = "satisfaction",
    loyalty: LoyaltyItem = "loyalty",
    satisfaction_threshold: Threshold = 8.0,
    loyalty_threshold: Threshold = 8.0,
    snapshot: SnapshotQuery = "latest",
) -> dict[str, Any]:
    """The customers placed, highest CLV first, with their latest answers and value (analysts:
    it links answers to customers)."""
    with server_state(request).session() as database:
        return quadrant_customers(database, limit=limit, quadrant=quadrant,
                                  high_value=high_value, **_quadrant_options(
                                      survey, satisfaction, loyalty, satisfaction_threshold,
                                      loyalty_threshold, snapshot))


@router.get("/quadrants/export", response_class=Response, responses={200: {
    "content": {media: {} for media in _MEDIA.values()},
    "description": "The file, with a Content-Disposition naming it."}})
def quadrant_export(
    user: Analyst,
    request: Request,
    format: Annotated[Literal["csv", "parquet"], Query(description="File format.")] = "csv",
    quadrant: Annotated[Quadrant | None, Query(description="One quadrant (default: all).")]
    = None,
    high_value: Annotated[bool, Query(description=(
        "Only high-value customers (tier VIP, key or ordinary: the top 20%)."))] = False,
    survey: SurveyQuery = None,
    satisfaction: SatisfactionItem = "satisfaction",
    loyalty: LoyaltyItem = "loyalty",
    satisfaction_threshold: Threshold = 8.0,
    loyalty_threshold: Threshold = 8.0,
    snapshot: SnapshotQuery = "latest",
) -> Response:
    """The customer list of a quadrant as CSV (UTF-8 with BOM) or Parquet, e.g. the
    high-value defectors: the same file as `valuecrm voice quadrants --out`. Written to the
    audit log."""
    options = _quadrant_options(survey, satisfaction, loyalty, satisfaction_threshold,
                                loyalty_threshold, snapshot)
    state = server_state(request)
    with state.session() as database:
        body = quadrant_file(database, format, quadrant=quadrant, high_value=high_value,
                             **options)
        with state.write_lock:
            record_audit(database.raw, user, "export", "loyalty_quadrants", None,
                         format=format, quadrant=quadrant, high_value=high_value)
    name = f"quadrants_{quadrant or 'all'}{'_high_value' if high_value else ''}.{format}"
    return Response(body, media_type=_MEDIA[format],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/perceived-value", responses=_REFUSED)
def perceived_value(
    user: Viewer,
    request: Request,
    survey: SurveyQuery = None,
    by: Annotated[str, Query(max_length=40, description=(
        "Segment column of the value table: tier, value_class, rfm_class_code, status..."))]
    = "tier",
    waves: Annotated[bool, Query(description=(
        "Also fit the weights on each survey (wave) and their change."))] = True,
    resamples: Annotated[int, Query(ge=0, le=10_000, description=(
        "Bootstrap resamples of the intervals."))] = 1000,
    seed: Annotated[int, Query(description="Seed of the resampling.")] = 0,
    model: Annotated[str | None, Query(max_length=20_000, description=(
        "A survey model as JSON naming benefits, sacrifices and overall_value (default: the "
        "generated survey's cpv_* items and perceived_value)."))] = None,
) -> dict[str, Any]:
    """Customer perceived value: dimension weights with bootstrap intervals, value = benefits
    / sacrifices by segment and by wave: `valuecrm voice value --json`."""
    spec = _model_text("model", model)
    if spec is not None:
        spec = {**spec, "survey": spec.get("survey") or survey or "stored"}
    with server_state(request).session() as database:
        return perceived_value_summary(database, survey=survey, model=spec, by=by,
                                       waves=waves, n_boot=resamples, seed=seed)
