"""``GET /api/exports/customers``: the customers table as CSV or Parquet (analysts and admins)."""

from __future__ import annotations

import os
import tempfile
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from valuecrm.interfaces.api.auth import Analyst
from valuecrm.interfaces.api.state import server_state
from valuecrm.store.users import record_audit

router = APIRouter(prefix="/exports", tags=["exports"])

_MEDIA = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}
_COPY = {"csv": "(FORMAT csv, HEADER true)", "parquet": "(FORMAT parquet)"}


@router.get("/customers", response_class=FileResponse, responses={200: {
    "content": {media: {} for media in _MEDIA.values()},
    "description": "The file, with a Content-Disposition naming it."}})
def export_customers(
    user: Analyst,
    request: Request,
    format: Annotated[Literal["csv", "parquet"], Query(description="File format.")] = "csv",
) -> FileResponse:
    """Every customer with their profile (personal data included), ordered by id. The export is
    written to the audit log."""
    state = server_state(request)
    handle, path = tempfile.mkstemp(prefix="valuecrm-export-", suffix=f".{format}")
    os.close(handle)
    with state.cursor() as cur:
        escaped = path.replace("'", "''")
        cur.execute(f"COPY (SELECT * FROM customers ORDER BY customer_id) TO '{escaped}' "
                    f"{_COPY[format]}")
        count = int(cur.execute("SELECT count(*) FROM customers").fetchone()[0])
        with state.write_lock:
            record_audit(cur, user, "export", "customers", count, format=format)
    return FileResponse(path, media_type=_MEDIA[format], filename=f"customers.{format}",
                        background=BackgroundTask(os.unlink, path))
