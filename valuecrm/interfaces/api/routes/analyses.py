"""Analyses as background jobs: ``POST /api/analyses`` starts one, ``GET`` polls it.

The job runs :func:`valuecrm.analyze` in the server (one at a time: 409 while one is queued or
running) and stores a snapshot like ``valuecrm analyze`` does; starting and ending are written
to the audit log. A job and an ingest never overlap (:mod:`valuecrm.interfaces.api.writes`):
a job is refused with 409 while an ingest loads, and ingests answer 409 while a job is queued or
running, so a snapshot always describes one state of the data.

Settings are checked before a job is queued: a field out of its range, or an as-of date after
the last order or before the first, answers 422 naming the field (the rule for the as-of date
is :func:`valuecrm.analysis.pipeline.as_of_day`, the same as ``valuecrm analyze --as-of``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, BeforeValidator, Field

from valuecrm.analysis.pipeline import as_of_day
from valuecrm.config import HORIZON_MONTHS, INTERVAL_LEVELS, AnalysisConfig
from valuecrm.errors import NotFoundError, ValueCRMError
from valuecrm.interfaces.api.auth import Analyst
from valuecrm.interfaces.api.errors import ERROR_SCHEMA
from valuecrm.interfaces.api.jobs import AnalysisJobs
from valuecrm.interfaces.api.state import server_state

router = APIRouter(tags=["analyses"])

PurchaseModel = Literal["BetaGeo", "ParetoNBD", "ModifiedBetaGeo"]
JobId = Annotated[str, Path(max_length=40, description="The id POST /api/analyses answered.")]


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date_text(value: object) -> object:
    """Only ISO text (``"1998-06-30"``) is a date here: a number is not read as a timestamp."""
    if value is None or isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("must be a date written YYYY-MM-DD, e.g. \"1998-06-30\"")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_text)]


class AnalysisRequest(BaseModel):
    """What to analyse; every field is optional (the defaults of ``valuecrm analyze``)."""

    as_of: IsoDate | None = Field(default=None, description=(
        "Use only what happened up to this day, written YYYY-MM-DD (default: the day of the "
        "last order). A day after the last order or before the first is refused with 422."))
    candidates: list[PurchaseModel] | None = Field(
        default=None, min_length=1, max_length=3,
        description="Purchase models: one to use it, several to choose the best of them on a "
                    "holdout period (CLI: --model, repeated).")
    horizon_months: int | None = Field(
        default=None, ge=HORIZON_MONTHS[0], le=HORIZON_MONTHS[1],
        description="CLV horizon in whole months (CLI: --horizon).")
    discount_rate: float | None = Field(
        default=None, ge=0, lt=1, allow_inf_nan=False,
        description="Annual discount rate of the CLV, in [0, 1) (CLI: --discount-rate).")
    margin_rate: float | None = Field(
        default=None, gt=0, le=1, allow_inf_nan=False,
        description="Share of spend kept as margin in the CLV, in (0, 1] (default: margin / "
                    "revenue from the data; 1 when no cost is known) (CLI: --margin-rate).")
    interval_level: float | None = Field(
        default=None, ge=INTERVAL_LEVELS[0], le=INTERVAL_LEVELS[1], allow_inf_nan=False,
        description="Level of the CLV interval (CLI: --interval-level).")
    selection_sample: int | None = Field(default=None, ge=100, le=10**9, description=(
        "Customers sampled for choosing the model."))
    fit_sample: int | None = Field(default=None, ge=100, le=10**9, description=(
        "Customers sampled for the final fit (every customer is scored)."))
    seed: int | None = Field(default=None, ge=0, le=2**31 - 1, description="Sampling seed.")

    def config(self) -> AnalysisConfig:
        """The analysis settings: the defaults with the given fields changed (validated)."""
        given = self.model_dump(exclude_none=True, exclude={"as_of"})
        if "horizon_months" in given:
            given["horizon_months"] = float(given["horizon_months"])
        if "candidates" in given:
            given["candidates"] = tuple(dict.fromkeys(given["candidates"]))
        return AnalysisConfig().replace(**given).validated()


def _jobs(request: Request) -> AnalysisJobs:
    jobs = server_state(request).analyses
    assert jobs is not None, "create_api sets the analysis jobs"
    return jobs


@router.post("/analyses", status_code=202, responses={
    202: {"description": "Queued; poll the Location."},
    422: {"description": "A setting is out of range, or the as-of date is after the last "
                         "order or before the first (``invalid_request``, naming the field).",
          "content": {"application/json": {"schema": ERROR_SCHEMA}}},
    409: {"description": "An analysis is already queued or running (``analysis_running``), or "
                         "an ingest is loading a file (``ingest_running``): start it again "
                         "when that has ended.",
          "content": {"application/json": {"schema": ERROR_SCHEMA}}}})
def start_analysis(user: Analyst, request: Request, response: Response,
                   body: AnalysisRequest | None = None) -> dict[str, Any]:
    """Start an analysis in the background (the customer value table as of a date, stored as a
    snapshot). Answers 202 with the job and its URL in ``Location``; 409 if one is queued or
    running, or while an ingest loads; 422 naming the field for a setting out of range or an
    as-of date after the last order (or before the first). Until the job has ended,
    ingests answer 409."""
    body = body or AnalysisRequest()
    with server_state(request).session() as database:
        try:
            as_of_day(database, body.as_of)
        except ValueCRMError as refused:
            if refused.details.get("field") != "as_of":
                raise
            raise RequestValidationError([{
                "loc": ("body", "as_of"), "type": "value_error",
                "msg": f"{refused.message} {refused.hint}"}]) from None
    job = _jobs(request).submit(user, body.as_of, body.config())
    response.headers["Location"] = f"/api/analyses/{job.job_id}"
    return job.to_dict()


@router.get("/analyses")
def analysis_jobs(user: Analyst, request: Request) -> dict[str, Any]:
    """The analysis jobs since the server started (newest first, at most 50)."""
    return {"items": [job.to_dict() for job in _jobs(request).recent()]}


@router.get("/analyses/{job_id}")
def analysis_job(user: Analyst, request: Request, job_id: JobId) -> dict[str, Any]:
    """One job: status (queued, running, succeeded, failed), stage and progress while it runs,
    the snapshot id when it succeeded, the error (the API's error shape) when it failed."""
    job = _jobs(request).get(job_id)
    if job is None:
        raise NotFoundError(f"There is no analysis job {job_id!r}.",
                            hint="GET /api/analyses lists the jobs since the server started.")
    return job.to_dict()
