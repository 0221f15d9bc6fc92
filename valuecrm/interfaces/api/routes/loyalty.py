"""The loyalty programme (:mod:`valuecrm.views.loyalty`): viewers see the aggregates (liability,
breakage, tier mix and moves, members against non-members, what-if totals); analysts and
admins also see the member lists (customer ids with their points and tiers). Nothing here
writes. The server's rules are those of ``$VALUECRM_LOYALTY_RULES`` (or the built-in rules);
the what-if takes rule documents in its body."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from valuecrm.errors import PermissionDeniedError
from valuecrm.interfaces.api.auth import Analyst, Viewer
from valuecrm.interfaces.api.params import SNAPSHOT_PATTERN, SnapshotQuery, snapshot_key
from valuecrm.interfaces.api.state import server_state
from valuecrm.views import loyalty
from valuecrm.views.privacy import shows_personal_data

router = APIRouter(prefix="/loyalty", tags=["loyalty"])
DATE = r"^[12][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
DateQuery = Annotated[str | None, Query(pattern=DATE, max_length=10, description=(
    "A day YYYY-MM-DD (default: the day of the newest ledger entry)."))]


@router.get("")
def overview(user: Viewer, request: Request, as_of: DateQuery = None) -> dict[str, Any]:
    """Points liability, breakage and redemption rate by cohort, the tier mix and the visit
    benefits as of a day: what `valuecrm loyalty summary --json` prints."""
    with server_state(request).session() as database:
        return loyalty.loyalty_overview(database, as_of=as_of)


@router.get("/tiers")
def tier_moves(user: Viewer, request: Request,
               start: Annotated[str | None, Query(alias="from", pattern=DATE, max_length=10,
                                                  description="First day (default: a year "
                                                              "before `to`).")] = None,
               end: Annotated[str | None, Query(alias="to", pattern=DATE, max_length=10,
                                                description="Second day (default: the newest "
                                                            "ledger entry).")] = None,
               from_snapshot: Annotated[str | None, Query(
                   pattern=SNAPSHOT_PATTERN, max_length=18, description=(
                       "Instead of `from`: the as-of day of this snapshot (an id or an as-of "
                       "date)."))] = None,
               to_snapshot: Annotated[str | None, Query(
                   pattern=SNAPSHOT_PATTERN, max_length=18, description=(
                       "Instead of `to`: the as-of day of this snapshot."))] = None,
               ) -> dict[str, Any]:
    """The tier migration matrix between two days, or between the as-of days of two stored
    snapshots: `valuecrm loyalty tiers --json`."""
    with server_state(request).session() as database:
        return loyalty.tier_moves(database, start=start, end=end,
                                  start_snapshot=_snapshot(from_snapshot),
                                  end_snapshot=_snapshot(to_snapshot))


def _snapshot(text: str | None) -> Any:
    """A snapshot query value as :func:`valuecrm.views.loyalty.tier_moves` takes it."""
    return text if text in (None, "latest") else snapshot_key(text)


@router.get("/value")
def member_value(user: Viewer, request: Request,
                 snapshot: SnapshotQuery = "latest") -> dict[str, Any]:
    """Members against non-members (customers, CLV, P(alive), net spend) from a snapshot,
    labelled as selection, not effect: `valuecrm loyalty value --json`."""
    with server_state(request).session() as database:
        return loyalty.member_value(database, snapshot_key(snapshot))


@router.get("/members")
def members(user: Analyst, request: Request, as_of: DateQuery = None,
            tier: Annotated[str | None, Query(max_length=100)] = None,
            limit: Annotated[int, Query(ge=1, le=100_000)] = 100) -> dict[str, Any]:
    """The members with balance, points earned, redeemed and expired, and tier, largest
    balance first (customer ids: analysts and admins): `valuecrm loyalty members --json`."""
    with server_state(request).session() as database:
        return loyalty.member_balances(database, as_of, limit=limit, tier=tier)


class WhatIfRequest(BaseModel):
    """A changed rule set (the rules file's shape, docs/loyalty.md) to try on past orders."""

    changed: dict[str, Any] = Field(description="The changed rules.")
    current: dict[str, Any] | None = Field(default=None, description=(
        "The rules of today (default: the server's rules)."))
    as_of: str | None = Field(default=None, pattern=DATE)
    months: int = Field(default=12, ge=1, le=120)
    members: bool = Field(default=False, description=(
        "Also list the members whose tier changes (analysts and admins)."))
    limit: int = Field(default=100, ge=1, le=100_000)


@router.post("/what-if")
def what_if(user: Viewer, request: Request, body: WhatIfRequest) -> dict[str, Any]:
    """What the changed rules would have issued and cost on the members' orders of the last
    `months`, the visit benefits, and who changes tier (counts; the list with `members`, for
    analysts and admins). Writes nothing: `valuecrm loyalty what-if --json`."""
    if body.members and not shows_personal_data(user):
        raise PermissionDeniedError("Viewers see the what-if's totals and counts, not the "
                                    "members who change tier.",
                                    hint="Send members: false, or ask an analyst.")
    with server_state(request).session() as database:
        changed = loyalty.rules_document(body.changed, database, "the changed rules sent")
        current = (None if body.current is None else
                   loyalty.rules_document(body.current, database, "the current rules sent"))
        return loyalty.what_if(database, changed, current, as_of=body.as_of,
                               months=body.months, members=body.members, limit=body.limit)
