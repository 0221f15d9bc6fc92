"""Exports as CSV or Parquet (analysts and admins, written to the audit log): the customers
table, and the customer value table of a saved analysis."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from valuecrm.interfaces.api.auth import Analyst
from valuecrm.interfaces.api.params import (
    MinDropQuery,
    SnapshotQuery,
    TopQuery,
    WhereQuery,
    snapshot_key,
)
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


Format = Annotated[Literal["csv", "parquet"], Query(description="File format.")]
ListKind = Annotated[Literal["retention", "winback"], PathParam(description=(
    "retention: valuable customers at risk or lapsed; winback: lost and lapsed customers."))]


@router.get("/actions/{kind}", response_class=FileResponse, responses={200: {
    "content": {media: {} for media in _MEDIA.values()},
    "description": "The file, with a Content-Disposition naming it."}})
def export_action_list(
    user: Analyst, request: Request, kind: ListKind, snapshot: SnapshotQuery = "latest",
    format: Format = "csv",
    top: TopQuery = None,
    min_drop: MinDropQuery = None,
    where: WhereQuery = None,
) -> FileResponse:
    """The whole retention or win-back list (what `GET /api/actions/{kind}` pages through,
    the same parameters) as a file, streamed by DuckDB: what `valuecrm actions
    retention|winback --out FILE` writes. The headers X-Rows, X-Snapshot-Id and X-As-Of say
    what it holds; the export is written to the audit log."""
    from valuecrm.analysis import get_snapshot
    from valuecrm.views.lists import export_action_list as write_list

    with server_state(request).session() as database:
        found = get_snapshot(database, snapshot_key(snapshot))

    def write(_cur: Any, path: str) -> int:
        with server_state(request).session() as database:
            return write_list(database, kind, path, snapshot=found.snapshot_id, top=top,
                              min_drop=min_drop if kind == "retention" else None,
                              where=where)[0]

    answer = _export(request, user, f"actions/{kind}", write, format,
                     f"{kind}-{found.as_of.isoformat()}.{format}",
                     snapshot_id=found.snapshot_id)
    answer.headers["X-Snapshot-Id"] = str(found.snapshot_id)
    answer.headers["X-As-Of"] = found.as_of.isoformat()
    return answer


Level = Literal["product", "type", "subcategory", "category", "brand", "department"]


@router.get("/next-best", response_class=FileResponse, responses={200: {
    "content": {media: {} for media in _MEDIA.values()},
    "description": "The file, with a Content-Disposition naming it."}})
def export_next_best(
    user: Analyst, request: Request, format: Format = "csv",
    level: Annotated[Level, Query(description="The level of the catalogue.")] = "product",
    min_support: Annotated[float, Query(gt=0, le=1, description="Least support.")] = 0.001,
    min_confidence: Annotated[float, Query(ge=0, le=1, description="Least confidence.")]
    = 0.1,
    max_len: Annotated[int | None, Query(ge=2, le=10, description="Most items in a rule.")]
    = 3,
    top: Annotated[int, Query(ge=1, le=100, description="Offers per customer.")] = 3,
) -> FileResponse:
    """The whole list of `GET /api/cross-sell/next-best` (the same parameters) as a file,
    streamed by DuckDB: what `valuecrm cross-sell --out FILE` writes (a campaign list, one
    row per customer and offer). Written to the audit log."""
    settings = {"level": level, "min_support": min_support, "min_confidence": min_confidence,
                "max_len": max_len, "top": top}
    return _offers(request, user, "next-best", format, settings)


@router.get("/up-sell", response_class=FileResponse, responses={200: {
    "content": {media: {} for media in _MEDIA.values()},
    "description": "The file, with a Content-Disposition naming it."}})
def export_up_sell(
    user: Analyst, request: Request, format: Format = "csv",
    top: Annotated[int, Query(ge=1, le=100, description="Offers per customer.")] = 3,
    max_step: Annotated[float, Query(gt=1, le=100, description=(
        "Most an offer may cost, as a multiple of the dearest product bought in its "
        "category."))] = 2.0,
) -> FileResponse:
    """The whole list of `GET /api/cross-sell/up-sell` (the same parameters) as a file,
    streamed by DuckDB: what `valuecrm up-sell --out FILE` writes. Written to the audit
    log."""
    return _offers(request, user, "up-sell", format, {"top": top, "max_step": max_step})


def _offers(request: Request, user: User, kind: str, format: str,
            settings: dict[str, Any]) -> FileResponse:
    from valuecrm.views.cross_sell import export_offers

    def write(_cur: Any, path: str) -> int:
        with server_state(request).session() as database:
            return export_offers(database, kind, path, **settings)

    return _export(request, user, f"cross-sell/{kind}", write, format, f"{kind}.{format}",
                   **settings)


def _export(request: Request, user: User, target: str, sql: str | Callable[[Any, str], int],
            format: str, filename: str, **detail: Any) -> FileResponse:
    """Write ``sql`` (or call ``sql(cursor, path)``) to a temporary file, audit it, answer the
    file (deleted once sent)."""
    state = server_state(request)
    handle, path = tempfile.mkstemp(prefix="valuecrm-export-", suffix=f".{format}")
    os.close(handle)
    try:
        with state.cursor() as cur:
            if callable(sql):
                count = sql(cur, path)
            else:  # CSV for people: UTF-8 with a BOM, booleans true / false
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
