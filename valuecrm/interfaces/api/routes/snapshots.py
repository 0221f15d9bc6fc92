"""Saved analyses (``valuecrm analyze``): snapshots of the customer value table, their rows,
and the segments of a snapshot with their members.

A snapshot is named by its id, its as-of date (``1998-06-30``) or ``latest``. The value table
holds customer ids and computed values only, no personal data.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request

from valuecrm import views
from valuecrm.analysis import get_snapshot
from valuecrm.errors import NotFoundError
from valuecrm.interfaces.api.auth import Viewer
from valuecrm.interfaces.api.params import SnapshotPath, SnapshotQuery, snapshot_key
from valuecrm.interfaces.api.state import server_state
from valuecrm.reports.group_figures import GROUPINGS
from valuecrm.store.snapshots import VALUE_COLUMNS
from valuecrm.views.customers import value_page

router = APIRouter(tags=["snapshots"])

SortColumn = Literal[tuple(VALUE_COLUMNS)]  # type: ignore[valid-type]
Grouping = Literal[tuple(GROUPINGS)]  # type: ignore[valid-type]




Page = Annotated[int, Query(ge=1, le=1_000_000)]
PageSize = Annotated[int, Query(ge=1, le=500)]
SortBy = Annotated[SortColumn, Query(description="Column to sort by.")]
Descending = Annotated[bool, Query(description="Largest first.")]


@router.get("/snapshots")
def snapshots(user: Viewer, request: Request) -> dict[str, Any]:
    """Every saved analysis, oldest as-of date first: id, as-of date, model and why it was
    chosen, parameters, counts and warnings."""
    with server_state(request).session() as database:
        return views.snapshots(database)


@router.get("/snapshots/{snapshot}")
def snapshot(user: Viewer, request: Request, snapshot: SnapshotPath) -> dict[str, Any]:
    """One saved analysis."""
    with server_state(request).session() as database:
        return get_snapshot(database, snapshot_key(snapshot)).to_dict()


@router.get("/snapshots/{snapshot}/customers")
def snapshot_customers(user: Viewer, request: Request, snapshot: SnapshotPath, page: Page = 1,
                       page_size: PageSize = 50, sort_by: SortBy = "clv",
                       descending: Descending = True) -> dict[str, Any]:
    """The customer value table of a snapshot, one page at a time (RFM, value, P(alive), CLV
    with its interval, status, lifecycle stage, quadrant, tier and more)."""
    with server_state(request).session() as database:
        return value_page(database, snapshot_key(snapshot), page=page, page_size=page_size,
                          sort_by=sort_by, descending=descending)


@router.get("/segments")
def segments(
    user: Viewer,
    request: Request,
    by: Annotated[Grouping, Query(description="How to group the customers.")] = "rfm_segment",
    snapshot: SnapshotQuery = "latest",
) -> dict[str, Any]:
    """The groups of a snapshot (RFM segments, RFM classes, status, lifecycle stage, value
    quadrant, pyramid tier, ...): customers, share, revenue, margin, value, CLV, P(alive):
    what `valuecrm segments --json` prints."""
    with server_state(request).session() as database:
        return views.segments(database, snapshot_key(snapshot), by=by)


@router.get("/segments/{by}/{group}")
def segment_members(
    user: Viewer,
    request: Request,
    by: Annotated[Grouping, Path(description="How the customers are grouped.")],
    group: Annotated[str, Path(max_length=100, description="The group's English name.")],
    snapshot: SnapshotQuery = "latest",
    page: Page = 1,
    page_size: PageSize = 50,
    sort_by: SortBy = "clv",
    descending: Descending = True,
) -> dict[str, Any]:
    """The members of one group of a snapshot, with their value rows, one page at a time."""
    with server_state(request).session() as database:
        body = value_page(database, snapshot_key(snapshot), page=page, page_size=page_size,
                          sort_by=sort_by, descending=descending, by=by, group=group)
        if body["total"] == 0:
            known = sorted(g["group"] for g in views.segments(
                database, body["snapshot_id"], by=by)["items"] if g["group"] is not None)
            raise NotFoundError(f"There is no group {group!r} of {by} in this snapshot.",
                                hint="Groups: " + ", ".join(known) + ".")
    return {"by": by, "group": group, **body}
