"""Complaints, service recovery (缺失补救) and the customer journey (接触点): the same answers as
``valuecrm voice recovery`` and ``valuecrm voice journey`` (:mod:`valuecrm.views.voice_service`).

Viewers get the aggregates (no customer id anywhere in them); the list of customers whose
recovery failed names customers, so it is for analysts and admins (:mod:`valuecrm.views.privacy`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from valuecrm.interfaces.api.auth import Analyst, Viewer
from valuecrm.interfaces.api.state import server_state
from valuecrm.views import voice_service

router = APIRouter(tags=["voice of the customer"])

Level = Annotated[float, Query(ge=0.5, le=0.999, description="Confidence level of the "
                                                             "intervals.")]
Success = Annotated[float, Query(ge=1, le=7, description="A recovery succeeds when satisfaction "
                                                         "after it (1-7) is at least this.")]
RECOVERY_EXAMPLE = {
    "rates": {"complaints": 487, "complainers": 378, "orders": 18880,
              "per_100_orders": {"rate_per_100": 2.58, "lower": 2.36, "upper": 2.82},
              "by_month": [{"month": "2025-01", "complaints": 14, "orders": 520,
                            "per_100_orders": 2.69}], "method": "..."},
    "resolution": {"resolved": 485, "open": 2, "hours": {"median": 21.3, "mean": 27.0},
                   "satisfaction_after": {"mean": 4.46, "lower": 4.36, "upper": 4.56}},
    "justice": {"n": 485, "r_squared": 0.60, "coefficients": [
        {"term": "outcome_justice", "coefficient": 0.375, "std_error": 0.017, "lower": 0.341,
         "upper": 0.408, "p_value": 1e-70}], "method": "OLS with HC3 standard errors ..."},
    "retention": {"days": 90, "groups": {"success": {"share": 0.854, "lower": 0.79,
                                                     "upper": 0.90, "n": 164}},
                  "paradox": {"verdict": "not supported", "difference": 0.011,
                              "lower": -0.052, "upper": 0.058}},
}
JOURNEY_EXAMPLE = {
    "mix": {"contacts": 6929, "by_stage": [{"stage": "information", "contacts": 1660,
                                            "share": 0.24, "cost_per_contact": 5.85}],
            "by_channel": [{"channel": "web", "contacts": 1995, "share": 0.288}]},
    "cost": {"per_contacting_customer": {"contacts": {"mean": 4.0}, "cost": {"mean": 28.3}}},
    "funnel": {"started": 1193, "steps": [{"step": "enquiry", "customers": 835,
                                           "conversion": 0.70, "lower": 0.67, "upper": 0.73}]},
    "complaints": {"by_stage": [{"stage": "delivery", "complaints": 85, "share": 0.175}]},
}


@router.get("/voice/recovery", responses={200: {"content": {"application/json": {
    "example": RECOVERY_EXAMPLE}}}})
def recovery(
    user: Viewer, request: Request,
    days: Annotated[int, Query(ge=1, le=3650, description="Retention: a purchase within this "
                                                          "many days after the complaint was "
                                                          "resolved (or after a purchase "
                                                          "without a complaint).")] = 90,
    success: Success = 5.0,
    level: Level = 0.95,
) -> dict[str, Any]:
    """Complaints and service recovery: complaint rate (per 100 orders, per customer, by month),
    time to resolve, satisfaction after recovery, the effect of outcome, procedural and
    interactional justice on it (OLS with HC3 standard errors; Tax, Brown & Chandrashekaran
    1998; Smith, Bolton & Wagner 1999), and retention after successful and failed recoveries
    and without a complaint, with the test of the service-recovery paradox. Aggregates only.
    With no complaints yet, each part says so in `missing`. The document `valuecrm voice
    recovery --json` prints.
    """
    with server_state(request).session() as database:
        return voice_service.recovery(database, days=days, success_threshold=success,
                                      level=level)


@router.get("/voice/recovery/failures")
def recovery_failures(
    user: Analyst, request: Request, success: Success = 5.0,
    limit: Annotated[int, Query(ge=1, le=10_000, description="Newest rows sent.")] = 100,
) -> dict[str, Any]:
    """Customers whose latest rated recovery failed and who have not bought since, newest
    first: a list to win back. It names customers, so it is for analysts and admins."""
    with server_state(request).session() as database:
        return voice_service.failed_recoveries(database, success_threshold=success,
                                               limit=limit)


@router.get("/voice/journey", responses={200: {"content": {"application/json": {
    "example": JOURNEY_EXAMPLE}}}})
def journey(
    user: Viewer, request: Request,
    days: Annotated[int, Query(ge=1, le=3650, description="A complaint is placed on the stage "
                                                          "of the customer's latest "
                                                          "interaction within this many days "
                                                          "before it.")] = 30,
    level: Level = 0.95,
) -> dict[str, Any]:
    """Touchpoints and the journey: contacts by stage and channel (before and after the first
    order), contacts and cost to serve per customer and per stage, the funnel from first
    contact to first order, and where complaints arise (each on the stage of the customer's
    latest interaction before it). Aggregates only. The document `valuecrm voice journey
    --json` prints.
    """
    with server_state(request).session() as database:
        return voice_service.journey(database, days=days, level=level)
