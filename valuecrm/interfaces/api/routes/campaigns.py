"""Campaigns with control groups (:mod:`valuecrm.views.campaigns`): viewers read the records
(no personal data), analysts plan, assign, measure and decide, admins launch and download the
treatment list (personal data, written to the audit log)."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask

from valuecrm.errors import ParameterError
from valuecrm.interfaces.api.auth import Admin, Analyst, Viewer
from valuecrm.interfaces.api.state import server_state
from valuecrm.store.csv_export import CSV_MEDIA_TYPE
from valuecrm.store.users import record_audit
from valuecrm.views import campaigns

router = APIRouter(prefix="/campaigns", tags=["campaigns"])
# beside /campaigns/{campaign_id}, whose paths it would shadow
sizing_router = APIRouter(tags=["campaigns"])

CampaignId = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
                                 description="The campaign id.")]
DATE = r"^[12][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


class NewCampaign(BaseModel):
    """A campaign to plan."""

    name: str = Field(min_length=1, max_length=200)
    kind: Literal["acquisition", "retention", "winback", "cross_sell", "up_sell", "loyalty",
                  "other"]
    channel: str = Field(min_length=1, max_length=40)
    target: str = Field(min_length=1, max_length=200, description=(
        "'segment:NAME', 'status:NAME', 'tier:NAME' of the latest analysis, or 'list' (the "
        "customers are given to the assignment)."))
    offer: str | None = Field(default=None, max_length=500)
    cost_per_contact: float = Field(default=0.0, ge=0, le=1e9)
    hypothesis: str | None = Field(default=None, max_length=2000)
    expected_effect: float | None = Field(default=None, ge=-1e12, le=1e12)
    outcome: Literal["purchase", "revenue", "margin"] = "purchase"
    window_days: int = Field(default=30, ge=1, le=3650)
    start: str | None = Field(default=None, pattern=DATE, description="Planned first day.")
    campaign_id: str | None = Field(default=None, max_length=64,
                                    pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class Assignment(BaseModel):
    """How to assign the targeted customers."""

    control_share: float = Field(gt=0, lt=1, description="Share held out as the control.")
    seed: int = Field(ge=0, le=2**63 - 1)
    stratify_by: Literal["segment", "tier", "status", "none"] = "segment"
    customers: list[str] | None = Field(default=None, max_length=10_000_000, description=(
        "The customer ids, for a campaign planned on 'list'."))


class Measurement(BaseModel):
    """When to measure (default: now; after the window)."""

    as_of: str | None = Field(default=None, pattern=DATE)


class Decision(BaseModel):
    """The decision after the check."""

    decision: Literal["scale", "continue", "change", "stop"]
    note: str = Field(min_length=1, max_length=2000)


@router.get("")
def campaign_list(user: Viewer, request: Request) -> dict[str, Any]:
    """Every campaign with its status, group sizes and the effect on its planned outcome: the
    document `valuecrm campaign list --json` prints."""
    with server_state(request).session() as database:
        return campaigns.campaign_list(database)


class Sizing(BaseModel):
    """A sample-size question: give ``effect`` (the customers needed) or ``customers`` (the
    minimum detectable effect), and ``baseline`` (two proportions) or ``sd`` (two means)."""

    effect: float | None = Field(default=None, ge=-1, le=1e9, description="Difference to "
                                 "detect.")
    customers: int | None = Field(default=None, ge=4, le=10**10, description=(
        "Customers available (gives the minimum detectable effect)."))
    baseline: float | None = Field(default=None, gt=0, lt=1)
    sd: float | None = Field(default=None, gt=0, le=1e12)
    control_share: float = Field(default=0.5, gt=0, lt=1)
    alpha: float = Field(default=0.05, gt=0, lt=1)
    power: float = Field(default=0.8, gt=0, lt=1)


@sizing_router.post("/sample-size")
def sample_size(user: Viewer, sizing: Sizing) -> dict[str, Any]:
    """The sample size for an effect, or the minimum detectable effect of a number of
    customers (two proportions with `baseline`, two means with `sd`), with the formula: the
    answer of `valuecrm campaign size --json`. Writes nothing."""
    return campaigns.sizing(effect=sizing.effect, n_total=sizing.customers,
                            baseline=sizing.baseline, sd=sizing.sd,
                            control_share=sizing.control_share, alpha=sizing.alpha,
                            power=sizing.power)


@router.get("/{campaign_id}")
def campaign_record(user: Viewer, request: Request, campaign_id: CampaignId) -> dict[str, Any]:
    """One campaign's plan-do-check-act record (no personal data)."""
    with server_state(request).session() as database:
        return campaigns.campaign_record(database, campaign_id)


