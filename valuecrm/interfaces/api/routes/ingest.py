"""``POST /api/ingest/{table}``: load an uploaded file, with the same checks as the CLI.

An ingest never overlaps an analysis (:mod:`valuecrm.interfaces.api.writes`): while an analysis
job is queued or running it answers 409 ``analysis_running``; another ingest is waited for.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile

from valuecrm.errors import IngestError, SourceError
from valuecrm.interfaces.api.auth import Admin
from valuecrm.interfaces.api.errors import ERROR_SCHEMA
from valuecrm.interfaces.api.state import server_state
from valuecrm.store.ingest import FORMATS
from valuecrm.store.schema import TABLES
from valuecrm.store.users import record_audit

router = APIRouter(tags=["ingest"])

TableName = Literal[tuple(TABLES)]  # type: ignore[valid-type]
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@router.post("/ingest/{table}", responses={
    409: {"description": "An analysis is queued or running (``analysis_running``): nothing was "
                         "loaded; send the file again when the job has ended.",
          "content": {"application/json": {"schema": ERROR_SCHEMA}}},
    422: {"description": "The file was refused: the report lists every bad row (line, column, "
                         "value, reason).",
          "content": {"application/json": {"schema": ERROR_SCHEMA}}}})
def ingest_file(
    user: Admin,
    request: Request,
    table: TableName,
    file: Annotated[UploadFile, File(description="A .csv, .tsv, .parquet, .xlsx or .jsonl "
                                                 "file whose columns match the table.")],
    on_error: Annotated[Literal["reject", "skip"], Form(description=(
        "reject: refuse the whole file if any row is bad; skip: load the good rows."))]
    = "reject",
    create_customers: Annotated[bool, Form(description=(
        "Create customers that rows refer to but the database lacks."))] = False,
) -> dict[str, Any]:
    """Validate the uploaded file and upsert its rows into ``table`` (all or nothing with
    ``on_error=reject``). Answers the load report; 422 with the report when the file is refused;
    409 while an analysis is queued or running (it reads the data being changed: send the file
    again when the job has ended). A second ingest waits for the one loading. Every ingest,
    refused or not, is written to the audit log."""
    state = server_state(request)
    original = Path(file.filename or "").name
    name = _SAFE_NAME.sub("_", original).lstrip(".") or "upload"
    if Path(name).suffix.lower() not in FORMATS:
        raise SourceError(
            f"Cannot tell the format of the uploaded file {original or '(no name)'!r}.",
            hint="Name the file with one of the extensions " + ", ".join(FORMATS) + ".")
    with tempfile.TemporaryDirectory(prefix="valuecrm-upload-") as folder:
        path = Path(folder) / name
        with path.open("wb") as out:
            shutil.copyfileobj(file.file, out, length=1 << 20)
        with (state.data_writes.ingest(f"{original or name} into {table}"), state.write_lock,
              state.session() as database):
            try:
                report = database.ingest(table, path, on_error=on_error,
                                         create_customers=create_customers)
            except IngestError as refused:
                if refused.report is not None:
                    refused.report.source = original
                    record_audit(database.raw, user, "ingest_rejected", table,
                                 refused.report.rows_rejected, source=original)
                raise
            report.source, report.rejects_path = original, None
            record_audit(database.raw, user, "ingest", table, report.rows_loaded,
                         source=original, rows_rejected=report.rows_rejected, mode=on_error)
    return report.to_dict()
