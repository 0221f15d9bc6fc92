"""Customers: search with pages, and the 360 view of one customer."""

from __future__ import annotations

from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from valuecrm.interfaces.api.auth import Viewer
from valuecrm.interfaces.api.json_body import json_response
from valuecrm.interfaces.api.state import cursor, lookup
from valuecrm.store import Database
from valuecrm.store.users import User
from valuecrm.views import customers as customer_views
from valuecrm.views.customer360 import HISTORY, VIEW_NAMES
from valuecrm.views.privacy import ROLE_TABLE, mask_record, search_columns

__all__ = ["router"]

router = APIRouter(prefix="/customers", tags=["customers"])
Cursor = Annotated[duckdb.DuckDBPyConnection, Depends(cursor)]


# the answers are serialised in the route's thread (json_response), the model documents them
@router.get("", response_model=dict[str, Any], description=(
    "Customers matching `q`, ordered by id, one page at a time.\n\nWhat each role sees "
    "(the dashboard shows the same):\n\n" + ROLE_TABLE))
async def search_customers(
    request: Request,
    user: Viewer,
    cur: Cursor,
    q: Annotated[str | None, Query(max_length=200, description=(
        "Substring of the customer id, name or e-mail (case-insensitive). Viewers search by "
        "customer id only (never by personal data or birth year, gender or city)."))] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Response:
    """Customers matching ``q``, ordered by id, one page at a time (for viewers masked and
    coarsened: see the table in the API description)."""
    return await lookup(request, _search, user, cur, q, page, page_size)


def _search(user: User, cur: duckdb.DuckDBPyConnection, q: str | None, page: int,
            page_size: int) -> Response:
    found = customer_views.search_customers(cur, q, tuple(search_columns(user)), page=page,
                                            page_size=page_size)
    found["items"] = [mask_record(item, user) for item in found["items"]]
    return json_response(found)


@router.get("/{customer_id}", response_model=dict[str, Any], description=(
    "Everything known about one customer: profile, purchase summary, orders, interactions, "
    "complaints, survey answers, loyalty points and, if analyses were saved, the latest value."
    "\n\nWhat each role sees (the dashboard shows the same):\n\n" + ROLE_TABLE))
async def customer_360(
    request: Request,
    user: Viewer,
    cur: Cursor,
    customer_id: Annotated[str, Path(max_length=200)],
    limit: Annotated[int, Query(ge=1, le=1000, description=(
        "Most recent rows shown of each history (orders, interactions, ...)."))] = 100,
) -> Response:
    """Everything known about one customer: profile, purchase summary, orders, interactions,
    complaints, survey answers, loyalty points and, if analyses were saved, the latest value
    with the settings of its snapshot (horizon, discount rate, interval level): what
    `valuecrm customers show --json` prints."""
    return await lookup(request, _view, user, cur, customer_id, limit)


def _view(user: User, cur: duckdb.DuckDBPyConnection, customer_id: str, limit: int
          ) -> Response:
    database = Database.over_cursor(cur)
    view = customer_views.customer_view(database, customer_id, limit=limit,
                                        hint="Search for it with GET /api/customers?q=...")
    view["profile"] = mask_record(view["profile"], user)
    for table in HISTORY:
        history = view[VIEW_NAMES.get(table, table)]
        history["items"] = [mask_record(item, user) for item in history["items"]]
    return json_response(view)
