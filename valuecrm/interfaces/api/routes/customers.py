"""Customers: search with pages, and the 360 view of one customer."""

from __future__ import annotations

from typing import Annotated, Any

import duckdb
import ibis
from fastapi import APIRouter, Depends, Path, Query

from valuecrm.analysis.customer360 import HISTORY, PROFILE_COLUMNS, VIEW_NAMES
from valuecrm.interfaces.api.auth import Viewer
from valuecrm.interfaces.api.privacy import ROLE_TABLE, mask_record, search_columns
from valuecrm.interfaces.api.state import cursor, rows
from valuecrm.store import Database
from valuecrm.views.customers import customer_view

router = APIRouter(prefix="/customers", tags=["customers"])
Cursor = Annotated[duckdb.DuckDBPyConnection, Depends(cursor)]


@router.get("", description=(
    "Customers matching `q`, ordered by id, one page at a time.\n\nWhat each role sees "
    "(the dashboard shows the same):\n\n" + ROLE_TABLE))
def search_customers(
    user: Viewer,
    cur: Cursor,
    q: Annotated[str | None, Query(max_length=200, description=(
        "Substring of the customer id, name or e-mail (case-insensitive). Viewers search by "
        "customer id only (never by personal data or birth year, gender or city)."))] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """Customers matching ``q``, ordered by id, one page at a time (for viewers masked and
    coarsened: see the table in the API description)."""
    where, params = "", []
    if q:
        fields = search_columns(user)
        # contains(lower(...)) is several times faster than LIKE on a million customers
        where = "WHERE " + " OR ".join(f"contains(lower({f}), ?)" for f in fields)
        params = [q.lower()] * len(fields)
    if not q:
        total = int(cur.execute("SELECT count(*) FROM customers").fetchone()[0])
        items = rows(cur, f"SELECT {', '.join(PROFILE_COLUMNS)} FROM customers "
                          "ORDER BY customer_id LIMIT ? OFFSET ?",
                     [page_size, (page - 1) * page_size])
    else:  # the matches found once, then counted and paged (one row with n if none)
        columns = ", ".join(f"c.{c}" for c in PROFILE_COLUMNS)
        found = rows(cur, f"WITH m AS MATERIALIZED (SELECT customer_id FROM customers {where}), "
                          "p AS (SELECT customer_id FROM m ORDER BY customer_id LIMIT ? OFFSET ?) "
                          f"SELECT {columns}, t.n AS _total FROM (SELECT count(*) AS n FROM m) t "
                          "LEFT JOIN (customers c SEMI JOIN p USING (customer_id)) ON true "
                          "ORDER BY c.customer_id",
                     [*params, page_size, (page - 1) * page_size])
        total = int(found[0]["_total"])
        items = [{k: v for k, v in row.items() if k != "_total"} for row in found
                 if row["customer_id"] is not None]
    return {"items": [mask_record(item, user) for item in items], "total": total, "page": page,
            "page_size": page_size, "pages": -(-total // page_size)}


@router.get("/{customer_id}", description=(
    "Everything known about one customer: profile, purchase summary, orders, interactions, "
    "complaints, survey answers, loyalty points and, if analyses were saved, the latest value."
    "\n\nWhat each role sees (the dashboard shows the same):\n\n" + ROLE_TABLE))
def customer_360(
    user: Viewer,
    cur: Cursor,
    customer_id: Annotated[str, Path(max_length=200)],
    limit: Annotated[int, Query(ge=1, le=1000, description=(
        "Most recent rows shown of each history (orders, interactions, ...)."))] = 100,
) -> dict[str, Any]:
    """Everything known about one customer: profile, purchase summary, orders, interactions,
    complaints, survey answers, loyalty points and, if analyses were saved, the latest value
    with the settings of its snapshot (horizon, discount rate, interval level): what
    `valuecrm customers show --json` prints."""
    view = customer_view(Database(ibis.duckdb.from_connection(cur), None), customer_id,
                         limit=limit, hint="Search for it with GET /api/customers?q=...")
    view["profile"] = mask_record(view["profile"], user)
    for table in HISTORY:
        history = view[VIEW_NAMES.get(table, table)]
        history["items"] = [mask_record(item, user) for item in history["items"]]
    return view
