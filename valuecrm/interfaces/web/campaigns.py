"""The campaigns page: every campaign with its status, group sizes, effect and decision
(:func:`valuecrm.views.campaigns.campaign_list`; no personal data, so every role sees it)."""

from __future__ import annotations

from typing import Annotated

import duckdb
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from valuecrm.interfaces.api.state import cursor, server_state
from valuecrm.interfaces.web.rendering import Page, open_page, render
from valuecrm.views.campaigns import campaign_list

router = APIRouter(include_in_schema=False)
Cursor = Annotated[duckdb.DuckDBPyConnection, Depends(cursor)]


@router.get("/campaigns")
def campaigns(request: Request, cur: Cursor) -> Response:
    page = open_page(request, cur)
    if not isinstance(page, Page):
        return page
    with server_state(request).session() as database:
        rows = campaign_list(database)["campaigns"]
    return render(request, "campaigns.html", page.t, user=page.user, active="campaigns",
                  snapshot=page.snapshot, personal=page.personal, rows=rows)
