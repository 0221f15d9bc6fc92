"""Customer pages: search, every customer of the snapshot page by page (highest CLV first,
filtered by status, RFM segment and tier), and the 360 view of one customer.

Personal data is masked, and birth year, gender and city coarsened, for viewers exactly as the
API does it (:func:`valuecrm.views.privacy.mask_record`); viewers search by customer id
only (:func:`~valuecrm.views.privacy.search_columns`).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

import duckdb
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from valuecrm.interfaces.api.state import cursor, lookup
from valuecrm.interfaces.web import charts, model_charts, queries
from valuecrm.interfaces.web.rendering import Page, open_page, render_page
from valuecrm.reports.profiles import attributes
from valuecrm.views import customer_page as one_customer
from valuecrm.views.acquisition import customer_referral
from valuecrm.views.customer_list import FILTERS, PAGE_SIZE, customer_page
from valuecrm.views.customers import attribute_filters, search_customers
from valuecrm.views.palive import counts_as_purchase, fitted_model, palive_history, purchase_days
from valuecrm.views.privacy import mask_record, search_columns

router = APIRouter(include_in_schema=False)
Cursor = Annotated[duckdb.DuckDBPyConnection, Depends(cursor)]
SEARCH_LIMIT = 50
HISTORY_LIMIT = 50
TIMELINE_LIMIT = 2000


def search(cur: duckdb.DuckDBPyConnection, page: Page, q: str) -> list[dict[str, Any]]:
    """The first ``SEARCH_LIMIT`` customers matching ``q``, as ``GET /api/customers`` finds
    them (:func:`valuecrm.views.customers.search_customers`), masked for viewers."""
    found = search_customers(cur, q, tuple(search_columns(page.user)), page_size=SEARCH_LIMIT)
    return [mask_record(r, page.user) for r in found["items"]]


def page_numbers(current: int, pages: int, around: int = 2) -> list[int | None]:
    """The page links to show: the first, the last and ``around`` either side of ``current``;
    None where pages are left out."""
    shown = sorted({1, pages, *range(max(1, current - around), min(pages, current + around) + 1)})
    found: list[int | None] = []
    for number in shown:
        if found and number - (found[-1] or 0) > 1:
            found.append(None)
        found.append(number)
    return found


def listing(page: Page, cur: duckdb.DuckDBPyConnection, filters: dict[str, str],
            number: int, where: str = "") -> dict[str, Any]:
    """One page of the filtered customer list and its page links (filters kept in each);
    ``where`` keeps the customers with an attribute value (``age=45-54``, as ``valuecrm
    customers list --where``)."""
    sid = page.snapshot.snapshot_id  # type: ignore[union-attr]
    database = queries.database_of(cur)
    pairs = attribute_filters(database, [where]) if where else ()
    total = customer_page(cur, sid, filters=filters, limit=0, attributes=pairs).total
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(number, pages)
    found = customer_page(cur, sid, filters=filters, offset=(number - 1) * PAGE_SIZE,
                          attributes=pairs)
    kept = {k: v for k, v in {**filters, "where": where}.items() if v}

    def url(n: int) -> str:
        return "/customers?" + urlencode({**kept, "page": n})

    return {"rows": [mask_record(r, page.user) for r in found.rows], "total": total,
            "first": found.offset + 1 if found.rows else 0,
            "last": found.offset + len(found.rows), "page": number, "pages": pages,
            "links": [(n, url(n) if n else None) for n in page_numbers(number, pages)],
            "previous": url(number - 1) if number > 1 else None,
            "next": url(number + 1) if number < pages else None,
            "filters": kept, "attributes": attributes(database),
            "choices": {name: choices for name, (_, choices) in FILTERS.items()}}


@router.get("/customers")
async def customers(request: Request, cur: Cursor,
                    q: Annotated[str, Query(max_length=200)] = "",
                    status: Annotated[str, Query(max_length=60)] = "",
                    segment: Annotated[str, Query(max_length=60)] = "",
                    tier: Annotated[str, Query(max_length=60)] = "",
                    where: Annotated[str, Query(max_length=200)] = "",
                    number: Annotated[int, Query(alias="page", ge=1, le=10_000_000)] = 1
                    ) -> Response:
    if q.strip():  # a search: a lookup (on the event loop when the server can)
        return await lookup(request, _customers, request, cur, q, {}, "", 1)
    return await run_in_threadpool(_customers, request, cur, q,
                                   {"status": status, "segment": segment, "tier": tier},
                                   where, number)


def _customers(request: Request, cur: duckdb.DuckDBPyConnection, q: str,
               filters: dict[str, str], where: str, number: int) -> Response:
    page = open_page(request, cur)
    if not isinstance(page, Page):
        return page
    found = search(cur, page, q.strip()) if q.strip() else []
    listed = None
    if page.snapshot is not None and not q.strip():
        listed = listing(page, cur, filters, number, where.strip())
    return render_page(page, "customers.html", "customers", q=q, found=found, listed=listed,
                       figures=None)


@router.get("/customers/{customer_id}")
async def customer(request: Request, cur: Cursor, customer_id: str) -> Response:
    return await lookup(request, _customer, request, cur, customer_id)


def _customer(request: Request, cur: duckdb.DuckDBPyConnection, customer_id: str) -> Response:
    page = open_page(request, cur)
    if not isinstance(page, Page):
        return page
    found = one_customer.customer_reads(cur, customer_id[:200], timeline_limit=TIMELINE_LIMIT,
                                        history_limit=HISTORY_LIMIT,
                                        values=page.snapshot is not None)
    if found is None:
        return render_page(page, "customers.html", "customers", q=customer_id, found=[],
                           top=[], figures=None, not_found=True, status_code=404)
    t = page.t
    orders = found["timeline"]
    figures = {}
    if orders:
        figures["timeline"] = charts.timeline(
            [o["ordered_at"].isoformat() for o in orders], [o["amount"] for o in orders],
            [t.enum(o["status"]) for o in orders], t)
    model = fitted_model(page.snapshot) if page.snapshot is not None else None
    if model is not None:
        as_of = page.snapshot.as_of
        days = (purchase_days(cur, customer_id, as_of) if len(orders) >= TIMELINE_LIMIT
                else sorted({o["ordered_at"].date() for o in orders if counts_as_purchase(o)
                             and o["ordered_at"].date() <= as_of}))
        palive = palive_history(model, days, as_of)
        if palive["dates"]:
            figures["palive"] = model_charts.palive_over_time(palive, t)
    histories = {table: {"total": h["total"],
                         "items": [mask_record(i, page.user) for i in h["items"]]}
                 for table, h in found["histories"].items()}
    segments = found["values"]
    referral = (customer_referral(queries.database_of(cur), customer_id, page.snapshot,
                                  own={**segments[0], "snapshot_id": page.snapshot.snapshot_id}
                                  if segments[0]["as_of"] == page.snapshot.as_of else None)
                if page.snapshot is not None and segments else None)
    return render_page(page, "customer.html", "customers", figures=figures,
                       profile=mask_record(found["profile"], page.user), histories=histories,
                       balance=found["balance"], segments=segments,
                       value=segments[0] if segments else None,
                       attributes=found["attributes"], referral=referral)
