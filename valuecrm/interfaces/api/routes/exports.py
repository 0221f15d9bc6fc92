"""Exports as CSV or Parquet (analysts and admins, written to the audit log): the customers
table, and the customer value table of a saved analysis."""

from __future__ import annotations

import os
import tempfile
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from valuecrm.interfaces.api.auth import Analyst
from valuecrm.interfaces.api.params import SnapshotQuery, WhereQuery, snapshot_key
from valuecrm.interfaces.api.routes.reports import SegmentFilter, StatusFilter, TierFilter
from valuecrm.interfaces.api.state import server_state
from valuecrm.store.csv_export import CSV_MEDIA_TYPE, write_csv
from valuecrm.store.parquet_export import write_parquet
from valuecrm.store.users import User, record_audit
from valuecrm.views.exports import customer_value_sql, customers_sql

router = APIRouter(prefix="/exports", tags=["exports"])

_MEDIA = {"csv": CSV_MEDIA_TYPE, "parquet": "application/vnd.apache.parquet"}


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
    return _export(request, user, "customers", customers_sql(),
                   format, f"customers.{format}")


@router.get("/customer_value", response_class=FileResponse, responses={200: {
    "content": {media: {} for media in _MEDIA.values()},
    "description": "The file, with a Content-Disposition naming it."}})
def export_customer_value(
    user: Analyst,
    request: Request,
    snapshot: SnapshotQuery = "latest",
    format: Annotated[Literal["csv", "parquet"], Query(description="File format.")] = "csv",
    segment: SegmentFilter = None,
    status: StatusFilter = None,
    tier: TierFilter = None,
    search: Annotated[str | None, Query(max_length=200, description=(
        "Substring of the customer id, name or e-mail (case-insensitive)."))] = None,
    where: WhereQuery = None,
) -> FileResponse:
    """The customer value table of one saved analysis (``valuecrm analyze``), filtered as
    `valuecrm customers export` filters it (the same parameters), in stored order (no sort:
    it streams); the same file as the command writes. The headers X-Rows, X-Snapshot-Id and
    X-As-Of say what the file holds."""
    from valuecrm.analysis import get_snapshot
    from valuecrm.views.customers import attribute_filters

    with server_state(request).session() as database:
        found = get_snapshot(database, snapshot_key(snapshot))
        pairs = attribute_filters(database, where)
    sql = customer_value_sql(found.snapshot_id, segment=segment, status=status, tier=tier,
                             search=search, attributes=pairs)
    filters = {k: v for k, v in (("segment", segment), ("status", status), ("tier", tier),
                                 ("search", search), ("where", where)) if v is not None}
    answer = _export(request, user, "customer_value", sql, format,
                     f"customer_value_{found.as_of.isoformat()}.{format}",
                     snapshot_id=found.snapshot_id, **filters)
    answer.headers["X-Snapshot-Id"] = str(found.snapshot_id)
    answer.headers["X-As-Of"] = found.as_of.isoformat()
    return answer


def _export(request: Request, user: User, target: str, sql: str, format: str, filename: str,
            **detail: Any) -> FileResponse:
    """Write ``sql`` to a temporary file, audit it, answer the file (deleted once sent)."""
    state = server_state(request)
    handle, path = tempfile.mkstemp(prefix="valuecrm-export-", suffix=f".{format}")
    os.close(handle)
    try:
        with state.cursor() as cur:
            # CSV for people: UTF-8 with a BOM, booleans true / false
            write = write_csv if format == "csv" else write_parquet
            count = write(cur, sql, path)
            with state.write_lock:
                record_audit(cur, user, "export", target, count, format=format, **detail)
    except BaseException:
        os.unlink(path)
        raise
    return FileResponse(path, media_type=_MEDIA[format], filename=filename,
                        headers={"X-Rows": str(count)},
                        background=BackgroundTask(os.unlink, path))