@router.post("", status_code=201)
def plan_campaign(user: Analyst, request: Request, new: NewCampaign) -> dict[str, Any]:
    """Plan a campaign (status `planned`); its record."""
    state = server_state(request)
    with state.write_lock, state.session() as database:
        return campaigns.plan(database, **new.model_dump())


@router.post("/{campaign_id}/assignment")
def assign_campaign(user: Analyst, request: Request, campaign_id: CampaignId,
                    assignment: Assignment) -> dict[str, Any]:
    """Assign the targeted customers to treatment and control at random, within strata; a
    control share of 0 or 1, or a group of fewer than 2, is refused and nothing is written."""
    state = server_state(request)
    with state.write_lock, state.session() as database:
        return campaigns.assign(database, campaign_id, **assignment.model_dump())


@router.post("/{campaign_id}/launch")
def launch_campaign(user: Admin, request: Request, campaign_id: CampaignId) -> dict[str, Any]:
    """Launch: record the contacts of the treated customers (the window starts at the
    planned start, else now). Download their list from `GET .../treatment-list`."""
    state = server_state(request)
    with state.write_lock, state.session() as database:
        result = campaigns.launch(database, campaign_id)
        record_audit(database.raw, user, "campaign_launch", campaign_id, result["treated"])
    return result


@router.get("/{campaign_id}/treatment-list", response_class=FileResponse, responses={200: {
    "content": {CSV_MEDIA_TYPE: {}}, "description": "The CSV file (UTF-8 with a BOM)."}})
def treatment_list(user: Admin, request: Request, campaign_id: CampaignId) -> FileResponse:
    """The treated customers with the contacts their channel needs (personal data), as CSV;
    the download is written to the audit log."""
    state = server_state(request)
    handle, path = tempfile.mkstemp(prefix="valuecrm-campaign-", suffix=".csv")
    os.close(handle)
    try:
        with state.session() as database:
            count = campaigns.treatment_file(database, campaign_id, path)
            with state.write_lock:
                record_audit(database.raw, user, "export", "campaign_treatment", count,
                             campaign_id=campaign_id)
    except BaseException:
        os.unlink(path)
        raise
    return FileResponse(path, media_type=CSV_MEDIA_TYPE, filename=f"{campaign_id}-treatment.csv",
                        headers={"X-Rows": str(count)}, background=BackgroundTask(os.unlink, path))


@router.post("/{campaign_id}/measurement")
def measure_campaign(user: Analyst, request: Request, campaign_id: CampaignId,
                     measurement: Measurement | None = None) -> dict[str, Any]:
    """Check: the effect on purchase, revenue and margin in the window (difference in means,
    95% Welch interval); refused for a campaign without a control group."""
    as_of = measurement.as_of if measurement else None
    try:
        when = dt.datetime.combine(dt.date.fromisoformat(as_of), dt.time()) if as_of else None
    except ValueError:
        raise ParameterError(f"as_of {as_of!r} is not a day of the calendar.",
                             hint="Give a date YYYY-MM-DD.") from None
    state = server_state(request)
    with state.write_lock, state.session() as database:
        return campaigns.measure(database, campaign_id, when)


@router.get("/{campaign_id}/next-list")
def next_list(
    user: Analyst, request: Request, campaign_id: CampaignId,
    value: Annotated[Literal["clv", "margin", "revenue", "expected_spend"], Query()] = "clv",
    top: Annotated[int, Query(ge=1, le=100_000, description=(
        "Customers returned, best first (at most 100,000 in one answer, as for the lists; "
        "only the best are kept while every customer is scored)."))] = 100,
) -> dict[str, Any]:
    """Whom to contact next time: customers ranked by predicted uplift x value, learnt from
    the measured campaign's treatment and control groups (`valuecrm campaign next --json`)."""
    with server_state(request).session() as database:
        return campaigns.next_list(database, campaign_id, value=value, top=top)


@router.post("/{campaign_id}/decision")
def decide_campaign(user: Analyst, request: Request, campaign_id: CampaignId,
                    decision: Decision) -> dict[str, Any]:
    """Act: the decision after the check and why."""
    state = server_state(request)
    with state.write_lock, state.session() as database:
        return campaigns.decide(database, campaign_id, decision.decision, decision.note)
