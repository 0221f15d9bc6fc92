"""Acquisition (客户的选择与开发) and customer referral value: the answers of ``valuecrm
acquisition`` and ``valuecrm referrals`` (:mod:`valuecrm.views.acquisition`). Aggregates for
every role; the list of referrers (one row per customer) for analysts and admins."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from valuecrm.interfaces.api.auth import Analyst, Viewer
from valuecrm.interfaces.api.params import SnapshotQuery, snapshot_key
from valuecrm.interfaces.api.state import server_state
from valuecrm.reports.acquisition import SOURCES
from valuecrm.views.acquisition import acquisition_sources, referral_list, referral_summary

router = APIRouter(tags=["actions and reports"])
Source = Literal[tuple(SOURCES)]  # type: ignore[valid-type]
JoinedAnyway = Annotated[float, Query(ge=0, le=1, description=(
    "Share of referred customers who would have joined without the referral (their CLV is not "
    "credited to the referrer); default 0, an upper bound."))]
Saving = Annotated[float, Query(ge=0, le=1e12, description=(
    "Acquisition cost saved per converted referral; default 0."))]


@router.get("/acquisition")
def acquisition(
    user: Viewer,
    request: Request,
    by: Annotated[Source, Query(description=(
        "Acquisition source: " + "; ".join(f"{k}: {v}" for k, v in SOURCES.items())))
    ] = "signup_channel",
    top: Annotated[int, Query(ge=1, le=500, description=(
        "Keep the largest N sources; the rest are counted as (other)."))] = 20,
    period: Annotated[Literal["Y", "Q", "M"], Query(description=(
        "Signup cohorts by year, quarter or month."))] = "Y",
    snapshot: SnapshotQuery = "latest",
) -> dict[str, Any]:
    """Per acquisition source: customers, mean CLV with its 95% interval, total CLV and share
    of customer equity, mean P(alive), margin to date, a Kruskal-Wallis test of difference,
    and the same per signup cohort: what `valuecrm acquisition --json` prints."""
    with server_state(request).session() as database:
        return acquisition_sources(database, by, snapshot=snapshot_key(snapshot), top=top,
                                   period=period)


@router.get("/referral-value")
def referral_value(user: Viewer, request: Request, joined_anyway: JoinedAnyway = 0.0,
                   acquisition_saving: Saving = 0.0,
                   snapshot: SnapshotQuery = "latest") -> dict[str, Any]:
    """Customer referral value in total (Kumar, Petersen & Leone 2007, 2010): referrals,
    rewards, the CLV of referred customers, the sum of CRV, and customer equity with and
    without referral value; `empty` says why there is none."""
    with server_state(request).session() as database:
        return referral_summary(database, snapshot=snapshot_key(snapshot),
                                joined_anyway=joined_anyway,
                                acquisition_saving=acquisition_saving)


@router.get("/referral-value/referrers")
def referrers(user: Analyst, request: Request, joined_anyway: JoinedAnyway = 0.0,
              acquisition_saving: Saving = 0.0,
              limit: Annotated[int, Query(ge=1, le=10_000)] = 50,
              offset: Annotated[int, Query(ge=0)] = 0,
              snapshot: SnapshotQuery = "latest") -> dict[str, Any]:
    """The totals of GET /api/referral-value and one page of referrers, largest referral value
    first (referrals, converted, referred CLV, rewards, CRV, own CLV, CLV + CRV): what
    `valuecrm referrals --json` prints. Analysts and admins."""
    with server_state(request).session() as database:
        return referral_list(database, snapshot=snapshot_key(snapshot),
                             joined_anyway=joined_anyway, acquisition_saving=acquisition_saving,
                             limit=limit, offset=offset)
