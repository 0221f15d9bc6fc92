"""Analyses as background jobs: ``POST /api/analyses`` starts one, ``GET`` polls it.

The job runs :func:`valuecrm.analyze` in the server (one at a time: 409 while one is queued or
running) and stores a snapshot like ``valuecrm analyze`` does; starting and ending are written
to the audit log. A job and an ingest never overlap (:mod:`valuecrm.interfaces.api.writes`):
a job is refused with 409 while an ingest loads, and ingests answer 409 while a job is queued or
running, so a snapshot always describes one state of the data.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, Field

from valuecrm.analysis import AnalysisConfig
from valuecrm.errors import NotFoundError
from valuecrm.interfaces.api.auth import Analyst
from valuecrm.interfaces.api.errors import ERROR_SCHEMA
from valuecrm.interfaces.api.jobs import AnalysisJobs
from valuecrm.interfaces.api.state import server_state

router = APIRouter(tags=["analyses"])

PurchaseModel = Literal["BetaGeo", "ParetoNBD", "ModifiedBetaGeo"]
JobId = Annotated[str, Path(max_length=40, description="The id POST /api/analyses answered.")]


class AnalysisRequest(BaseModel):
    """What to analyse; every field is optional (the defaults of ``valuecrm analyze``)."""

    as_of: dt.date | None = Field(default=None, description=(
        "Use only what happened up to this day (default: the day of the last order)."))
    candidates: list[PurchaseModel] | None = Field(default=None, min_length=1, max_length=3,
                                                   description="Purchase models to compare.")
    horizon_months: float | None = Field(default=None, gt=0, le=120,
                                         description="CLV horizon in months.")
    discount_rate: float | None = Field(default=None, ge=0, lt=1,
                                        description="Annual discount rate of the CLV.")
    interval_level: float | None = Field(default=None, gt=0, lt=1,
                                         description="Level of the CLV interval.")
    selection_sample: int | None = Field(default=None, ge=100, description=(
        "Customers sampled for choosing the model."))
    fit_sample: int | None = Field(default=None, ge=100, description=(
        "Customers sampled for the final fit (every customer is scored)."))
    seed: int | None = Field(default=None, ge=0, le=2**31 - 1, description="Sampling seed.")

    def config(self) -> AnalysisConfig:
        """The analysis settings: the defaults with the given fields changed (validated)."""
        given = self.model_dump(exclude_none=True, exclude={"as_of"})
        if "candidates" in given:
            given["candidates"] = tuple(dict.fromkeys(given["candidates"]))
        return AnalysisConfig().replace(**given).validated()


def _jobs(request: Request) -> AnalysisJobs:
    jobs = server_state(request).analyses
    assert jobs is not None, "create_app sets the analysis jobs"
    return jobs


@router.post("/analyses", status_code=202, responses={
    202: {"description": "Queued; poll the Location."},
    409: {"description": "An analysis is already queued or running (``analysis_running``), or "
                         "an ingest is loading a file (``ingest_running``): start it again "
                         "when that has ended.",
          "content": {"application/json": {"schema": ERROR_SCHEMA}}}})
def start_analysis(user: Analyst, request: Request, response: Response,
                   body: AnalysisRequest | None = None) -> dict[str, Any]:
    """Start an analysis in the background (the customer value table as of a date, stored as a
    snapshot). Answers 202 with the job and its URL in ``Location``; 409 if one is queued or
    running, or while an ingest loads. Until the job has ended, ingests answer 409."""
    body = body or AnalysisRequest()
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
