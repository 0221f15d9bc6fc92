"""Action lists, migration and cohorts: the same answers as ``valuecrm actions retention|winback``,
``valuecrm migration`` and ``valuecrm cohorts`` (the views of :mod:`valuecrm.views`), with the
same parameters. Viewers get names and contacts masked."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request

from valuecrm import views
from valuecrm.interfaces.api.auth import Viewer
from valuecrm.interfaces.api.params import (
    PAGE_LIMIT,
    SNAPSHOT_PATTERN,
    LimitQuery,
    MinDropQuery,
    OffsetQuery,
    SnapshotQuery,
    TopQuery,
    WhereQuery,
    snapshot_key,
)
from valuecrm.interfaces.api.state import server_state
from valuecrm.reports.group_figures import GROUPINGS
from valuecrm.views.customers import SORTS, customer_page, label_names
from valuecrm.views.privacy import mask_record, shows_personal_data

router = APIRouter(tags=["actions and reports"])

Grouping = Literal[tuple(GROUPINGS)]  # type: ignore[valid-type]
LIST_EXAMPLE = {
    "list": "retention", "snapshot_id": 2, "as_of": "1998-06-30", "rows": 1,
    "by_reason": {"spend fell": 1}, "chance_method": None,
    "columns": ["customer_id", "name", "email", "phone", "segment", "status", "reason",
                "...", "action", "snapshot_id", "snapshot_date"],
    "customers": [{"customer_id": "00042", "name": "G***** C*****", "segment": "At Risk",
                   "status": "at risk", "reason": "spend fell", "clv": 310.2,
                   "p_alive": 0.41, "value_at_risk": 183.0, "action": "...",
                   "snapshot_date": "1998-06-30T00:00:00"}],
}


def _named(database: Any, snapshot: str) -> int:
    """The id of the snapshot ``snapshot`` names ('latest', an id or a date)."""
    from valuecrm.analysis import get_snapshot

    return get_snapshot(database, snapshot_key(snapshot)).snapshot_id


@router.get("/actions/{kind}",
            responses={200: {"content": {"application/json": {"example": LIST_EXAMPLE}}}})
def action_list(
    user: Viewer,
    request: Request,
    kind: Annotated[Literal["retention", "winback"], Path(description=(
        "retention: valuable customers at risk or lapsed, by value at risk; winback: lost "
        "and lapsed customers by expected value of winning them back."))],
    snapshot: SnapshotQuery = "latest",
    top: TopQuery = None,
    min_drop: MinDropQuery = None,
    where: WhereQuery = None,
    offset: OffsetQuery = 0,
    limit: LimitQuery = PAGE_LIMIT,
) -> dict[str, Any]:
    """The retention or win-back list of a snapshot with the likely reason and a suggested
    action per customer, and the rows per reason: what `valuecrm actions retention|winback
    --json` prints. `customers` holds one page of the list (`offset`, `limit`); `rows`
    counts the whole list. Names, e-mail addresses and phone numbers are masked for
    viewers."""
    with server_state(request).session() as database:
        found = views.action_list(database, kind, snapshot=snapshot_key(snapshot), top=top,
                                  min_drop=min_drop if kind == "retention" else None,
                                  where=where, offset=offset, limit=limit)
    found["customers"] = [mask_record(row, user) for row in found["customers"]]
    return found


@router.get("/migration", responses={200: {"content": {"application/json": {"example": {
    "from": {"snapshot_id": 1, "as_of": "1997-12-31"},
    "to": {"snapshot_id": 2, "as_of": "1998-06-30"}, "by": "status",
    "transitions": [{"from_group": "active", "to_group": "lost", "customers": 812,
                     "clv_from": 10342.5, "clv_to": 120.4}]}}}}})
def migration(
    user: Viewer,
    request: Request,
    from_snapshot: Annotated[str | None, Query(
        alias="from", pattern=SNAPSHOT_PATTERN, max_length=18, description=(
            "The earlier snapshot: id, as-of date or 'latest' (default: the one before "
            "'to')."))] = None,
    to_snapshot: Annotated[str, Query(
        alias="to", pattern=SNAPSHOT_PATTERN, max_length=18, description=(
            "The later snapshot: id, as-of date or 'latest'."))] = "latest",
    by: Annotated[Grouping, Query(description="How to group the customers.")] = "rfm_segment",
) -> dict[str, Any]:
    """How customers moved between groups from one snapshot to another (counts and CLV at
    each): what `valuecrm migration --json` prints."""
    with server_state(request).session() as database:
        return views.migration(
            database, None if from_snapshot is None else _named(database, from_snapshot),
            _named(database, to_snapshot), by=by)


@router.get("/cohorts", responses={200: {"content": {"application/json": {"example": {
    "as_of": "1998-06-30", "period": "month",
    "cohorts": [{"cohort": "1997-01", "period": 0, "cohort_size": 7846, "active": 7846,
                 "share": 1.0}]}}}}})
def cohorts(
    user: Viewer,
    request: Request,
    as_of: Annotated[dt.date | None, Query(description=(
        "Up to this day, YYYY-MM-DD (default: the last order)."))] = None,
    period: Annotated[Literal["M", "Q", "Y"], Query(description=(
        "M (months), Q (quarters) or Y (years)."))] = "M",
) -> dict[str, Any]:
    """Cohort retention: the share of each acquisition cohort buying in each later period:
    what `valuecrm cohorts --json` prints."""
    with server_state(request).session() as database:
        return views.cohorts(database, as_of=None if as_of is None else as_of.isoformat(),
                             period=period)


Sort = Literal[tuple(SORTS)]  # type: ignore[valid-type]
Segment = Literal[tuple(label_names("segment"))]  # type: ignore[valid-type]
Status = Literal[tuple(label_names("status"))]  # type: ignore[valid-type]
Tier = Literal[tuple(label_names("tier"))]  # type: ignore[valid-type]
# the filters of the customer value table, shared by its route and its export
SegmentFilter = Annotated[Segment | None, Query(description=(
    "RFM segment (Champions, ... or 冠军客户, ...) or RFM class (重要价值 / HHH, ...)."))]
StatusFilter = Annotated[Status | None, Query(description=(
    "new, active, at risk, lapsed, lost (or 新客户, ...)."))]
TierFilter = Annotated[Tier | None, Query(description=(
    "Pyramid tier: VIP, key, ordinary, small (or VIP客户, ...)."))]


@router.get("/customer-values")
def customer_values(
    user: Viewer,
    request: Request,
    snapshot: SnapshotQuery = "latest",
    segment: SegmentFilter = None,
    status: StatusFilter = None,
    tier: TierFilter = None,
    search: Annotated[str | None, Query(max_length=200, description=(
        "Substring of the customer id, name or e-mail (case-insensitive); viewers search by "
        "customer id only."))] = None,
    sort: Annotated[Sort, Query(description="Order by this column, largest first "
                                "(days_since_last and customer_id smallest first).")] = "clv",
    ascending: Annotated[bool, Query(description="Reverse the order.")] = False,
    limit: Annotated[int, Query(ge=1, le=1_000_000, description="Rows to answer.")] = 20,
    offset: Annotated[int, Query(ge=0, description="Rows to skip first.")] = 0,
    where: WhereQuery = None,
) -> dict[str, Any]:
    """Rows of the customer value table with the customer's name, filtered and sorted as
    `valuecrm customers list` does (the same parameters), and the number matching: what
    `valuecrm customers list --json` prints. Names are masked for viewers."""
    with server_state(request).session() as database:
        found = customer_page(database, snapshot_key(snapshot), segment=segment, status=status,
                              tier=tier, search=search, sort=sort, ascending=ascending,
                              limit=limit, offset=offset,
                              personal_search=shows_personal_data(user), where=where)
    found["items"] = [mask_record(row, user) for row in found["items"]]
    return found
