"""The HTML report of a snapshot: what ``valuecrm report`` writes (analysts and admins)."""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from valuecrm.interfaces.api.auth import Analyst
from valuecrm.interfaces.api.params import SnapshotQuery, snapshot_key
from valuecrm.interfaces.api.state import server_state

router = APIRouter(tags=["actions and reports"])


@router.get("/report", response_class=HTMLResponse, responses={200: {
    "content": {"text/html": {}},
    "description": "One self-contained HTML file that opens offline."}})
def report(
    user: Analyst,
    request: Request,
    snapshot: SnapshotQuery = "latest",
    lang: Annotated[Literal["en", "zh-CN"], Query(description=(
        "The report's language: en or zh-CN (简体中文)."))] = "en",
) -> HTMLResponse:
    """The report of a snapshot (overview, RFM segments, customer lifetime value, the value
    table's groups, the retention and win-back lists' figures, the purchase models): what
    `valuecrm report --out FILE` writes. It holds figures only, no names or contacts. The
    header X-Report-Sections lists the section titles (a JSON array)."""
    from valuecrm.report.builder import build_report

    with server_state(request).session() as database:
        built = build_report(database, snapshot_key(snapshot), lang=lang)
    sections = json.dumps([s.title for s in built.sections])  # ASCII: \u escapes
    return HTMLResponse(built.render(), headers={"X-Report-Sections": sections})
